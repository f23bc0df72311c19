package dev.herald.connectors.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates Herald's topics, each with its retention, and reports what exists. Idempotent: a topic
 * that exists is left exactly as it is (never altered, never deleted), a missing one is created.
 *
 * <p>Every topic deletes by age ({@code cleanup.policy=delete}): compaction keeps only the last
 * record per key, and would drop a user's or a campaign's earlier records. What each topic keeps:
 *
 * <ul>
 *   <li>user events, campaigns and delivery outcomes: forever, they are the history a replay
 *       backtests over;
 *   <li>decisions: 400 days, for audit;
 *   <li>send requests: 7 days, they are acted on within minutes;
 *   <li>dead letters: 30 days, long enough to look into them.
 * </ul>
 *
 * <p>The campaigns topic always has one partition: Kafka orders records within a partition only,
 * and every instance of the job must apply campaign records (a campaign, its edits, its
 * cancellation) in the one order they were written.
 */
public final class Topics {

  /** {@code retention.ms} of a topic that keeps its records forever. */
  public static final long FOREVER = -1;

  public static final Duration DECISIONS_RETENTION = Duration.ofDays(400);
  public static final Duration SEND_REQUESTS_RETENTION = Duration.ofDays(7);
  public static final Duration DEAD_LETTERS_RETENTION = Duration.ofDays(30);

  /** How long a topic just created may stay unknown to the broker that is asked about it. */
  static final Duration NEW_TOPIC_VISIBLE_WITHIN = Duration.ofSeconds(30);

  /** A topic as Herald creates it. */
  public record Spec(String name, int partitions, short replicationFactor, long retentionMs) {

    NewTopic toNewTopic() {
      return new NewTopic(name, partitions, replicationFactor)
          .configs(
              Map.of(
                  TopicConfig.CLEANUP_POLICY_CONFIG,
                  TopicConfig.CLEANUP_POLICY_DELETE,
                  TopicConfig.RETENTION_MS_CONFIG,
                  Long.toString(retentionMs)));
    }
  }

  /** A topic as found on the broker, and whether this run created it. */
  public record Row(
      String name, int partitions, int replicationFactor, long retentionMs, boolean created) {

    /** {@code created} or {@code exists}. */
    public String status() {
      return created ? "created" : "exists";
    }
  }

  private Topics() {}

  /**
   * The topics Herald needs.
   *
   * @param partitions partitions of every topic but campaigns, which has one
   * @throws IllegalArgumentException if partitions or replication factor is below 1
   */
  public static List<Spec> specs(TopicNames names, int partitions, short replicationFactor) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replication factor must be at least 1, got " + replicationFactor);
    }
    short rf = replicationFactor;
    return List.of(
        new Spec(names.userEvents(), partitions, rf, FOREVER),
        new Spec(names.campaigns(), 1, rf, FOREVER),
        new Spec(names.decisions(), partitions, rf, DECISIONS_RETENTION.toMillis()),
        new Spec(names.sendRequests(), partitions, rf, SEND_REQUESTS_RETENTION.toMillis()),
        new Spec(names.deadLetters(), partitions, rf, DEAD_LETTERS_RETENTION.toMillis()),
        new Spec(names.deliveryOutcomes(), partitions, rf, FOREVER));
  }

  /**
   * Creates the missing topics and describes all of them as they now are.
   *
   * @return one row per topic, in the order of {@link #specs}
   * @throws ExecutionException if the broker refused a request; the message names the topic
   */
  public static List<Row> ensure(
      Admin admin, TopicNames names, int partitions, short replicationFactor)
      throws ExecutionException, InterruptedException {
    List<Spec> specs = specs(names, partitions, replicationFactor);
    List<NewTopic> newTopics = specs.stream().map(Spec::toNewTopic).toList();
    Map<String, KafkaFuture<Void>> creations = admin.createTopics(newTopics).values();

    Map<String, Boolean> created = new LinkedHashMap<>();
    for (Spec spec : specs) {
      try {
        creations.get(spec.name()).get();
        created.put(spec.name(), true);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw named("creating topic " + spec.name(), e);
        }
        created.put(spec.name(), false);
      }
    }
    return describe(admin, created);
  }

  /**
   * Describes the topics. The broker learns of a topic a moment after the controller created it,
   * and until then says it does not host it: that answer is asked again for a while.
   */
  private static List<Row> describe(Admin admin, Map<String, Boolean> created)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + NEW_TOPIC_VISIBLE_WITHIN.toNanos();
    while (true) {
      try {
        return describeOnce(admin, created);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw named("describing topics " + created.keySet(), e);
        }
        Thread.sleep(100);
      }
    }
  }

  private static List<Row> describeOnce(Admin admin, Map<String, Boolean> created)
      throws ExecutionException, InterruptedException {
    Collection<String> names = created.keySet();
    Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
    List<ConfigResource> resources =
        names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
    List<Row> rows = new ArrayList<>();
    for (String name : names) {
      TopicDescription d = descriptions.get(name);
      ConfigEntry retention =
          configs
              .get(new ConfigResource(ConfigResource.Type.TOPIC, name))
              .get(TopicConfig.RETENTION_MS_CONFIG);
      rows.add(
          new Row(
              name,
              d.partitions().size(),
              d.partitions().get(0).replicas().size(),
              Long.parseLong(retention.value()),
              created.get(name)));
    }
    return rows;
  }

  /** The rows as an aligned text table with a header line. */
  public static String table(List<Row> rows) {
    String format = "%-" + nameWidth(rows) + "s  %10s  %18s  %9s  %s%n";
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(format, "topic", "partitions", "replication factor", "retention", "status"));
    for (Row r : rows) {
      b.append(
          String.format(
              format,
              r.name(),
              r.partitions(),
              r.replicationFactor(),
              retention(r.retentionMs()),
              r.status()));
    }
    return b.toString();
  }

  /** A {@code retention.ms} value for people: {@code forever}, {@code 400 d}, {@code 12 h}. */
  static String retention(long retentionMs) {
    long day = Duration.ofDays(1).toMillis();
    long hour = Duration.ofHours(1).toMillis();
    if (retentionMs < 0) {
      return "forever";
    } else if (retentionMs > 0 && retentionMs % day == 0) {
      return retentionMs / day + " d";
    } else if (retentionMs > 0 && retentionMs % hour == 0) {
      return retentionMs / hour + " h";
    }
    return retentionMs + " ms";
  }

  private static int nameWidth(List<Row> rows) {
    int w = "topic".length();
    for (Row r : rows) {
      w = Math.max(w, r.name().length());
    }
    return w;
  }

  private static ExecutionException named(String what, ExecutionException e) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return new ExecutionException(what + ": " + cause.getMessage(), cause);
  }
}
