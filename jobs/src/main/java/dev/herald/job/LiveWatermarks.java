package dev.herald.job;

import java.time.Clock;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Event time for live inputs: the newest event time seen minus the out-of-orderness; and, once no
 * record has arrived for {@code idleAfter}, the wall clock minus the out-of-orderness. So a
 * campaign starts on time when nothing flows, and an event up to the out-of-orderness late is still
 * applied in order (a later one is applied on arrival). Never moves backwards, and never ahead of
 * the wall clock: a record dated in the future (a skewed clock, or a typo of 9999) waits for its
 * time instead of carrying everyone's event time with it.
 */
public final class LiveWatermarks<T> implements WatermarkGenerator<T> {

  private final long outOfOrderness;
  private final long idleAfter;
  private final Clock clock;
  private long newest = Long.MIN_VALUE;
  private long lastArrival;
  private long emitted = Long.MIN_VALUE;

  public LiveWatermarks(Duration outOfOrderness, Duration idleAfter, Clock clock) {
    this.outOfOrderness = outOfOrderness.toMillis();
    this.idleAfter = idleAfter.toMillis();
    this.clock = clock;
    this.lastArrival = clock.millis();
  }

  @Override
  public void onEvent(T event, long timestamp, WatermarkOutput output) {
    newest = Math.max(newest, timestamp);
    lastArrival = clock.millis();
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    long now = clock.millis();
    long next =
        newest == Long.MIN_VALUE ? Long.MIN_VALUE : Math.min(newest, now) - outOfOrderness - 1;
    if (now - lastArrival >= idleAfter) {
      next = Math.max(next, now - outOfOrderness - 1);
    }
    if (next > emitted) {
      emitted = next;
      output.emitWatermark(new Watermark(next));
    }
  }
}
