package dev.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.connectors.kafka.TopicNames;
import dev.herald.connectors.kafka.Topics;
import dev.herald.connectors.kafka.local.LocalKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The upgrade path of {@code deploy/README.md}, run with the scripts on a real standalone cluster
 * and a real Kafka broker: start a cluster, submit the Herald job jar at parallelism 2, let it
 * decide a campaign, stop it with a savepoint, add a TaskManager, resubmit from the savepoint at
 * parallelism 3, and let it decide a second campaign.
 *
 * <p>Every user holds two one-time-notification tokens granted days before the upgrade, outside the
 * standard window. The first campaign spends each user's older token; the second campaign, decided
 * by the restored job, must spend the newer one: that needs the users' state (their tokens, and
 * which one is spent) from the savepoint, since the restored job does not read the user events
 * again. Then a TaskManager is killed and a third campaign finds every token spent: the restart
 * from a checkpoint kept that too. And every (campaign, user) is decided exactly once across the
 * upgrade and the crash.
 *
 * <p>The cluster and broker live under {@code target/standalone-it/}, kept after the run for the
 * logs.
 */
class StandaloneClusterITCase {

  private static final int USERS = 12;
  private static final int USER_EVENT_PARTITIONS = 4;
  private static final String CHANNEL = "messenger";
  private static final String ACCOUNT = "page-1";
  private static final String TOPIC = "restock";

  /** The job's Kafka consumer group, where its sources commit their offsets at checkpoints. */
  private static final String GROUP_ID = "herald-it";

  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration DECISIONS_TIMEOUT = Duration.ofSeconds(90);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Map<String, Double> timings = new LinkedHashMap<>();

  /** One decision as the test reads it from the decisions topic. */
  record Decision(
      String campaign, String user, String outcome, String basis, String token, String reason) {

    static Decision parse(String json) {
      try {
        JsonNode n = JSON.readTree(json);
        return new Decision(
            n.path("campaign").asText(null),
            n.path("user").asText(null),
            n.path("outcome").asText(null),
            n.path("basis").asText(null),
            n.path("token").asText(null),
            n.path("reason").asText(null));
      } catch (IOException e) {
        throw new UncheckedIOException("not a decision: " + json, e);
      }
    }

    String campaignAndUser() {
      return campaign + "/" + user;
    }
  }

