package dev.herald.connectors.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.connectors.kafka.TopicNames;
import dev.herald.connectors.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real broker in a temporary directory: transactions, its settings, a restart on its data. */
class LocalKafkaITCase {

  private static final TopicNames NAMES = TopicNames.DEFAULTS;

  @TempDir static Path dir;
  private static LocalKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    kafka = LocalKafka.start(dir, 0);
    try (Admin admin = admin()) {
      Topics.ensure(admin, NAMES, 2, (short) 1);
    }
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void committedRecordsAreReadAndSurviveARestart() throws Exception {
    // Flink's KafkaSink asks for transactions of an hour by default.
    try (KafkaProducer<String, String> producer = transactionalProducer(Duration.ofHours(1))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(NAMES.userEvents(), "user-1", "committed"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(NAMES.userEvents(), "user-1", "aborted"));
      producer.flush();
      producer.abortTransaction();
    }
    assertThat(readCommitted(NAMES.userEvents(), 1)).containsExactly("user-1=committed");

    kafka.close();
    kafka = LocalKafka.start(dir, 0);

    assertThat(readCommitted(NAMES.userEvents(), 1)).containsExactly("user-1=committed");
    try (Admin admin = admin()) {
      assertThat(Topics.ensure(admin, NAMES, 2, (short) 1))
          .allSatisfy(row -> assertThat(row.status()).isEqualTo("exists"));
    }
  }

  @Test
  void aSecondBrokerOnTheSameDataIsRefused() {
    assertThatThrownBy(() -> LocalKafka.start(dir, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another Kafka broker is using");
  }

  @Test
  void settingsForLocalUse() throws Exception {
    assertThat(kafka.bootstrapServers()).matches("localhost:\\d+");
    try (Admin admin = admin()) {
      ConfigResource broker =
          new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(BrokerSettings.NODE_ID));
      Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
      assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
      assertThat(config.get("num.partitions").value()).isEqualTo("2");
      assertThat(config.get("transaction.max.timeout.ms").value())
          .isEqualTo(Long.toString(Duration.ofHours(1).toMillis()));
      assertThat(config.get("listeners").value()).contains("://127.0.0.1:");
    }
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static KafkaProducer<String, String> transactionalProducer(Duration timeout) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "local-kafka-test",
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
            (int) timeout.toMillis()),
        new StringSerializer(),
        new StringSerializer());
  }

  /** Reads the topic from the start as {@code key=value} until {@code expected} records came. */
  private static List<String> readCommitted(String topic, int expected) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.key() + "=" + r.value());
        }
      }
      // Nothing after what was expected (the aborted record stays hidden).
      consumer.poll(Duration.ofSeconds(1)).forEach(r -> values.add(r.key() + "=" + r.value()));
    }
    return values;
  }
}
