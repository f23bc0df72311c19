package dev.herald.job.kafka;

import static dev.herald.job.kafka.DeliveryStack.campaign;
import static dev.herald.job.kafka.DeliveryStack.interaction;
import static dev.herald.job.kafka.DeliveryStack.userEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.connectors.kafka.local.LocalKafka;
import dev.herald.job.HeraldJob;
import dev.herald.job.JobConfig;
import dev.herald.simulator.ChannelSimulator;
import dev.herald.simulator.Counters;
import dev.herald.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Delivery end to end: a real broker, the job at parallelism 2 on an embedded cluster, and the
 * channel simulator as both platforms, refereeing every message with its own model of the rules.
 * Events and campaigns go in on Kafka; the messages must reach the simulator no faster than each
 * account's limit, never two to one WhatsApp user within 6 s, each request once, none the platform
 * would reject; and what the platform answered must come back into the users' state.
 */
class DeliveryITCase {

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
  private static KafkaTopics topics;

  @BeforeAll
  static void start() throws Exception {
    kafka = LocalKafka.start(work.resolve("kafka"), 0);
    topics = new KafkaTopics(kafka.bootstrapServers());
  }

  @AfterAll
  static void stop() throws Exception {
    if (topics != null) {
      topics.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void messagesReachTheChannelsWithinTheLimitsAndWhatTheyAnswerComesBack() throws Exception {
    Map<String, Integer> partitions = DeliveryStack.createTopics(topics);

    int pageLimit = 40;
    int phoneLimit = 20;
    try (ChannelSimulator sim =
        ChannelSimulator.start(
            SimulatorConfig.builder()
                .port(0)
                .accountPerSecond("page-1", pageLimit)
                .accountPerSecond("wa-1", phoneLimit)
                .token("page-1", "page-token")
                .token("wa-1", "phone-token")
                .userEvents(kafka.bootstrapServers(), "user-events")
                .build())) {
      JobConfig config =
          DeliveryStack.liveConfig(
              kafka.bootstrapServers(),
              work,
              sim,
              Map.of("messenger/page-1", "page-token", "whatsapp/wa-1", "phone-token"),
              Map.of("messenger/page-1", pageLimit, "whatsapp/wa-1", phoneLimit),
              // The hop's jitter on a loaded 2-core test machine (GC, the broker and the
              // simulator in the same JVM) can pass the 50 ms default: allow for 250 ms.
              "--delivery-margin",
              "PT0.25S");
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(config.flinkConfiguration());
      HeraldJob.deliveryJob(config, partitions, 2).build(env);
      JobClient job = env.executeAsync("delivery end to end");
      try {
        run(sim, pageLimit, phoneLimit);
      } finally {
        job.cancel().get();
      }
    }
  }

  private void run(ChannelSimulator sim, int pageLimit, int phoneLimit) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant hourAgo = now.minus(Duration.ofHours(1));
    Instant daysAgo = now.minus(Duration.ofDays(2));
    int events = 0;
    // Messenger: 200 users inside the window, 40 outside it with a one-time token.
    for (int i = 0; i < 200; i++) {
      events += send(interaction("messenger", "page-1", "m-" + i, hourAgo));
    }
    for (int i = 200; i < 240; i++) {
      events += send(interaction("messenger", "page-1", "m-" + i, daysAgo));
      events +=
          send(
              userEvent("otn_optin", "messenger", "page-1", "m-" + i, daysAgo)
                  + ",\"topic\":\"restock\",\"token\":\"otn-"
                  + i
                  + "\"}");
    }
    // WhatsApp: 60 users inside the window, 10 outside it who opted in to utility templates.
    for (int i = 0; i < 60; i++) {
      events += send(interaction("whatsapp", "wa-1", "w-" + i, hourAgo));
    }
    for (int i = 60; i < 70; i++) {
      events += send(interaction("whatsapp", "wa-1", "w-" + i, daysAgo));
      events +=
          send(
              userEvent("optin", "whatsapp", "wa-1", "w-" + i, daysAgo)
                  + ",\"category\":\"UTILITY\"}");
    }
    sim.markUnreachable("page-1", "m-0"); // blocked the page: the platform answers 551
    topics.awaitCaughtUp("herald", "user-events", DEADLINE);

    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant start = at.plusSeconds(2);
    // Inside the window for those who wrote in the last day; the restock (a one-time
    // notification) goes to the users who asked for one, outside their window.
    topics.send(
        "campaigns",
        "hello",
        campaign("hello", "messenger", "page-1", at, start)
            + ",\"message\":{\"text\":\"Hello again\"}}");
    topics.send(
        "campaigns",
        "restock",
        campaign("restock", "messenger", "page-1", at, start)
            + ",\"outsideWindow\":\"OTN\",\"topic\":\"restock\",\"message\":{\"text\":\"Back in"
            + " stock!\"}}");
    topics.send(
        "campaigns",
        "wa-update",
        campaign("wa-update", "whatsapp", "wa-1", at, start)
            + ",\"promotional\":false,\"outsideWindow\":\"TEMPLATE\",\"template\":{\"name\":"
            + "\"order_update\",\"language\":\"en_US\",\"category\":\"UTILITY\"},"
            + "\"message\":{\"text\":\"Your order shipped\"}}");
    // A second message to ten WhatsApp users at the same instant: the dispatcher spaces the two
    // by 6 s, or the platform answers 131056.
    topics.send(
        "campaigns",
        "wa-second",
        campaign("wa-second", "whatsapp", "wa-1", at, start)
            + ",\"promotional\":false,\"audience\":{\"users\":["
            + java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> "\"w-" + i + "\"")
                .collect(Collectors.joining(","))
            + "]},\"message\":{\"text\":\"And a tracking link\"}}");
    int sends = 200 + 40 + 70 + 10;

    List<KafkaTopics.Read> outcomes =
        explained(
            sim,
            () -> topics.awaitCommitted("delivery-outcomes", l -> l.size() >= sends, DEADLINE));
    Map<String, Long> byStatus =
        outcomes.stream()
            .collect(Collectors.groupingBy(r -> field(r.value(), "status"), Collectors.counting()));
    assertThat(byStatus).containsEntry("sent", (long) sends - 1).containsEntry("failed", 1L);
    KafkaTopics.Read failed =
        outcomes.stream()
            .filter(r -> field(r.value(), "status").equals("failed"))
            .findFirst()
            .get();
    assertThat(failed.key()).isEqualTo("messenger/page-1/m-0");
    assertThat(JSON.readTree(failed.value()).path("error").path("code").asLong()).isEqualTo(551);
    assertThat(outcomes)
        .filteredOn(r -> field(r.value(), "status").equals("sent"))
        .allSatisfy(r -> assertThat(field(r.value(), "messageId")).isNotEmpty());

    // The unreachable user is skipped by the next campaign, once the outcome is back in state.
    Instant at2 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    topics.send(
        "campaigns",
        "weekly",
        campaign("weekly", "messenger", "page-1", at2, at2.plusSeconds(2))
            + ",\"message\":{\"text\":\"This week's deals\"}}");
    List<KafkaTopics.Read> decisions =
        topics.awaitCommitted(
            "decisions",
            l -> l.stream().filter(r -> r.key().equals("weekly")).count() >= 240,
            DEADLINE);
    Map<String, String> weekly =
        decisions.stream()
            .filter(r -> r.key().equals("weekly"))
            .collect(
                Collectors.toMap(
                    r -> field(r.value(), "user"),
                    r -> field(r.value(), "outcome") + " " + field(r.value(), "reason")));
    assertThat(weekly).containsEntry("m-0", "SKIP UNREACHABLE").containsEntry("m-1", "SEND ");
    long weeklySends = weekly.values().stream().filter(v -> v.startsWith("SEND")).count();
    assertThat(weeklySends).isEqualTo(199);
    topics.awaitCommitted("delivery-outcomes", l -> l.size() >= sends + weeklySends, DEADLINE);

    Counters c = sim.counters();
    int decided = decisions.size();
    System.out.printf(
        "delivery e2e: %d events in, %d decisions, %d sends received (%d accepted), largest count"
            + " in any one second: page-1 %d (limit %d), wa-1 %d (limit %d); throttled %d,"
            + " pair-throttled %d, referee rejections %d, duplicates %d%n",
        events,
        decided,
        c.received(),
        c.accepted(),
        c.accounts().get("page-1").maxInAnyOneSecond(),
        pageLimit,
        c.accounts().get("wa-1").maxInAnyOneSecond(),
        phoneLimit,
        c.throttled(),
        c.pairThrottled(),
        c.rejections(),
        c.duplicates());
    assertThat(c.rejections()).as("messages the platform would reject").isZero();
    assertThat(c.duplicates()).as("requests sent twice").isZero();
    assertThat(c.pairThrottled()).as("two messages to one WhatsApp user within 6 s").isZero();
    assertThat(c.throttled()).as("calls over an account's limit").isZero();
    assertThat(c.accepted()).isEqualTo(sends - 1 + weeklySends);
    assertThat(c.accounts().get("page-1").maxInAnyOneSecond()).isLessThanOrEqualTo(pageLimit);
    assertThat(c.accounts().get("wa-1").maxInAnyOneSecond()).isLessThanOrEqualTo(phoneLimit);
  }

  /** {@code wait}, and on failure what the simulator and the topics hold, to tell why. */
  private static <T> T explained(ChannelSimulator sim, java.util.concurrent.Callable<T> wait)
      throws Exception {
    try {
      return wait.call();
    } catch (AssertionError e) {
      System.out.println("simulator: " + sim.counters());
      for (String topic :
          List.of("decisions", "send-requests", "delivery-outcomes", "dead-letters")) {
        List<KafkaTopics.Read> read = topics.readAll(topic);
        System.out.println(
            topic
                + ": "
                + read.size()
                + " committed, by key "
                + KafkaTopics.counts(read.stream().map(r -> String.valueOf(r.key())).toList())
                + read.stream().limit(3).map(KafkaTopics.Read::value).toList());
      }
      throw e;
    }
  }

  private static String field(String json, String name) {
    try {
      return JSON.readTree(json).path(name).asText("");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a user event; counts it. */
  private static int send(String userEvent) throws Exception {
    DeliveryStack.send(topics, userEvent);
    return 1;
  }
}