  @Test
  void anUpgradeThroughASavepointKeepsEveryUsersTokens() throws Exception {
    Path work =
        Path.of(System.getProperty("herald.it.dir", "target/standalone-it")).toAbsolutePath();
    Path jobJar = existing(System.getProperty("herald.job.jar", "../jobs/target/herald-job.jar"));
    Path script = existing(System.getProperty("herald.flink.cluster", "standalone/flink-cluster"));
    Path lib = existing(System.getProperty("herald.flink.lib", "target/flink/lib"));
    ClusterScript cluster = new ClusterScript(script, work.resolve("flink"));
    cluster.run(COMMAND_TIMEOUT, "stop"); // what an interrupted run may have left running
    deleteRecursively(work);
    Thread stopOnExit = new Thread(() -> cluster.run(COMMAND_TIMEOUT, "stop"));
    long started = System.nanoTime();
    try (LocalKafka kafka = time("kafka start", () -> LocalKafka.start(work.resolve("kafka"), 0));
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
        KafkaProducer<String, String> producer = producer(kafka.bootstrapServers())) {
      Topics.ensure(admin, TopicNames.DEFAULTS, USER_EVENT_PARTITIONS, (short) 1);
      int restPort = ClusterScript.freePort();
      Runtime.getRuntime().addShutdownHook(stopOnExit);
      try {
        time(
            "cluster start",
            () ->
                cluster.run(
                    COMMAND_TIMEOUT,
                    "start",
                    "--lib",
                    lib.toString(),
                    "--rest-port",
                    Integer.toString(restPort),
                    "--rpc-port",
                    Integer.toString(ClusterScript.freePort())));

        // Days ago, outside the 24 h window: only a token allows a message now.
        Instant granted = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        for (String user : users()) {
          sendUserEvent(producer, user, interaction(user, granted));
          sendUserEvent(producer, user, otnOptin(user, granted.plusSeconds(60), token(user, "a")));
          sendUserEvent(producer, user, otnOptin(user, granted.plusSeconds(120), token(user, "b")));
        }
        producer.flush();

        String firstJob =
            time(
                "submit (parallelism 2) to running",
                () ->
                    cluster.run(
                        COMMAND_TIMEOUT, "submit", submitArgs(jobJar, kafka, cluster, 2, null)));
        assertThat(parallelism(restPort, firstJob)).isEqualTo(2);
        // A campaign dated before the job has read the user events would be decided without them.
        time("user events read and committed", () -> awaitUserEventsRead(admin, DECISIONS_TIMEOUT));
        sendCampaign(producer, "restock-1", Instant.now());

        List<Decision> beforeUpgrade =
            time("restock-1 decided and committed", () -> awaitDecisions(kafka, USERS));
        assertThat(beforeUpgrade)
            .as("restock-1 spends every user's older token")
            .containsExactlyInAnyOrderElementsOf(sends("restock-1", "a"));

        String savepoint =
            time(
                "stop-with-savepoint",
                () -> cluster.run(COMMAND_TIMEOUT, "stop-with-savepoint", firstJob));
        assertThat(savepoint).startsWith("file:");
        sendCampaign(producer, "restock-2", Instant.now());

        time("add-taskmanager", () -> cluster.run(COMMAND_TIMEOUT, "add-taskmanager"));
        String secondJob =
            time(
                "resubmit from savepoint (parallelism 3) to running",
                () ->
                    cluster.run(
                        COMMAND_TIMEOUT,
                        "submit",
                        submitArgs(jobJar, kafka, cluster, 3, savepoint)));
        assertThat(parallelism(restPort, secondJob)).isEqualTo(3);

        time("restock-2 decided and committed", () -> awaitDecisions(kafka, 2 * USERS));
        List<Decision> all = settled("restock-2", kafka, restPort, secondJob);

        assertThat(all.stream().filter(d -> d.campaign().equals("restock-2")).toList())
            .as(
                "restock-2, decided after the restore, spends every user's newer token: state survived")
            .containsExactlyInAnyOrderElementsOf(sends("restock-2", "b"));
        assertThat(all.stream().map(Decision::campaignAndUser))
            .as("every (campaign, user) decided once across the upgrade")
            .doesNotHaveDuplicates()
            .hasSize(2 * USERS);

        // A crash of a TaskManager that holds user state: the job restarts from its last
        // checkpoint on the slots left (2 TaskManagers x 2 for parallelism 3). That checkpoint
        // has both tokens spent: a third campaign finds none.
        cluster.run(
            COMMAND_TIMEOUT,
            "kill-taskmanager",
            taskManagerOf(restPort, secondJob, "user decisions"));
        sendCampaign(producer, "restock-3", Instant.now());
        time("restock-3 decided after a TaskManager crash", () -> awaitDecisions(kafka, 3 * USERS));
        all = settled("restock-3", kafka, restPort, secondJob);
        assertThat(
                rest(restPort, "/jobs/" + secondJob + "/exceptions")
                    .at("/exceptionHistory/entries"))
            .as("the crash failed the job, which recovered")
            .isNotEmpty();

        assertThat(all.stream().filter(d -> d.campaign().equals("restock-3")).toList())
            .as("restock-3, decided after the crash, finds every token spent")
            .containsExactlyInAnyOrderElementsOf(skips("restock-3", "NO_TOKEN"));
        assertThat(all.stream().map(Decision::campaignAndUser))
            .as("every (campaign, user) decided once across the upgrade and the crash")
            .doesNotHaveDuplicates()
            .hasSize(3 * USERS);
      } catch (Exception | AssertionError e) {
        System.err.println(
            "[it] jobmanager log, last lines:\n" + cluster.logTail("jobmanager", 40));
        throw e;
      } finally {
        time("cluster stop", () -> cluster.run(COMMAND_TIMEOUT, "stop"));
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      }
    } finally {
      timings.put("total", (System.nanoTime() - started) / 1e9);
      System.err.println("[it] timings (s): " + timings);
    }
  }

