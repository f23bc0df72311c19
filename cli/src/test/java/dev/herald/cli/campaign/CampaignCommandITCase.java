package dev.herald.cli.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.connectors.kafka.local.LocalKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/herald campaign publish}, {@code cancel} and {@code tail} as a user runs them, on a
 * real broker, without the job: what they print, what they write, and their exit status.
 */
class CampaignCommandITCase {

  private static final Instant NOW = Instant.parse("2026-05-03T12:00:00Z");

  @TempDir static Path work;
  private static LocalKafka kafka;
  private static TestTopics topics;

  @BeforeAll
  static void start() throws Exception {
    kafka = LocalKafka.start(work.resolve("kafka"), 0);
    topics = new TestTopics(kafka.bootstrapServers());
    topics.create(Map.of("campaigns", 1, "decisions", 2, "bad-campaigns", 1));
  }

  @AfterAll
  static void stop() {
    if (topics != null) {
      topics.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new CampaignCommand(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC))
            .run(args);
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void publishPrintsWhereTheRecordWentAndCancelWritesOneAtTheGivenInstantOrNow() throws Exception {
    Path file = work.resolve("restock.json");
    Files.writeString(file, CampaignClientITCase.CAMPAIGN + "\n");
    String servers = "--bootstrap-servers=" + kafka.bootstrapServers();

    Run published = run("publish", file.toString(), servers);
    assertThat(published.status()).as(published.err()).isZero();
    assertThat(published.out())
        .isEqualTo("published campaign restock-42 to campaigns partition 0 offset 0\n");

    Run cancelled = run("cancel", "restock-42", "--at", "2026-05-03T13:00:00+02:00", servers);
    assertThat(cancelled.status()).as(cancelled.err()).isZero();
    assertThat(cancelled.out())
        .isEqualTo(
            "published cancel of restock-42 at 2026-05-03T11:00:00Z to campaigns partition 0"
                + " offset 1\n");
    assertThat(run("cancel", "restock-42", servers).status()).isZero();

    List<TestTopics.Read> read = topics.readAll("campaigns");
    assertThat(read).extracting(TestTopics.Read::key).containsOnly("restock-42");
    assertThat(read.get(0).value()).isEqualTo(CampaignClientITCase.CAMPAIGN);
    assertThat(read.get(1).value()).contains("\"at\":\"2026-05-03T11:00:00Z\"");
    assertThat(read.get(2).value()).contains("\"at\":\"" + NOW + "\"");
  }

  @Test
  void aBadFileWritesNothing() throws Exception {
    Path file = work.resolve("two.json");
    Files.writeString(file, CampaignClientITCase.CAMPAIGN + "\n" + CampaignClientITCase.CAMPAIGN);
    Run r =
        run(
            "publish",
            file.toString(),
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--topic-campaigns",
            "bad-campaigns");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("not published");
    assertThat(topics.readAll("bad-campaigns")).isEmpty();
  }

  @Test
  void tailPrintsTheDecisionsOfOneCampaignWithoutTheirTokens() throws Exception {
    String decision =
        "{\"campaign\":\"%s\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\"%s\","
            + "\"at\":\"2026-05-03T10:00:00Z\",\"outcome\":\"SEND\",\"basis\":\"OTN\","
            + "\"token\":\"secret-%s\",\"variant\":null,\"resumeAt\":null,\"reason\":null}";
    topics.send("decisions", "other", decision.formatted("other", "u-9", "9"));
    topics.send("decisions", "hello", decision.formatted("hello", "u-1", "1"));
    topics.send("decisions", "hello", decision.formatted("hello", "u-2", "2"));
    Run r =
        run(
            "tail",
            "hello",
            "--from-beginning",
            "--max",
            "2",
            "--timeout",
            "PT60S",
            "--bootstrap-servers",
            kafka.bootstrapServers());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out().lines())
        .containsExactlyInAnyOrder(
            "2026-05-03T10:00:00Z hello messenger/page-1/u-1 SEND OTN",
            "2026-05-03T10:00:00Z hello messenger/page-1/u-2 SEND OTN");
    assertThat(r.err()).contains("no campaign hello in campaigns");
  }

  @Test
  void kafkaUnreachableExitsThree() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run r = run("cancel", "restock-42", "--bootstrap-servers", "localhost:" + port);
    assertThat(r.status()).isEqualTo(3);
    assertThat(r.err()).contains("Kafka at localhost:" + port);
    assertThat(r.out()).isEmpty();
  }
}
