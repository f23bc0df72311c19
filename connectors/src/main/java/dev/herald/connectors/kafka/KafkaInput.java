package dev.herald.connectors.kafka;

import dev.herald.connectors.file.SourceLine;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * A Kafka topic read as raw records: each becomes a {@link SourceLine} with the record's value as
 * it was written and {@code topic/partition/offset} as its origin, so the job's codec decides what
 * it is and a dead letter says where it was. Nothing is decoded here, so nothing can fail here: an
 * empty or missing value is an empty record, which the codec rejects.
 *
 * <p>Reads {@code read_committed}: a transactional writer's aborted records are never seen.
 */
public final class KafkaInput {

  /** How far to read. */
  public enum Reach {
    /**
     * From the consumer group's committed offsets (the earliest on a first start) and on forever;
     * offsets are committed to the group at each checkpoint, for monitoring (a restore uses the
     * checkpoint's own offsets).
     */
    LIVE,
    /**
     * From the earliest offset to the end offsets found at start, then finish: a backtest over the
     * topic's history. Commits nothing to the group.
     */
    HISTORY
  }

  private KafkaInput() {}

  /**
   * A source of {@code topic}.
   *
   * @param groupId the consumer group (live: where offsets are committed)
   */
  public static KafkaSource<SourceLine> source(
      String bootstrapServers, String topic, String groupId, Reach reach) {
    Objects.requireNonNull(topic, "topic");
    KafkaSourceBuilder<SourceLine> b =
        KafkaSource.<SourceLine>builder()
            .setBootstrapServers(bootstrapServers)
            .setTopics(topic)
            .setGroupId(groupId)
            .setClientIdPrefix(groupId + "-" + topic)
            .setDeserializer(new Raw())
            .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    if (reach == Reach.LIVE) {
      b.setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
          .setProperty("commit.offsets.on.checkpoint", "true")
          // New partitions of the topic are read without a restart.
          .setProperty("partition.discovery.interval.ms", "60000");
    } else {
      b.setStartingOffsets(OffsetsInitializer.earliest())
          .setBounded(OffsetsInitializer.latest())
          .setProperty("commit.offsets.on.checkpoint", "false");
    }
    return b.build();
  }

  /** The origin of a Kafka record in dead letters: {@code topic/partition/offset}. */
  public static String origin(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }

  /** A record's value as a {@link SourceLine}. */
  static final class Raw implements KafkaRecordDeserializationSchema<SourceLine> {
    private static final long serialVersionUID = 1L;
    private static final byte[] NONE = new byte[0];

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceLine> out)
        throws IOException {
      byte[] value = record.value();
      out.collect(
          new SourceLine(
              origin(record.topic(), record.partition(), record.offset()),
              value == null ? NONE : value));
    }

    @Override
    public TypeInformation<SourceLine> getProducedType() {
      return TypeInformation.of(SourceLine.class);
    }
  }
}