  // --- the job and the cluster ------------------------------------------------------------------

  private static String[] submitArgs(
      Path jobJar, LocalKafka kafka, ClusterScript cluster, int parallelism, String savepoint) {
    List<String> args = new ArrayList<>(List.of(jobJar.toString(), "--wait"));
    args.addAll(List.of("--parallelism", Integer.toString(parallelism)));
    if (savepoint != null) {
      args.addAll(List.of("--from-savepoint", savepoint));
    }
    // Parallelism (flink run -p) and the checkpoint folder are the cluster's: the job flags
    // leave them alone unless given.
    args.addAll(
        List.of(
            "--",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--group-id",
            GROUP_ID,
            "--checkpoint-interval",
            "PT2S"));
    return args.toArray(String[]::new);
  }

  /** The highest parallelism among the job's vertices, from the REST API. */
  private static int parallelism(int restPort, String jobId) {
    JsonNode job = rest(restPort, "/jobs/" + jobId);
    int max = 0;
    for (JsonNode vertex : job.path("vertices")) {
      max = Math.max(max, vertex.path("parallelism").asInt());
    }
    return max;
  }

  /** The TaskManager (its resource id, {@code tm-N}) running the first subtask of a vertex. */
  private static String taskManagerOf(int restPort, String jobId, String vertexName) {
    for (JsonNode vertex : rest(restPort, "/jobs/" + jobId).path("vertices")) {
      if (vertex.path("name").asText().contains(vertexName)) {
        String path =
            "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers";
        return rest(restPort, path).at("/taskmanagers/0/taskmanager-id").asText();
      }
    }
    throw new IllegalStateException("job " + jobId + " has no vertex named " + vertexName);
  }

  private static long completedCheckpoints(int restPort, String jobId) {
    return rest(restPort, "/jobs/" + jobId + "/checkpoints")
        .path("counts")
        .path("completed")
        .asLong();
  }

