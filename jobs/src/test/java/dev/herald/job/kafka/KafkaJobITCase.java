package dev.herald.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.connectors.kafka.ProduceCommand;
import dev.herald.connectors.kafka.local.LocalKafka;
import dev.herald.job.HeraldJob;
import dev.herald.job.JobConfig;
import dev.herald.job.replay.ReplayCluster;
import dev.herald.replay.DecisionOrder;
import dev.herald.replay.Scenario;
import dev.herald.schema.Wire;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job as {@code flink run} builds it ({@link HeraldJob#deliveryJob}), on a real local Kafka
 * broker and an embedded cluster of two task managers (one slot each, so a job of parallelism 2
 * runs on both).
 *
 * <ul>
 *   <li>Replay: every scenario of the suite, produced to Kafka (keys as the contract says, each
 *       user's records in one partition in file order), gives in {@code --mode replay} exactly the
 *       decisions and send requests of {@code bin/replay}'s file replay.
 *   <li>Live: a campaign is decided on time with no traffic; bad records land in {@code
 *       dead-letters} with their topic/partition/offset and the job goes on.
 *   <li>Failover: a task manager killed while a rated campaign is being decided leaves, in the
 *       committed output, every (campaign, user) exactly once.
 * </ul>
 */
class KafkaJobITCase {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(2)
              .setNumberSlotsPerTaskManager(1)
              .build());

  @TempDir static Path work;

  private static LocalKafka kafka;
  private static KafkaTopics topics;
  private static ReplayCluster fileReplays;
  private static final AtomicInteger jobs = new AtomicInteger();

  // Figures of the replay suite, printed at the end.
  private static long recordsIn;
  private static long decisionsOut;
  private static long sendRequestsOut;
  private static long deadLettersOut;
  private static long duplicates;
  private static int scenariosRun;

  @BeforeAll
  static void start() throws Exception {
    kafka = LocalKafka.start(work.resolve("kafka"), 0);
    topics = new KafkaTopics(kafka.bootstrapServers());
    fileReplays = new ReplayCluster(1, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    System.out.printf(
        "kafka replay suite: %d scenarios, %d records in, %d decisions, %d send requests,"
            + " %d dead letters out, %d duplicates%n",
        scenariosRun, recordsIn, decisionsOut, sendRequestsOut, deadLettersOut, duplicates);
    if (fileReplays != null) {
      fileReplays.close();
    }
    if (topics != null) {
      topics.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  // ------------------------------------------------------------------ replay

  static Stream<Path> scenarios() throws IOException {
    try (Stream<Path> s = Files.list(ROOT.resolve("scenarios"))) {
      return s
          .filter(d -> Files.isRegularFile(d.resolve(Scenario.INPUT)))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void aReplayOnKafkaDecidesAsBinReplay(Path dir) throws Exception {
    Scenario scenario = Scenario.load(dir);
    Names t = newTopics(3);
    int in = 0;
    for (byte[] line : scenario.inputLines()) {
      // As bin/kafka produce writes it: user events by user key, campaign records by id.
      ProduceCommand.Destination d = ProduceCommand.destination(line, t.userEvents, t.campaigns);
      topics.send(d.topic(), d.key(), line);
      in++;
    }

    List<String> args = new ArrayList<>(t.flags());
    args.addAll(List.of("--mode", "replay", "--checkpoint-interval", "PT1S"));
    var cap = scenario.config().frequencyCap();
    if (cap != null) {
      args.addAll(List.of("--frequency-cap", cap.max() + "/" + Wire.format(cap.per())));
    }
    JobConfig config = config(args);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(config.flinkConfiguration());
    HeraldJob.deliveryJob(config, t.partitions(), 2).build(env);
    long began = System.nanoTime();
    JobClient job = env.executeAsync("kafka replay " + scenario.name());
    try {
      job.getJobExecutionResult().get(180, TimeUnit.SECONDS); // it finishes at the end offsets
    } catch (TimeoutException e) {
      JobStatus status = job.getJobStatus().get();
      job.cancel().get();
      throw new AssertionError(
          "the replay of " + scenario.name() + " did not finish in 180 s (" + status + ")");
    }
    System.out.printf(
        "kafka replay %s: %d records, %d ms%n",
        scenario.name(), in, Duration.ofNanos(System.nanoTime() - began).toMillis());

    List<KafkaTopics.Read> decisions = topics.readAll(t.decisions);
    List<KafkaTopics.Read> requests = topics.readAll(t.sendRequests);
    List<KafkaTopics.Read> deadLetters = topics.readAll(t.deadLetters);
    ReplayCluster.Output file = fileReplays.replay(scenario);

    List<String> decided = DecisionOrder.sortLines(values(decisions));
    assertThat(decided).containsExactlyElementsOf(file.decisions());
    assertThat(values(requests)).containsExactlyInAnyOrderElementsOf(file.sendRequests());
    assertThat(deadLetters).hasSameSizeAs(file.deadLetters());
    for (KafkaTopics.Read d : decisions) {
      Decided parsed = decisionOf(d.value());
      assertThat(d.key()).isEqualTo(parsed.campaign());
    }
    for (KafkaTopics.Read r : requests) {
      assertThat(r.value()).contains("\"channel\":\"" + r.key().substring(0, r.key().indexOf('/')));
      assertThat(r.value())
          .contains("\"account\":\"" + r.key().substring(r.key().indexOf('/') + 1));
    }
    for (KafkaTopics.Read d : deadLetters) {
      assertThat(d.value())
          .containsPattern("\"source\":\"" + t.prefix + "(user-events|campaigns)/\\d+/\\d+\"");
    }

    scenariosRun++;
    recordsIn += in;
    decisionsOut += decisions.size();
    sendRequestsOut += requests.size();
    deadLettersOut += deadLetters.size();
    duplicates +=
        decisions.size() - decisions.stream().map(KafkaTopics.Read::value).distinct().count();
  }

  // ------------------------------------------------------------------ live

  @Test
  void liveDecidesOnTimeWithoutTrafficAndDeadLettersBadRecordsWithTheirOffsets() throws Exception {
    Names t = newTopics(2);
    JobClient job = startLive(t, 2, "kafka live");
    try {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      topics.send(t.userEvents, "messenger/page-1/u-a", interaction("u-a", now.minusSeconds(60)));
      topics.awaitCaughtUp(t.prefix + "group", t.userEvents, Duration.ofSeconds(90));
      now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      Instant start = now.plusSeconds(2);
      topics.send(t.campaigns, "c1", campaign("c1", now, start));

      // Nothing flows from here on: event time follows the wall clock.
      List<KafkaTopics.Read> first =
          topics.awaitCommitted(t.decisions, l -> !l.isEmpty(), Duration.ofSeconds(90));
      Instant seen = Instant.now();
      Decided d = decisionOf(first.get(0).value());
      assertThat(d.campaign()).isEqualTo("c1");
      assertThat(d.at()).isEqualTo(start);
      assertThat(d.outcome()).isEqualTo("SEND");
      System.out.printf(
          "kafka live: c1 committed %d ms of wall-clock time after its start%n",
          Duration.between(start, seen).toMillis());

      // Bad records, each on its own offset; then a valid campaign, which must still be decided.
      Map<String, String> bad = new LinkedHashMap<>();
      bad.put(where(topics.send(t.userEvents, "x", "not json")), "not json");
      bad.put(where(topics.send(t.userEvents, null, campaign("c9", now, start))), "campaign");
      bad.put(where(topics.send(t.userEvents, "x", "{\"type\":\"interaction\"}")), "missing");
      bad.put(where(topics.send(t.userEvents, "x", (byte[]) null)), "tombstone");
      bad.put(where(topics.send(t.campaigns, "x", interaction("u-b", now))), "user event");
      bad.put(where(topics.send(t.campaigns, "x", new byte[] {(byte) 0xc3, 0x28})), "bad utf-8");
      Instant now2 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      topics.send(t.campaigns, "c2", campaign("c2", now2, now2.plusSeconds(1)));

      List<KafkaTopics.Read> letters =
          topics.awaitCommitted(t.deadLetters, l -> l.size() >= bad.size(), Duration.ofSeconds(90));
      assertThat(letters).hasSize(bad.size());
      for (KafkaTopics.Read letter : letters) {
        assertThat(letter.key()).isNull();
        String source = sourceOf(letter.value());
        assertThat(bad).as(letter.value()).containsKey(source);
        assertThat(letter.value()).contains("\"reason\":\"");
      }
      List<KafkaTopics.Read> all =
          topics.awaitCommitted(
              t.decisions,
              l -> l.stream().anyMatch(r -> r.key().equals("c2")),
              Duration.ofSeconds(90));
      assertThat(all).extracting(KafkaTopics.Read::key).containsExactly("c1", "c2");
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get();
    }
  }

  // ------------------------------------------------------------------ failover

  @Test
  void aTaskManagerKilledWhileACampaignIsDecidedLeavesEveryDecisionOnce(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    int users = 3000;
    Names t = newTopics(4);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    for (int i = 0; i < users; i++) {
      String user = "u-" + i;
      topics.send(
          t.userEvents, "messenger/page-1/" + user, interaction(user, now.minusSeconds(60)));
    }
    JobClient job = startLive(t, 4, "kafka failover");
    try {
      topics.awaitCaughtUp(t.prefix + "group", t.userEvents, Duration.ofSeconds(90));
      Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusSeconds(3);
      // 300 decisions a second: about ten seconds of deciding.
      topics.send(
          t.campaigns,
          "rated",
          "{\"type\":\"campaign\",\"id\":\"rated\",\"at\":\""
              + start.minusSeconds(3)
              + "\",\"startAt\":\""
              + start
              + "\",\"rate\":300,\"channel\":\"messenger\",\"account\":\"page-1\","
              + "\"message\":{\"text\":\"Back in stock\"}}");

      List<KafkaTopics.Read> before =
          topics.awaitCommitted(t.decisions, l -> l.size() >= 300, Duration.ofSeconds(120));
      cluster.terminateTaskManager(0).get();
      long killedAt = System.nanoTime();
      cluster.startTaskManager();

      List<KafkaTopics.Read> after =
          topics.awaitCommitted(
              t.decisions,
              l -> l.stream().map(KafkaTopics.Read::value).distinct().count() >= users,
              Duration.ofSeconds(180));
      long recovered = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
      // Two more checkpoints, each committing a transaction: anything decided twice shows now.
      long checkpoints = completedCheckpoints(cluster, job);
      KafkaTopics.poll(
          () -> completedCheckpoints(cluster, job),
          n -> n >= checkpoints + 2,
          Duration.ofSeconds(60),
          n -> "completed checkpoints: " + n);
      List<KafkaTopics.Read> settled = topics.readAll(t.decisions);

      Map<String, Integer> perUser =
          KafkaTopics.counts(
              settled.stream()
                  .map(r -> decisionOf(r.value()))
                  .map(d -> d.campaign() + " " + d.user())
                  .toList());
      long twice = perUser.values().stream().filter(n -> n > 1).count();
      System.out.printf(
          "kafka failover: task manager killed after %d of %d decisions were committed; all"
              + " committed %d ms later; %d decisions, %d (campaign, user) pairs, %d decided more"
              + " than once%n",
          before.size(), users, recovered, settled.size(), perUser.size(), twice);
      assertThat(restarts(cluster, job))
          .as("the job failed over (its exception history)")
          .isPositive();
      assertThat(perUser).hasSize(users);
      assertThat(twice).isZero();
      assertThat(settled).hasSize(users);
    } finally {
      job.cancel().get();
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Starts the job in live mode on {@code t}, checkpointing every second. */
  private static JobClient startLive(Names t, int userEventPartitions, String name)
      throws Exception {
    JobConfig config =
        config(
            concat(
                t.flags(),
                "--checkpoint-interval",
                "PT1S",
                "--out-of-orderness",
                "PT0.3S",
                "--idle-after",
                "PT0.2S"));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(config.flinkConfiguration());
    HeraldJob.deliveryJob(config, t.partitions(), 2).build(env);
    return env.executeAsync(name);
  }

  /** How many failures the job's exception history holds, from the cluster's REST API. */
  private static int restarts(MiniCluster cluster, JobClient job) throws Exception {
    return rest(cluster, job, "exceptions").path("exceptionHistory").path("entries").size();
  }

  /** How many checkpoints of the job have completed, from the cluster's REST API. */
  private static long completedCheckpoints(MiniCluster cluster, JobClient job) throws Exception {
    return rest(cluster, job, "checkpoints").path("counts").path("completed").asLong();
  }

  private static JsonNode rest(MiniCluster cluster, JobClient job, String what) throws Exception {
    var uri = cluster.getRestAddress().get().resolve("/jobs/" + job.getJobID() + "/" + what);
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(uri).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  /** One job's topics. */
  private record Names(
      String prefix,
      String userEvents,
      String campaigns,
      String decisions,
      String sendRequests,
      String deadLetters,
      String deliveryOutcomes,
      int userEventPartitions) {
    /** The partitions of the topics the job reads. */
    Map<String, Integer> partitions() {
      return Map.of(userEvents, userEventPartitions, deliveryOutcomes, userEventPartitions);
    }

    List<String> flags() {
      return List.of(
          "--bootstrap-servers",
          kafka.bootstrapServers(),
          "--topic-user-events",
          userEvents,
          "--topic-campaigns",
          campaigns,
          "--topic-decisions",
          decisions,
          "--topic-send-requests",
          sendRequests,
          "--topic-dead-letters",
          deadLetters,
          "--topic-delivery-outcomes",
          deliveryOutcomes,
          "--delivery",
          "false",
          "--group-id",
          prefix + "group",
          "--transactional-id-prefix",
          prefix + "tx",
          "--checkpoint-dir",
          work.resolve(prefix + "checkpoints").toUri().toString(),
          "--parallelism",
          "2",
          "--rocksdb-memory-per-slot",
          "32mb");
    }
  }

  private static Names newTopics(int userEventPartitions) throws Exception {
    String p = "j" + jobs.incrementAndGet() + "-";
    Names n =
        new Names(
            p,
            p + "user-events",
            p + "campaigns",
            p + "decisions",
            p + "send-requests",
            p + "dead-letters",
            p + "delivery-outcomes",
            userEventPartitions);
    Map<String, Integer> partitions = new LinkedHashMap<>();
    partitions.put(n.userEvents, userEventPartitions);
    partitions.put(n.campaigns, 1);
    partitions.put(n.decisions, 2);
    partitions.put(n.sendRequests, 2);
    partitions.put(n.deadLetters, 1);
    partitions.put(n.deliveryOutcomes, userEventPartitions);
    topics.create(partitions);
    return n;
  }

  private static JobConfig config(List<String> args) {
    return JobConfig.parse(args.toArray(String[]::new));
  }

  private static List<String> concat(List<String> a, String... b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(List.of(b));
    return all;
  }

  private static List<String> values(List<KafkaTopics.Read> reads) {
    return reads.stream().map(KafkaTopics.Read::value).toList();
  }

  /** The fields of a decision these tests look at. */
  private record Decided(String campaign, String user, Instant at, String outcome) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Decided decisionOf(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      return new Decided(
          n.path("campaign").asText(),
          n.path("channel").asText()
              + "/"
              + n.path("account").asText()
              + "/"
              + n.path("user").asText(),
          Wire.parseInstant(n.path("at").asText()),
          n.path("outcome").asText());
    } catch (IOException e) {
      throw new AssertionError("not a decision: " + json, e);
    }
  }

  private static String where(RecordMetadata m) {
    return m.topic() + "/" + m.partition() + "/" + m.offset();
  }

  private static final Pattern SOURCE = Pattern.compile("\"source\":\"([^\"]*)\"");

  private static String sourceOf(String deadLetter) {
    var m = SOURCE.matcher(deadLetter);
    return m.find() ? m.group(1) : null;
  }

  private static String interaction(String user, Instant at) {
    return "{\"type\":\"interaction\",\"at\":\""
        + at
        + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\""
        + user
        + "\"}";
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
}
