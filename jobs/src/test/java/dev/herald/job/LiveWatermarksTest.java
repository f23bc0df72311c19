package dev.herald.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Event time of live inputs: the newest event minus the out-of-orderness, or the wall clock minus
 * the out-of-orderness once the input is idle; never backwards, never ahead of the wall clock.
 */
class LiveWatermarksTest {

  /** A clock that moves only when told to. */
  static final class ManualClock extends Clock {
    private long millis;

    ManualClock(long millis) {
      this.millis = millis;
    }

    void set(long millis) {
      this.millis = millis;
    }

    void advance(long delta) {
      this.millis += delta;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** Records the watermarks emitted. */
  static final class RecordingOutput implements WatermarkOutput {
    final List<Long> watermarks = new ArrayList<>();
    int idle;
    int active;

    @Override
    public void emitWatermark(Watermark watermark) {
      watermarks.add(watermark.getTimestamp());
    }

    @Override
    public void markIdle() {
      idle++;
    }

    @Override
    public void markActive() {
      active++;
    }

    Long last() {
      return watermarks.isEmpty() ? null : watermarks.get(watermarks.size() - 1);
    }
  }

  private static final long START = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();
  private static final Duration OUT_OF_ORDERNESS = Duration.ofMillis(500);
  private static final Duration IDLE_AFTER = Duration.ofMillis(200);

  private ManualClock clock;
  private RecordingOutput out;
  private LiveWatermarks<String> watermarks;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(START);
    out = new RecordingOutput();
    watermarks = new LiveWatermarks<>(OUT_OF_ORDERNESS, IDLE_AFTER, clock);
  }

  private void event(long timestamp) {
    watermarks.onEvent("e", timestamp, out);
  }

  private void emit() {
    watermarks.onPeriodicEmit(out);
  }

  @Test
  void noWatermarkBeforeAnythingHappened() {
    emit();
    clock.advance(IDLE_AFTER.toMillis() - 1);
    emit();

    assertThat(out.watermarks).isEmpty();
    assertThat(out.idle).isZero();
  }

  @Test
  void anEventDoesNotEmitByItself() {
    event(START);

    assertThat(out.watermarks).isEmpty();
  }

  @Test
  void theNewestEventMinusTheOutOfOrdernessMinusOneMillisecond() {
    long ts = START - 10_000;
    event(ts);
    emit();

    assertThat(out.watermarks).containsExactly(ts - 500 - 1);

    event(ts + 1_000);
    event(ts + 300); // older than the newest: the newest counts
    clock.advance(50);
    emit();

    assertThat(out.watermarks).containsExactly(ts - 501, ts + 1_000 - 501);
  }

  @Test
  void anUnchangedWatermarkIsNotEmittedAgain() {
    event(START);
    emit();
    emit();
    clock.advance(100);
    emit();

    assertThat(out.watermarks).containsExactly(START - 501);
  }

  @Test
  void whenIdleTheWatermarkFollowsTheClockMinusTheOutOfOrderness() {
    long ts = START - 60_000;
    event(ts);
    emit();
    assertThat(out.watermarks).containsExactly(ts - 501);

    clock.advance(IDLE_AFTER.toMillis() - 1);
    emit();
    assertThat(out.watermarks).as("not idle yet").containsExactly(ts - 501);

    clock.advance(1);
    emit();
    assertThat(out.last()).isEqualTo(START + 200 - 501);

    clock.advance(1_000);
    emit();
    assertThat(out.last()).isEqualTo(START + 1_200 - 501);
  }

  @Test
  void withoutAnyEventTheClockTakesOverAfterIdleAfter() {
    clock.advance(IDLE_AFTER.toMillis());
    emit();

    assertThat(out.watermarks).containsExactly(START + 200 - 501);
  }

  @Test
  void anEventEndsTheIdlenessUntilIdleAfterPassesAgain() {
    clock.advance(1_000);
    emit();
    assertThat(out.watermarks).containsExactly(START + 1_000 - 501);

    // An event far behind the clock: not idle any more, so the clock no longer counts, and the
    // event's own watermark is behind the one emitted: nothing new.
    event(START - 5_000);
    clock.advance(100);
    emit();
    assertThat(out.watermarks).containsExactly(START + 1_000 - 501);

    clock.advance(100);
    emit();
    assertThat(out.watermarks).containsExactly(START + 1_000 - 501, START + 1_200 - 501);
  }

  @Test
  void aRecordDatedInTheFutureDoesNotCarryEventTimeAheadOfTheClock() {
    long future = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    event(future);
    emit();
    assertThat(out.watermarks).containsExactly(START - 501);

    clock.advance(50); // still active: the clock caps the newest event
    emit();
    clock.advance(10_000); // idle: the clock leads as ever
    emit();

    assertThat(out.watermarks).containsExactly(START - 501, START + 50 - 501, START + 10_050 - 501);
  }

  @Test
  void anEventSlightlyAheadOfTheClockWaitsForTheClock() {
    event(START + 2_000); // a producer whose clock runs two seconds fast
    emit();
    clock.advance(1_000);
    event(START + 3_000);
    emit();

    assertThat(out.watermarks).containsExactly(START - 501, START + 1_000 - 501);
  }

  @Test
  void anEventOlderThanTheWatermarkDoesNotLowerIt() {
    event(START);
    emit();
    event(START - 10_000);
    emit();
    clock.advance(10);
    event(START - 20_000);
    emit();

    assertThat(out.watermarks).containsExactly(START - 501);
  }

  @Test
  void neverMovesBackwards() {
    event(START);
    emit();
    clock.advance(5_000); // idle: the clock leads
    emit();
    event(START + 100); // active again, newest event behind the clock
    emit();
    clock.set(START - 60_000); // the wall clock steps back
    emit();
    clock.set(START + 5_000 + 100); // not idle yet
    emit();
    clock.set(START + 5_000 + 400); // idle again, past the last emitted
    emit();

    assertThat(out.watermarks).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
    assertThat(out.watermarks)
        .containsExactly(START - 501, START + 5_000 - 501, START + 5_400 - 501);
  }

  @Test
  void aZeroOutOfOrdernessIsJustBehindTheNewestEvent() {
    LiveWatermarks<String> w = new LiveWatermarks<>(Duration.ZERO, IDLE_AFTER, clock);
    w.onEvent("e", START, out);
    w.onPeriodicEmit(out);

    assertThat(out.watermarks).containsExactly(START - 1);
  }
}