  private static JsonNode rest(int port, String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "GET " + path + ": " + response.statusCode() + " " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every committed decision, once the job has completed two more checkpoints: time for a late
   * duplicate to show up.
   */
  private List<Decision> settled(String after, LocalKafka kafka, int restPort, String jobId)
      throws Exception {
    long checkpoints = completedCheckpoints(restPort, jobId);
    time(
        "two more checkpoints after " + after,
        () ->
            until(
                () -> completedCheckpoints(restPort, jobId) >= checkpoints + 2, DECISIONS_TIMEOUT));
    return readCommittedDecisions(kafka);
  }

  // --- records --------------------------------------------------------------------------------

  private static List<String> users() {
    return Stream.iterate(1, i -> i + 1).limit(USERS).map(i -> String.format("u-%02d", i)).toList();
  }

  private static String token(String user, String which) {
    return "tok-" + user + "-" + which;
  }

  private static List<Decision> sends(String campaign, String whichToken) {
    return users().stream()
        .map(u -> new Decision(campaign, u, "SEND", "OTN", token(u, whichToken), null))
        .toList();
  }

  private static List<Decision> skips(String campaign, String reason) {
    return users().stream()
        .map(u -> new Decision(campaign, u, "SKIP", null, null, reason))
        .toList();
  }

  private static String interaction(String user, Instant at) {
    return userEvent("interaction", user, at) + ",\"interaction\":\"/shop\"}";
  }

  private static String otnOptin(String user, Instant at, String token) {
    return userEvent("otn_optin", user, at)
        + ",\"topic\":\""
        + TOPIC
        + "\",\"token\":\""
        + token
        + "\"}";
  }

  private static String userEvent(String type, String user, Instant at) {
    return String.format(
        "{\"type\":\"%s\",\"at\":\"%s\",\"channel\":\"%s\",\"account\":\"%s\",\"user\":\"%s\"",
        type, at, CHANNEL, ACCOUNT, user);
  }

  private static void sendUserEvent(
      KafkaProducer<String, String> producer, String user, String json) {
    String key = CHANNEL + "/" + ACCOUNT + "/" + user;
    producer.send(new ProducerRecord<>(TopicNames.USER_EVENTS, key, json));
  }

  private static void sendCampaign(KafkaProducer<String, String> producer, String id, Instant at)
      throws Exception {
    String json =
        String.format(
            "{\"type\":\"campaign\",\"id\":\"%s\",\"at\":\"%s\",\"channel\":\"%s\",\"account\":\"%s\","
                + "\"outsideWindow\":\"OTN\",\"topic\":\"%s\",\"message\":{\"text\":\"Back in stock!\"}}",
            id, at.truncatedTo(ChronoUnit.MILLIS), CHANNEL, ACCOUNT, TOPIC);
    producer.send(new ProducerRecord<>(TopicNames.CAMPAIGNS, id, json)).get();
  }

  // --- Kafka ----------------------------------------------------------------------------------

  private static KafkaProducer<String, String> producer(String servers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  /**
   * Waits until the job's consumer group has committed (at a checkpoint) the end offset of every
   * user-events partition: from then on its state holds every user event.
   */
  private static void awaitUserEventsRead(Admin admin, Duration timeout) {
    until(
        () -> {
          try {
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            for (int p = 0; p < USER_EVENT_PARTITIONS; p++) {
              latest.put(new TopicPartition(TopicNames.USER_EVENTS, p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get();
            Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(GROUP_ID).partitionsToOffsetAndMetadata().get();
            return ends.entrySet().stream()
                .allMatch(
                    e -> {
                      OffsetAndMetadata c = committed.get(e.getKey());
                      return c != null && c.offset() >= e.getValue().offset();
                    });
          } catch (Exception e) {
            return false;
          }
        },
        timeout);
  }

  /** Waits until at least {@code count} decisions are committed; returns all of them. */
  private static List<Decision> awaitDecisions(LocalKafka kafka, int count) {
    List<List<Decision>> last = new ArrayList<>(List.of(List.of()));
    try {
      until(
          () -> {
            last.set(0, readCommittedDecisions(kafka));
            return last.get(0).size() >= count;
          },
          DECISIONS_TIMEOUT);
    } catch (IllegalStateException e) {
      throw new AssertionError(
          "expected "
              + count
              + " committed decisions, found "
              + last.get(0).size()
              + ": "
              + last.get(0),
          e);
    }
    return last.get(0);
  }

  /** Every decision a read_committed consumer sees now, from the beginning of the topic. */
  private static List<Decision> readCommittedDecisions(LocalKafka kafka) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(TopicNames.DECISIONS).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // With read_committed, the end offsets are the last stable offsets.
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<Decision> decisions = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read the decisions up to " + ends);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          decisions.add(Decision.parse(r.value()));
        }
      }
      decisions.sort(Comparator.comparing(Decision::campaignAndUser));
      return decisions;
    }
  }

  // --- plumbing -------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Step<T> {
    T run() throws Exception;
  }

  private <T> T time(String what, Step<T> step) throws Exception {
    long started = System.nanoTime();
    T result = step.run();
    double seconds = Math.round((System.nanoTime() - started) / 1e8) / 10.0;
    timings.put(what, seconds);
    System.err.printf("[it] %s: %.1f s%n", what, seconds);
    return result;
  }

  private void time(String what, Runnable step) throws Exception {
    time(
        what,
        () -> {
          step.run();
          return null;
        });
  }

  private static void until(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not so within " + timeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static Path existing(String path) {
    Path p = Path.of(path).toAbsolutePath().normalize();
    if (!Files.exists(p)) {
      throw new IllegalStateException(
          p + " does not exist: build with `mvn -B -pl deploy -am package -DskipTests` first");
    }
    return p;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }
}
