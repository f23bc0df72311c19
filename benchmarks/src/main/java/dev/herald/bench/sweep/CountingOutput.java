package dev.herald.bench.sweep;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.runtime.event.WatermarkEvent;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.LatencyMarker;
import org.apache.flink.streaming.runtime.streamrecord.RecordAttributes;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * An operator's output that counts what is emitted and keeps nothing. The harness' own output
 * copies and keeps every record, which for millions of decisions would measure the heap rather than
 * the operator; in the job the records leave through the network instead.
 */
final class CountingOutput<T> implements Output<StreamRecord<T>> {

  private long records;
  private final Map<String, Long> sideRecords = new HashMap<>();
  private long watermark = Long.MIN_VALUE;

  /** Records emitted on the main output so far. */
  long records() {
    return records;
  }

  /** Records emitted on the side output {@code tag} so far. */
  long sideRecords(OutputTag<?> tag) {
    return sideRecords.getOrDefault(tag.getId(), 0L);
  }

  /** The last watermark the operator forwarded. */
  long watermark() {
    return watermark;
  }

  @Override
  public void collect(StreamRecord<T> record) {
    records++;
  }

  @Override
  public <X> void collect(OutputTag<X> tag, StreamRecord<X> record) {
    sideRecords.merge(tag.getId(), 1L, Long::sum);
  }

  @Override
  public void emitWatermark(Watermark mark) {
    watermark = mark.getTimestamp();
  }

  @Override
  public void emitWatermarkStatus(WatermarkStatus status) {}

  @Override
  public void emitLatencyMarker(LatencyMarker marker) {}

  @Override
  public void emitRecordAttributes(RecordAttributes attributes) {}

  @Override
  public void emitWatermark(WatermarkEvent event) {}

  @Override
  public void close() {}
}
