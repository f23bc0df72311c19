package dev.herald.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.job.replay.ReplayCluster;
import dev.herald.replay.Scenario;
import dev.herald.schema.Bounds;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What fuzzing the job found, one minimal input each, through the real job (parallelism 2, RocksDB)
 * on an embedded cluster.
 */
class FuzzFindingsITCase {

  private static ReplayCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new ReplayCluster(1, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private static ReplayCluster.Output replay(Path dir, String... lines) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(Scenario.INPUT), String.join("\n", lines) + "\n");
    return cluster.replay(Scenario.load(dir));
  }

  private static String interaction(String user, String at) {
    return "{\"type\":\"interaction\",\"at\":\""
        + at
        + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\""
        + user
        + "\"}";
  }

  /**
   * The job's own checks (a repeated id, a cancel of an unknown id) dead-letter the record as the
   * job re-wrote it (every default written out, the unknown field dropped), not as it was written:
   * the parser hands the line on, but {@code ControlInputSerializer} drops it on the way to the
   * decision operator. records.md and interpretations.md (20) say the record as written.
   */
  @Test
  void theJobsOwnChecksDeadLetterTheRecordAsItWasWritten(@TempDir Path dir) throws Exception {
    String again =
        "{ \"type\": \"campaign\", \"id\": \"c\", \"at\": \"2024-01-01T02:00:00+01:00\","
            + " \"channel\": \"messenger\", \"account\": \"page-1\", \"utm\": \"x\","
            + " \"message\": {\"text\": \"two\"} }";
    String cancel = "{\"campaign\":\"nope\",\"type\":\"cancel\",\"at\":\"2024-01-01T01:00:00Z\"}";
    ReplayCluster.Output out =
        replay(
            dir,
            interaction("u-1", "2024-01-01T00:00:00Z"),
            "{\"type\":\"campaign\",\"id\":\"c\",\"at\":\"2024-01-01T01:00:00Z\",\"channel\":\"messenger\",\"account\":\"page-1\",\"message\":{\"text\":\"one\"}}",
            again,
            cancel);
    assertThat(out.deadLetters()).hasSize(2);
    JsonNode repeated = Checks.object(out.deadLetters().get(0));
    JsonNode unknown = Checks.object(out.deadLetters().get(1));
    assertThat(repeated.path("source").asText()).isEqualTo("input.jsonl:3");
    assertThat(repeated.path("reason").asText()).contains("id already used");
    assertThat(repeated.path("input").asText()).isEqualTo(again);
    assertThat(unknown.path("source").asText()).isEqualTo("input.jsonl:4");
    assertThat(unknown.path("input").asText()).isEqualTo(cancel);
  }

  /**
   * A line of a valid record of exactly 1 MiB followed by a carriage return and more text is read
   * as the 1 MiB record alone (see {@code FuzzFindingsTest}), and the job applies it: u-2 becomes
   * known and is messaged, from a line that is neither a record nor within the size limit.
   */
  @Test
  void aLineOverTheLimitIsDeadLetteredNotApplied(@TempDir Path dir) throws Exception {
    String head =
        "{\"type\":\"interaction\",\"at\":\"2024-03-01T09:00:00Z\",\"channel\":\"messenger\","
            + "\"account\":\"page-1\",\"user\":\"u-2\",\"pad\":\"";
    String tail = "\"}";
    String record =
        head + "p".repeat(Bounds.MAX_RECORD_BYTES - head.length() - tail.length()) + tail;
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(
        (interaction("u-1", "2024-03-01T09:00:00Z") + "\n").getBytes(StandardCharsets.UTF_8));
    file.writeBytes((record + "\r{\"more\":1}\n").getBytes(StandardCharsets.UTF_8));
    file.writeBytes(
        ("{\"type\":\"campaign\",\"id\":\"c\",\"at\":\"2024-03-01T09:30:00Z\",\"channel\":\"messenger\",\"account\":\"page-1\",\"message\":{\"text\":\"x\"}}\n")
            .getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve(Scenario.INPUT), file.toByteArray());
    ReplayCluster.Output out = cluster.replay(Scenario.load(dir));
    assertThat(out.decisions()).hasSize(1).allMatch(d -> d.contains("\"user\":\"u-1\""));
    assertThat(out.deadLetters())
        .hasSize(1)
        .allMatch(d -> d.contains("\"source\":\"input.jsonl:2\""));
  }
}
