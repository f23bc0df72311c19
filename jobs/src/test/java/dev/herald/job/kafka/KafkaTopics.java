package dev.herald.job.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
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
      throws Exception {
    return poll(
        () -> readAll(topic),
        done,
        deadline,
        read ->
            topic
                + " holds "
                + read.size()
                + ": "
                + read.stream().limit(5).map(Read::value).toList());
  }

  /**
   * Waits until consumer group {@code group} has committed offsets at the end of every partition of
   * {@code topic}: a job that commits at checkpoints has then read everything in it and is running.
   */
  void awaitCaughtUp(String group, String topic, Duration deadline) throws Exception {
    Map<TopicPartition, Long> end;
    try (KafkaConsumer<String, String> c = consumer()) {
      end =
          c.endOffsets(
              c.partitionsFor(topic).stream()
                  .map(i -> new TopicPartition(topic, i.partition()))
                  .collect(Collectors.toList()));
    }
    poll(
        () -> admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(),
        committed ->
            end.entrySet().stream()
                .allMatch(e -> offset(committed.get(e.getKey())) >= e.getValue()),
        deadline,
        committed -> "group " + group + " committed " + committed + ", the end is " + end);
  }

  /** A committed offset; none (an empty partition, never committed to) is 0. */
  private static long offset(org.apache.kafka.clients.consumer.OffsetAndMetadata committed) {
    return committed == null ? 0 : committed.offset();
  }

  /**
   * Reads {@code read} until {@code done} holds for what it gives, every 200 ms, and returns that;
   * fails with {@code describe} of the last reading once {@code deadline} has passed.
   */
  static <T> T poll(
      Callable<T> read, Predicate<T> done, Duration deadline, Function<T, String> describe)
      throws Exception {
    long until = System.nanoTime() + deadline.toNanos();
    T last = read.call();
    while (!done.test(last)) {
      if (System.nanoTime() > until) {
        throw new AssertionError("waited " + deadline.toSeconds() + " s; " + describe.apply(last));
      }
      Thread.sleep(200);
      last = read.call();
    }
    return last;
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
