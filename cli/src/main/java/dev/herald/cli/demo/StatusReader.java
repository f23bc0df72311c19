package dev.herald.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts what the job wrote: decisions by outcome and skip reason, and delivery outcomes by status.
 * It reads both topics read-committed from their beginning (they are this run's own), as any
 * downstream consumer would, so it sees each record once the job's checkpoint commits it.
 *
 * <p>Not thread-safe: one thread calls {@link #poll}; the counts it returns are copies.
 */
final class StatusReader implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaConsumer<String, String> consumer;
  private final String decisionsTopic;
  private final Map<String, Long> decisions = new HashMap<>();
  private final Map<String, Long> skipReasons = new HashMap<>();
  private final Map<String, Long> outcomes = new HashMap<>();

  /** The counts so far. */
  record Counts(
      Map<String, Long> decisions, Map<String, Long> skipReasons, Map<String, Long> outcomes) {}

  StatusReader(String bootstrapServers, String decisionsTopic, String outcomesTopic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        IsolationLevel.READ_COMMITTED.toString().toLowerCase(java.util.Locale.ROOT));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-demo-status");
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    this.decisionsTopic = decisionsTopic;
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(decisionsTopic, outcomesTopic)) {
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads what has been committed since the last call, waiting at most {@code timeout}. */
  Counts poll(Duration timeout) {
    for (ConsumerRecord<String, String> r : consumer.poll(timeout)) {
      JsonNode value;
      try {
        value = JSON.readTree(r.value());
      } catch (IOException e) {
        continue; // the job writes JSON; anything else is not ours to count
      }
      if (r.topic().equals(decisionsTopic)) {
        String outcome = value.path("outcome").asText("");
        decisions.merge(outcome, 1L, Long::sum);
        if (outcome.equals("SKIP")) {
          skipReasons.merge(value.path("reason").asText("?"), 1L, Long::sum);
        }
      } else {
        outcomes.merge(value.path("status").asText("?"), 1L, Long::sum);
      }
    }
    return new Counts(Map.copyOf(decisions), Map.copyOf(skipReasons), Map.copyOf(outcomes));
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
