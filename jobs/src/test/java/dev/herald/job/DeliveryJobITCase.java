package dev.herald.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.connectors.file.NumberedLinesFormat;
import dev.herald.connectors.file.SourceLine;
import dev.herald.job.replay.ReplayCluster;
import dev.herald.policy.Policy;
import dev.herald.policy.PolicyTimeline;
import dev.herald.reference.ReferenceEngine;
import dev.herald.replay.DecisionOrder;
import dev.herald.replay.Expectations;
import dev.herald.replay.Scenario;
import dev.herald.replay.ScenarioInput;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.Decision;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.SendRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The delivery job on an embedded cluster of two task managers at parallelism 2, with RocksDB.
 *
 * <p>Replays: every scenario's decisions and send requests equal those of the Flink-free reference
 * engine (for rated campaigns, whose instants depend on the parallelism, the compared fields of the
 * contract). Live: with idle sources, a campaign is decided once its start has come, and a user
 * event that arrives behind event time is applied.
 */
class DeliveryJobITCase {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(2)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static ReplayCluster replays;

  @BeforeAll
  static void startReplays() throws Exception {
    replays = new ReplayCluster(2, 2);
  }

  @AfterAll
  static void stopReplays() throws Exception {
    replays.close();
  }

  static Stream<Path> scenarios() throws IOException {
    List<Path> dirs = new ArrayList<>();
    for (Path root : List.of(ROOT.resolve("conformance/examples"), ROOT.resolve("scenarios"))) {
      try (Stream<Path> s = Files.list(root)) {
        s.filter(d -> Files.isRegularFile(d.resolve(Scenario.INPUT))).sorted().forEach(dirs::add);
      }
    }
    return dirs.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void theJobDecidesAsTheReferenceEngine(Path dir) throws Exception {
    Scenario scenario = Scenario.load(dir);
    ScenarioInput input = ScenarioInput.parse(scenario.inputLines(), Scenario.INPUT);
    ReferenceEngine.Result reference =
        ReferenceEngine.run(
            input.records(), new Policy(PolicyTimeline.standard(), scenario.config()));
    ReplayCluster.Output job = replays.replay(scenario);

    List<String> expected =
        DecisionOrder.sortLines(reference.decisions().stream().map(RecordCodec::write).toList());
    Set<String> rated = Expectations.ratedCampaigns(input.records());
    if (rated.isEmpty()) {
      assertThat(job.decisions()).containsExactlyElementsOf(expected);
      assertThat(job.sendRequests())
          .containsExactlyInAnyOrderElementsOf(
              reference.requests().stream().map(RecordCodec::write).toList());
    } else {
      assertThat(Expectations.compare(expected, job.decisions(), rated)).isEmpty();
    }
    assertThat(job.deadLetters())
        .as("bad lines and rejected campaign records")
        .hasSize(input.deadLetters().size() + reference.rejections().size());
  }

  @Test
  void replaysAreByteIdentical() throws Exception {
    Scenario scenario = Scenario.load(ROOT.resolve("scenarios/frequency-cap"));
    assertThat(replays.replay(scenario)).isEqualTo(replays.replay(scenario));
  }

  @Test
  void liveCampaignsStartOnTimeWithoutTrafficAndLateEventsAreApplied(@TempDir Path tmp)
      throws Exception {
    Path events = Files.createDirectories(tmp.resolve("events"));
    Path campaigns = Files.createDirectories(tmp.resolve("campaigns"));
    CollectingSink<Decision> decisions = new CollectingSink<>("live-decisions");
    JobConfig config =
        JobConfig.parse(
            new String[] {
              "--parallelism", "2",
              "--checkpoint-interval", "PT1S",
              "--checkpoint-dir", tmp.resolve("checkpoints").toUri().toString(),
              "--rocksdb-memory-per-slot", "64mb",
              "--out-of-orderness", "PT0.3S",
              "--idle-after", "PT0.2S"
            });
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(config.flinkConfiguration());
    new DeliveryJob(
            config,
            List.of(
                new DeliveryJob.Input(
                    "events", watch(events, "events"), ParseRecords.Accepts.USER_EVENTS, 1),
                new DeliveryJob.Input(
                    "campaigns", watch(campaigns, "campaigns"), ParseRecords.Accepts.CAMPAIGNS, 1)),
            new DeliveryJob.Sinks(
                decisions,
                new CollectingSink<SendRequest>("live-requests"),
                new CollectingSink<DeadLetter>("live-dead")),
            DeliveryJob.Time.LIVE)
        .build(env);
    JobClient job = env.executeAsync("live");
    try {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      drop(
          events,
          "{\"type\":\"interaction\",\"at\":\""
              + now.minusSeconds(60)
              + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\"u-a\"}");
      Instant start1 = now.plusSeconds(2);
      drop(campaigns, campaign("c1", now, start1));

      // No user event flows from here on: event time must follow the wall clock.
      Decision first = await(decisions, d -> d.campaign().equals("c1"));
      Instant seen = Instant.now();
      assertThat(first.at()).isEqualTo(start1);
      assertThat(first.outcome().name()).isEqualTo("SEND");
      System.out.printf(
          "live: c1 decided %d ms of wall-clock time after its start%n",
          Duration.between(start1, seen).toMillis());

      // Event time has passed start1: an interaction from before it arrives late.
      drop(
          events,
          "{\"type\":\"interaction\",\"at\":\""
              + start1.minusSeconds(30)
              + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\"u-late\"}");
      Instant now2 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      drop(campaigns, campaign("c2", now2, now2.plusSeconds(2)));
      Decision late =
          await(decisions, d -> d.campaign().equals("c2") && d.user().user().equals("u-late"));
      assertThat(late.outcome().name()).isEqualTo("SEND");
      assertThat(late.basis().name()).isEqualTo("STANDARD_WINDOW");
      assertThat(decisions.received().stream().filter(d -> d.campaign().equals("c1")))
          .as("u-late was not known when c1 started")
          .hasSize(1);
    } finally {
      job.cancel().get();
    }
  }

  private static String campaign(String id, Instant at, Instant start) {
    return "{\"type\":\"campaign\",\"id\":\""
        + id
        + "\",\"at\":\""
        + at
        + "\",\"startAt\":\""
        + start
        + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"message\":{\"text\":\"Hi\"}}";
  }

  private static FileSource<SourceLine> watch(Path dir, String name) {
    return FileSource.forRecordStreamFormat(
            new NumberedLinesFormat(name), new org.apache.flink.core.fs.Path(dir.toUri()))
        .monitorContinuously(Duration.ofMillis(50))
        .build();
  }

  private static int files;

  /** Adds a file of one line to a watched folder, atomically (a hidden file, then renamed). */
  private static void drop(Path dir, String line) throws IOException {
    String name = "part-" + (++files) + ".jsonl";
    Path hidden = dir.resolve("." + name);
    Files.writeString(hidden, line + "\n", StandardCharsets.UTF_8);
    Files.move(hidden, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /** The first decision matching {@code p}, waiting for it with a generous deadline. */
  private static Decision await(CollectingSink<Decision> sink, Predicate<Decision> p)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (Decision d : sink.received()) {
        if (p.test(d)) {
          return d;
        }
      }
      synchronized (sink) {
        sink.wait(20);
      }
    }
    throw new AssertionError("no such decision within 60 s; got " + sink.received());
  }
}
