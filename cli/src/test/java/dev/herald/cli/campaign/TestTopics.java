package dev.herald.cli.campaign;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics on the test broker: create them, write to them, read back what is committed. */
final class TestTopics implements AutoCloseable {

  /** One record read back. */
  record Read(String key, String value, int partition, long offset) {}

  private final String servers;
  private final Admin admin;
  private final KafkaProducer<String, String> producer;

  TestTopics(String servers) {
    this.servers = servers;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers));
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer());
  }

  void create(Map<String, Integer> partitions) throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    partitions.forEach((t, n) -> topics.add(new NewTopic(t, n, (short) 1)));
    admin.createTopics(topics).all().get();
  }

  void send(String topic, String key, String value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  /** Everything committed in {@code topic} now. */
  List<Read> readAll(String topic) {
    try (KafkaConsumer<String, String> c = consumer()) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      List<Read> out = new ArrayList<>();
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          out.add(new Read(r.key(), r.value(), r.partition(), r.offset()));
        }
      }
      return out;
    }
  }

  /** Reads {@code topic} until what it holds satisfies {@code done}, or fails at the deadline. */
  List<Read> await(String topic, Predicate<List<Read>> done, Duration deadline) {
    Instant until = Instant.now().plus(deadline);
    List<Read> read = readAll(topic);
    while (!done.test(read)) {
      if (Instant.now().isAfter(until)) {
        throw new AssertionError(
            topic + " did not reach the expected state within " + deadline + ": " + read);
      }
      Thread.onSpinWait();
      read = readAll(topic);
    }
    return read;
  }

  private KafkaConsumer<String, String> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            servers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "test-" + UUID.randomUUID(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false),
        new StringDeserializer(),
        new StringDeserializer());
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
