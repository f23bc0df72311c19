package dev.herald.job.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Topics of a test broker: create them, write to them, read what is committed in them. */
final class KafkaTopics implements AutoCloseable {

  /** A record as a {@code read_committed} consumer sees it. */
  record Read(String key, String value, int partition, long offset) {}

  private final String servers;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;

  KafkaTopics(String servers) {
    this.servers = servers;
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    admin = Admin.create(a);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2097152");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Creates topics, each with its partition count. */
  void create(Map<String, Integer> partitions) throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    partitions.forEach((name, n) -> topics.add(new NewTopic(name, n, (short) 1)));
    admin.createTopics(topics).all().get();
  }

  /** Writes one record and waits for it; {@code key} may be null. */
  RecordMetadata send(String topic, String key, byte[] value) throws Exception {
    return producer
        .send(
            new ProducerRecord<>(
                topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
        .get();
  }

  RecordMetadata send(String topic, String key, String value) throws Exception {
    return send(topic, key, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Everything committed in {@code topic} up to its end now, in partition and offset order. */
  List<Read> readAll(String topic) {
    try (KafkaConsumer<String, String> c = consumer()) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .collect(Collectors.toList());
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts); // the last stable offsets
      List<Read> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!reached(c, end)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end " + end);
        }
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          out.add(new Read(r.key(), r.value(), r.partition(), r.offset()));
        }
      }
      out.sort(
          (x, y) ->
              x.partition() != y.partition()
                  ? Integer.compare(x.partition(), y.partition())
                  : Long.compare(x.offset(), y.offset()));
      return out;
    }
  }

  /**
   * Reads {@code topic}'s committed records until {@code done} holds for all read so far, with a
   * generous deadline.
   */
  List<Read> awaitCommitted(String topic, Predicate<List<Read>> done, Duration deadline)
      throws InterruptedException {
    long until = System.nanoTime() + deadline.toNanos();
    List<Read> read = readAll(topic);
    while (!done.test(read)) {
      if (System.nanoTime() > until) {
        throw new AssertionError(
            "waited " + deadline.toSeconds() + " s; " + topic + " holds " + read.size() + ": "
                + read.stream().limit(5).map(Read::value).toList());
      }
      Thread.sleep(250);
      read = readAll(topic);
    }
    return read;
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private KafkaConsumer<String, String> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  /** How many times each value of {@code key} occurs. */
  static <T> Map<T, Integer> counts(Collection<T> keys) {
    Map<T, Integer> counts = new HashMap<>();
    keys.forEach(k -> counts.merge(k, 1, Integer::sum));
    return counts;
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
  }
}
