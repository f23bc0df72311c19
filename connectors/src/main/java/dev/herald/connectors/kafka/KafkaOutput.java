package dev.herald.connectors.kafka;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An exactly-once Kafka sink of JSON records: each checkpoint's output is one Kafka transaction per
 * writer, committed when the checkpoint completes, so a {@code read_committed} consumer sees every
 * record once, across failures and restarts, and sees it only after that checkpoint.
 */
public final class KafkaOutput {

  private KafkaOutput() {}

  /** Where and how a sink writes. */
  public record Transactions(String idPrefix, Duration timeout) implements Serializable {
    public Transactions {
      Objects.requireNonNull(idPrefix, "idPrefix");
      if (idPrefix.isEmpty()) {
        throw new IllegalArgumentException("the transactional id prefix must not be empty");
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the transaction timeout must be positive");
      }
    }
  }

  /**
   * A sink of {@code topic}. Its transactional ids start with {@code transactions.idPrefix()} and
   * the topic, so several sinks (and several jobs with different prefixes) never share one.
   */
  /**
   * @param key the record's key, or {@code null} for none
   * @param value the record's value: one JSON object
   */
  public static <T> KafkaSink<T> sink(
      String bootstrapServers,
      String topic,
      SerializableFunction<T, String> key,
      SerializableFunction<T, String> value,
      Transactions transactions) {
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrapServers)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactions.idPrefix() + "-" + topic)
        .setProperty(
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
            Long.toString(transactions.timeout().toMillis()))
        .setRecordSerializer(new Json<>(topic, key, value))
        .build();
  }

  /** Writes the key and value as UTF-8. */
  static final class Json<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, String> value;

    Json(String topic, SerializableFunction<T, String> key, SerializableFunction<T, String> value) {
      this.topic = topic;
      this.key = key;
      this.value = value;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        T element, KafkaSinkContext context, Long timestamp) {
      String k = key.apply(element);
      // No record timestamp: the producer stamps the wall-clock time of writing. The event time
      // is in the record; as a Kafka timestamp it would be refused by brokers for being too far
      // ahead (message.timestamp.after.max.ms, one hour by default) in a replay of dates to come.
      return new ProducerRecord<>(
          topic,
          null,
          null,
          k == null ? null : k.getBytes(StandardCharsets.UTF_8),
          value.apply(element).getBytes(StandardCharsets.UTF_8));
    }
  }
}
