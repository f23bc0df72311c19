package dev.herald.cli.campaign;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic, every partition, as {@code read_committed}: the job writes its outputs in
 * transactions, so this sees each decision once, when its checkpoint has committed. No consumer
 * group: the commands only look, they commit no offsets and disturb nobody's.
 */
final class TopicReader implements AutoCloseable {

  /** One record: its key and value as text, and where it was. */
  record Read(String key, String value, int partition, long offset) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions;

  /**
   * @throws KafkaUnreachableException if the topic's partitions cannot be listed in {@code wait}
   * @throws IllegalArgumentException if the topic does not exist
   */
  TopicReader(String servers, String topic, Duration wait) {
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "herald-campaign-reader",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) wait.toMillis(),
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) wait.toMillis()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(topic, wait);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      consumer.close(Duration.ZERO);
      throw new KafkaUnreachableException(
          "Kafka at " + servers + " did not answer within " + wait, e);
    }
    if (infos == null || infos.isEmpty()) {
      consumer.close(Duration.ZERO);
      throw new IllegalArgumentException("topic " + topic + " does not exist at " + servers);
    }
    this.partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
  }

  /** Reads from the start of every partition. */
  TopicReader fromBeginning() {
    consumer.seekToBeginning(partitions);
    return this;
  }

  /** Reads only what is written from now on. */
  TopicReader fromEnd() {
    consumer.seekToEnd(partitions);
    for (TopicPartition p : partitions) {
      consumer.position(p); // resolves the end now, not at the first poll
    }
    return this;
  }

  /** The position of each partition: where the next read starts. */
  Map<TopicPartition, Long> positions() {
    Map<TopicPartition, Long> out = new java.util.HashMap<>();
    for (TopicPartition p : partitions) {
      out.put(p, consumer.position(p));
    }
    return out;
  }

  /** Whether every partition is read up to its last committed record. */
  boolean caughtUp() {
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
  }

  /** What arrived within {@code wait}; empty on {@link #wakeup()}. */
  List<Read> poll(Duration wait) {
    List<Read> out = new ArrayList<>();
    try {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
        out.add(
            new Read(
                r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8),
                r.partition(),
                r.offset()));
      }
    } catch (WakeupException e) {
      // Ctrl-C: the caller stops
    }
    return out;
  }

  /** Makes a blocked {@link #poll} return; safe from another thread (a shutdown hook). */
  void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
