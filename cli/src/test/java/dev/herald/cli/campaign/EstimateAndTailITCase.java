package dev.herald.cli.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.connectors.kafka.local.LocalKafka;
import dev.herald.job.HeraldJob;
import dev.herald.job.JobConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code estimate} and {@code tail} against the live job (parallelism 2, embedded cluster, real
 * broker, sending switched off): an estimate counts what the users' state says, marks its decisions
 * as a dry run, releases nothing and spends no token, so the real campaign afterwards still sends
 * on the one-time tokens; {@code tail} of a paced campaign prints its decisions and a progress line
 * whose audience came from an estimate.
 */
class EstimateAndTailITCase {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(2)
              .setNumberSlotsPerTaskManager(1)
              .build());

  @TempDir static Path work;
  private static LocalKafka kafka;
  private static TestTopics topics;

  @BeforeAll
  static void start() throws Exception {
    kafka = LocalKafka.start(work.resolve("kafka"), 0);
    topics = new TestTopics(kafka.bootstrapServers());
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

  @Test
  void anEstimateCountsByOutcomeSpendsNothingAndTailFollowsAPacedCampaign() throws Exception {
    Map<String, Integer> partitions = new LinkedHashMap<>();
    partitions.put("user-events", 3);
    partitions.put("campaigns", 1);
    partitions.put("decisions", 2);
    partitions.put("send-requests", 2);
    partitions.put("dead-letters", 1);
    partitions.put("delivery-outcomes", 3);
    topics.create(partitions);
    JobConfig config =
        JobConfig.parse(
            new String[] {
              "--bootstrap-servers", kafka.bootstrapServers(),
              "--checkpoint-interval", "PT1S",
              "--checkpoint-dir", work.resolve("checkpoints").toUri().toString(),
              "--parallelism", "2",
              "--rocksdb-memory-per-slot", "32mb",
              "--out-of-orderness", "PT0.3S",
              "--idle-after", "PT0.2S",
              "--delivery", "false"
            });
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(config.flinkConfiguration());
    HeraldJob.deliveryJob(config, partitions, 2).build(env);
    JobClient job = env.executeAsync("campaign cli");
    try {
      run();
    } finally {
      job.cancel().get();
    }
  }

  private void run() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant hourAgo = now.minus(Duration.ofHours(1));
    Instant daysAgo = now.minus(Duration.ofDays(2));
    // An OTN campaign targets the users who hold or held a token for its topic; all ten got
    // one. Five are inside the window, three outside it, two opted out of marketing.
    for (int i = 0; i < 10; i++) {
      interaction("u-" + i, i < 5 ? hourAgo : daysAgo);
      event(
          "u-" + i,
          "{\"type\":\"otn_optin\",\"at\":\""
              + daysAgo
              + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\"u-"
              + i
              + "\",\"topic\":\"restock\",\"token\":\"otn-"
              + i
              + "\"}");
    }
    for (int i = 8; i < 10; i++) {
      event(
          "u-" + i,
          "{\"type\":\"optout\",\"at\":\""
              + daysAgo.plusSeconds(60)
              + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\"u-"
              + i
              + "\",\"category\":\"MARKETING\"}");
    }
    topics.awaitCaughtUp("herald", "user-events", DEADLINE);

    Path file = work.resolve("restock.json");
    Files.writeString(file, restock("restock", now, now.plusSeconds(1), null));
    CommandRun estimate =
        command(
            "estimate",
            file.toString(),
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--quiet",
            "PT4S",
            "--wait",
            "PT100S");
    assertThat(estimate.status).as(estimate.err).isZero();
    assertThat(estimate.out)
        .matches("(?s)estimate of restock \\(dry run restock~estimate-\\d+\\)\n.*")
        .endsWith(
            "10 users would be decided\n"
                + "  SEND 8\n"
                + "    STANDARD_WINDOW 5\n"
                + "    OTN             3\n"
                + "  SKIP 2\n"
                + "    OPTED_OUT 2\n");
    List<TestTopics.Read> dry =
        topics.readAll("decisions").stream().filter(r -> r.key().contains("~estimate-")).toList();
    assertThat(dry).hasSize(10);
    assertThat(dry)
        .allSatisfy(r -> assertThat(JSON.readTree(r.value()).path("dryRun").asBoolean()).isTrue());
    assertThat(topics.readAll("send-requests")).as("a dry run releases nothing").isEmpty();

    // The real campaign afterwards: the tokens are still there.
    try (CampaignClient client =
        new CampaignClient(kafka.bootstrapServers(), "campaigns", "decisions")) {
      Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      client.publish(restock("restock", at, at.plusSeconds(1), null));
    }
    Map<String, String> real =
        byUser(topics.await("decisions", l -> count(l, "restock") >= 10, DEADLINE), "restock");
    assertThat(real)
        .containsEntry("u-5", "SEND OTN")
        .containsEntry("u-7", "SEND OTN")
        .containsEntry("u-0", "SEND STANDARD_WINDOW")
        .containsEntry("u-9", "SKIP OPTED_OUT");
    assertThat(topics.await("send-requests", l -> l.size() >= 8, DEADLINE)).hasSize(8);

    // A paced campaign, followed by tail: its audience from an estimate, run first.
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (CampaignClient client =
        new CampaignClient(kafka.bootstrapServers(), "campaigns", "decisions")) {
      client.publish(restock("paced", at, at.plusSeconds(2), 4.0));
    }
    CommandRun tail =
        command(
            "tail",
            "paced",
            "--from-beginning",
            "--max",
            "10",
            "--timeout",
            "PT100S",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--quiet",
            "PT4S");
    assertThat(tail.status).as(tail.err).isZero();
    List<String> lines = tail.out.lines().toList();
    assertThat(lines).hasSize(10).allMatch(l -> l.contains(" paced messenger/page-1/u-"));
    assertThat(lines).filteredOn(l -> l.contains("SKIP NO_TOKEN")).hasSize(3);
    assertThat(tail.err)
        .contains("estimating the audience of paced")
        .containsPattern(
            "\\[#{30}\\] 10/10 \\(100%\\) rate .*/s \\(set 4/s\\) ETA done · audience from estimate paced~estimate-\\d+");
  }

  private record CommandRun(int status, String out, String err) {}

  private static CommandRun command(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new CampaignCommand(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC())
            .run(args);
    return new CommandRun(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static long count(List<TestTopics.Read> l, String campaign) {
    return l.stream().filter(r -> campaign.equals(r.key())).count();
  }

  private static Map<String, String> byUser(List<TestTopics.Read> l, String campaign) {
    return l.stream()
        .filter(r -> campaign.equals(r.key()))
        .map(r -> read(r.value()))
        .collect(
            Collectors.toMap(
                d -> d.path("user").asText(),
                d ->
                    d.path("outcome").asText()
                        + " "
                        + (d.path("outcome").asText().equals("SEND")
                            ? d.path("basis").asText()
                            : d.path("reason").asText())));
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String restock(String id, Instant at, Instant start, Double rate) {
    return "{\"type\":\"campaign\",\"id\":\""
        + id
        + "\",\"at\":\""
        + at
        + "\",\"startAt\":\""
        + start
        + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"outsideWindow\":\"OTN\","
        + "\"topic\":\"restock\",\"message\":{\"text\":\"Back in stock!\"}"
        + (rate == null ? "" : ",\"rate\":" + rate)
        + "}";
  }

  private static void interaction(String user, Instant at) throws Exception {
    event(
        user,
        "{\"type\":\"interaction\",\"at\":\""
            + at
            + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\""
            + user
            + "\"}");
  }

  private static void event(String user, String json) throws Exception {
    topics.send("user-events", "messenger/page-1/" + user, json);
  }
}
