package dev.herald.job.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@link Pacer} alone: its grid, and the bound of its class Javadoc checked over many random
 * rates, arrival patterns and late releases.
 */
class DispatchPacerTest {

  @ParameterizedTest
  @CsvSource({"80, 12500000", "300, 3333334", "1000, 1000000", "1, 1000000000", "3, 333333334"})
  void theSpacingIsTheCeilingOfASecondOverTheRate(int perSecond, long spacing) {
    assertThat(new Pacer(perSecond).spacingNanos()).isEqualTo(spacing);
  }

  @Test
  void theFirstReleaseMayHappenAtOnceAndTheNextOnTheGrid() {
    Pacer pacer = new Pacer(80);

    assertThat(pacer.mayRelease(null, 5_000)).isTrue();
    long next = pacer.afterRelease(null, 5_000);
    assertThat(Pacer.slotMillis(next)).isEqualTo(5_013); // 5 012.5 ms
    assertThat(pacer.mayRelease(next, 5_012)).isFalse();
    assertThat(pacer.releaseAt(next, 5_001)).isEqualTo(5_013);
    // On time: the grid goes on from 5 012.5 ms, not from 5 013 ms.
    assertThat(Pacer.slotMillis(pacer.afterRelease(next, 5_013))).isEqualTo(5_025);
    // Late: the grid starts again from the release.
    assertThat(Pacer.slotMillis(pacer.afterRelease(next, 5_400))).isEqualTo(5_413);
  }

  @Test
  void aReleaseBeforeItsSlotIsRefused() {
    Pacer pacer = new Pacer(80);
    long next = pacer.afterRelease(null, 5_000);

    assertThatThrownBy(() -> pacer.afterRelease(next, 5_012))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new Pacer(0)).hasMessage("a rate limit must be positive, not 0");
  }

  /**
   * Random rates; requests arrive at random; a release happens at its slot or, at random, late (a
   * timer firing late), or when the next request arrives after an idle queue. Whatever happens, no
   * one-second window holds more than the rate.
   */
  @Test
  void noOneSecondWindowEverHoldsMoreThanTheRate() {
    Random random = new Random(42);
    for (int run = 0; run < 300; run++) {
      int perSecond = 1 + random.nextInt(random.nextBoolean() ? 100 : 5_000);
      Pacer pacer = new Pacer(perSecond);
      List<Long> releases = new ArrayList<>();
      Long next = null;
      long now = random.nextInt(1_000_000);
      int waiting = 0;
      for (int step = 0; step < 20_000; step++) {
        waiting += random.nextInt(100) == 0 ? random.nextInt(3 * perSecond + 1) : 0;
        if (waiting > 0 && pacer.mayRelease(next, now)) {
          next = pacer.afterRelease(next, now);
          releases.add(now);
          waiting--;
          continue; // more may be due in the same millisecond
        }
        // The clock moves to the next slot, or (a late timer, an idle queue) beyond it.
        long slot = pacer.releaseAt(next, now + 1);
        now = random.nextInt(10) == 0 ? slot + random.nextInt(50) : slot;
      }
      assertThat(DispatcherTest.maxInAnySecond(releases))
          .as("rate %d", perSecond)
          .isLessThanOrEqualTo(perSecond);
    }
  }

  @Test
  void aBacklogReleasedOnTimeGoesAtTheRateWithinOnePercent() {
    for (int perSecond = 1; perSecond <= 10_000; perSecond += 1 + perSecond / 7) {
      Pacer pacer = new Pacer(perSecond);
      Long next = null;
      long now = 1_000;
      int n = 20 * perSecond + 1;
      for (int i = 0; i < n; i++) {
        now = pacer.releaseAt(next, now);
        next = pacer.afterRelease(next, now);
      }
      double rate = (n - 1) * 1000.0 / (now - 1_000);
      assertThat(rate).as("rate %d", perSecond).isCloseTo(perSecond, Percentage.withPercentage(1));
    }
  }

  /**
   * With a margin, the releases keep the rate over windows of one second plus the margin, so a
   * delay of each release by any jitter under the margin still leaves at most the rate in every
   * one-second window where they arrive.
   */
  @Test
  void withAMarginJitterUnderItNeverShowsMoreThanTheRate() {
    Random random = new Random(7);
    for (int run = 0; run < 200; run++) {
      int perSecond = 1 + random.nextInt(random.nextBoolean() ? 100 : 2_000);
      int margin = 1 + random.nextInt(100);
      Pacer pacer = new Pacer(perSecond, margin);
      List<Long> arrivals = new ArrayList<>();
      Long next = null;
      long now = random.nextInt(1_000_000);
      for (int i = 0; i < 5 * perSecond; i++) {
        now = pacer.releaseAt(next, now);
        next = pacer.afterRelease(next, now);
        arrivals.add(now + random.nextInt(margin)); // each on its way for 0 to margin - 1 ms
      }
      arrivals.sort(null);
      assertThat(DispatcherTest.maxInAnySecond(arrivals))
          .as("rate %d, margin %d ms", perSecond, margin)
          .isLessThanOrEqualTo(perSecond);
    }
  }

  /**
   * Flink fires a processing-time timer a millisecond after its timestamp at the earliest. With a
   * margin of 2 ms or more, a backlog released a millisecond after each slot still goes at the
   * grid's rate, and with jitter under the margin less 2 ms on the way, no one-second window holds
   * more than the rate.
   */
  @Test
  void timersAMillisecondLateKeepTheGridsRateAndTheBound() {
    Random random = new Random(11);
    for (int run = 0; run < 200; run++) {
      int perSecond = 1 + random.nextInt(random.nextBoolean() ? 100 : 2_000);
      int margin = 2 + random.nextInt(99);
      Pacer pacer = new Pacer(perSecond, margin);
      List<Long> arrivals = new ArrayList<>();
      Long next = null;
      long start = random.nextInt(1_000_000);
      long now = start;
      int n = 5 * perSecond + 1;
      for (int i = 0; i < n; i++) {
        long at = pacer.releaseAt(next, now);
        now = at > now ? at + 1 : now; // a timer, a millisecond late; or at once, in this one
        next = pacer.afterRelease(next, now);
        arrivals.add(now + (margin > 2 ? random.nextInt(margin - 2) : 0));
      }
      arrivals.sort(null);
      assertThat(DispatcherTest.maxInAnySecond(arrivals))
          .as("rate %d, margin %d ms", perSecond, margin)
          .isLessThanOrEqualTo(perSecond);
      double rate = (n - 1) * 1000.0 / (now - start);
      double grid = 1e9 / pacer.spacingNanos();
      assertThat(rate)
          .as("rate %d, margin %d ms", perSecond, margin)
          .isCloseTo(grid, Percentage.withPercentage(1));
    }
  }

  @Test
  void theMarginSlowsTheGridByItsShareOfASecond() {
    assertThat(new Pacer(80, 50).spacingNanos()).isEqualTo(13_125_000); // 1.05 s / 80
    assertThat(new Pacer(300, 0).spacingNanos()).isEqualTo(new Pacer(300).spacingNanos());
    assertThatThrownBy(() -> new Pacer(80, -1)).hasMessage("a margin must not be negative, not -1");
  }
}
