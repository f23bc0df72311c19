package dev.herald.bench.job;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The limit of a start latency: how long Kafka itself takes from writing a record to a reader
 * seeing it, on a topic of its own (one partition) on the same broker, in the same run as the job.
 *
 * <ul>
 *   <li>{@link #plain}: a producer ({@code acks=all}) writes, a consumer sees it at once;
 *   <li>{@link #transactional}: a transactional producer that commits every {@code interval}, as
 *       the job's exactly-once sink commits at each checkpoint, writes half-way through its
 *       transaction (a record written at a random moment waits half an interval on average), and a
 *       {@code read_committed} consumer sees the record once the transaction commits.
 * </ul>
 */
final class KafkaRoundTrip implements AutoCloseable {

  private final String topic;
  private final TopicPartition partition;
  private final KafkaProducer<String, String> plain;
  private final KafkaProducer<String, String> transactional;
  private final KafkaConsumer<String, String> uncommitted;
  private final KafkaConsumer<String, String> committed;

  KafkaRoundTrip(String servers, Admin admin, String topic) throws Exception {
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    plain = producer(servers, null);
    transactional = producer(servers, "bench-round-trip-" + UUID.randomUUID());
    transactional.initTransactions();
    uncommitted = consumer(servers, "read_uncommitted");
    committed = consumer(servers, "read_committed");
  }

  /** Seconds from writing a record with a plain producer to a consumer reading it. */
  double plain() {
    drain(uncommitted);
    long start = System.nanoTime();
    plain.send(new ProducerRecord<>(topic, "plain", "{}"));
    plain.flush();
    awaitOne(uncommitted);
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Seconds from writing a record half-way through a transaction lasting {@code interval} to a
   * {@code read_committed} consumer reading it (after the commit at the interval's end).
   */
  double transactional(Duration interval) throws InterruptedException {
    // Both readers at the end, so the record they see next is this one.
    drain(committed);
    drain(uncommitted);
    transactional.beginTransaction();
    long begun = System.nanoTime();
    long phase = interval.toNanos() / 2;
    Thread.sleep(phase / 1_000_000, (int) (phase % 1_000_000));
    long start = System.nanoTime();
    transactional.send(new ProducerRecord<>(topic, "transactional", "{}"));
    transactional.flush();
    long left = begun + interval.toNanos() - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
    transactional.commitTransaction();
    awaitOne(committed);
    drain(uncommitted);
    return (System.nanoTime() - start) / 1e9;
  }

  private void awaitOne(KafkaConsumer<String, String> consumer) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (consumer.poll(Duration.ofMillis(50)).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the round-trip record did not arrive within 60 s");
      }
    }
  }

  private static void drain(KafkaConsumer<String, String> consumer) {
    while (!consumer.poll(Duration.ofMillis(20)).isEmpty()) {
      // read what is there
    }
  }

  private KafkaConsumer<String, String> consumer(String servers, String isolation) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    c.assign(List.of(partition));
    c.seekToEnd(List.of(partition));
    c.position(partition); // resolve the end now, before anything is written
    return c;
  }

  private static KafkaProducer<String, String> producer(String servers, String transactionalId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    if (transactionalId != null) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  @Override
  public void close() {
    plain.close(Duration.ofSeconds(5));
    transactional.close(Duration.ofSeconds(5));
    uncommitted.close(Duration.ofSeconds(5));
    committed.close(Duration.ofSeconds(5));
  }
}
