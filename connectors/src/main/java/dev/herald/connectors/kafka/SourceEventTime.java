package dev.herald.connectors.kafka;

import dev.herald.connectors.file.SourceLine;
import dev.herald.schema.RecordCodec;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * The event time of a raw record at the source: its {@code at}, read without parsing the rest, so
 * that watermarks can be made per Kafka partition before the record is parsed. A record without a
 * valid {@code at} gets {@link Long#MIN_VALUE}, which moves no watermark; the parser dead-letters
 * it.
 */
public final class SourceEventTime implements SerializableTimestampAssigner<SourceLine> {
  private static final long serialVersionUID = 1L;

  @Override
  public long extractTimestamp(SourceLine line, long recordTimestamp) {
    return RecordCodec.eventTime(line.bytes());
  }
}
