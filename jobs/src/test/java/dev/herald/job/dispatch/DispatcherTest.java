package dev.herald.job.dispatch;

import static dev.herald.job.dispatch.DispatchHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.channel.DeliveryLimits;
import dev.herald.job.dispatch.DispatchHarness.Release;
import dev.herald.schema.AccountState;
import dev.herald.schema.Basis;
import dev.herald.schema.DeliveryOutcome;
import dev.herald.schema.DeliveryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dispatcher on Flink's harness, pinned to the millisecond: rate slots, pair rate, tier, {@code
 * notAfter}, pause, late timers, cleanup of state and timers, and a backlog that survives a
 * snapshot. WhatsApp's defaults apply unless a test says otherwise (80/s, 6 s to one user).
 */
class DispatcherTest {

  private static final long T0 = 1_700_000_000_000L;
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final long FAR = T0 + 20 * HOUR;

  private static final DispatchLimits DEFAULTS = DispatchLimits.defaults();

  private static DispatchLimits tier(int tier) {
    return DispatchLimits.builder()
        .account(DispatchHarness.KEY, new DeliveryLimits(80, Duration.ofSeconds(6), tier))
        .build();
  }

  // ------------------------------------------------------------------ rate

  @Test
  void eightyPerSecondReleasesAtTheSlotsOfAFractionalGrid() throws Exception {
    try (DispatchHarness d = DispatchHarness.open(DEFAULTS, T0)) {
      for (int i = 0; i < 10; i++) {
        d.send(request("r" + i, "u" + i, FAR));
      }
      d.stepTo(T0 + 200);

      // Slots 12.5 ms apart, each released at the ceiling of its instant.
      assertThat(d.releaseTimes())
          .containsExactly(
              T0, T0 + 13, T0 + 25, T0 + 38, T0 + 50, T0 + 63, T0 + 75, T0 + 88, T0 + 100,
              T0 + 113);
      assertThat(d.releases().stream().map(r -> r.request().requestId()))
          .containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
    }
  }

  @Test
  void aThousandQueuedNeverExceedEightyInAnyWindowAndAverageEighty() throws Exception {
    try (DispatchHarness d = DispatchHarness.open(DEFAULTS, T0)) {
      for (int i = 0; i < 1_000; i++) {
        d.send(request("r" + i, "u" + i, FAR));
      }
      d.stepTo(T0 + 13_000);

      List<Long> times = d.releaseTimes();
      assertThat(times).hasSize(1_000);
      assertThat(maxInAnySecond(times)).isEqualTo(80);
      // 999 gaps of 12.5 ms.
      assertThat(times.get(999) - times.get(0)).isEqualTo(12_488);
      assertThat(d.expired()).isEmpty();
    }
  }

  @Test
  void aLateTimerReleasesOneAndTheGridRestartsFromIt() throws Exception {
    try (DispatchHarness d = DispatchHarness.open(DEFAULTS, T0)) {
      for (int i = 0; i < 5; i++) {
        d.send(request("r" + i, "u" + i, FAR));
      }
      assertThat(d.releaseTimes()).containsExactly(T0);

      d.jumpTo(T0 + 500); // the timer of T0 + 13 fires at T0 + 500
      assertThat(d.releaseTimes()).containsExactly(T0, T0 + 500);

      d.stepTo(T0 + 600);
      assertThat(d.releaseTimes()).containsExactly(T0, T0 + 500, T0 + 513, T0 + 525, T0 + 538);
    }
  }

  /**
   * Random rates, arrivals (single requests and bursts, more than the rate on average) and late
   * timer firings (jumps of the clock): never more than the rate in any one-second window.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void noWindowExceedsTheRateWhateverTheArrivalsAndLateTimers(long seed) throws Exception {
    Random random = new Random(seed);
    int perSecond = 1 + random.nextInt(300);
    try (DispatchHarness d = DispatchHarness.open(rate(perSecond), T0)) {
      int sent = 0;
      while (d.now() < T0 + 10_000) {
        int step = 1 + random.nextInt(5);
        if (random.nextInt(200) == 0) {
          for (int i = random.nextInt(2 * perSecond); i > 0; i--) {
            d.send(request("r" + sent, "u" + sent++, FAR));
          }
        } else if (random.nextDouble() < 1.2 * perSecond * step / 1000.0) {
          d.send(request("r" + sent, "u" + sent++, FAR));
        }
        if (random.nextInt(50) == 0) {
          d.jumpTo(d.now() + 1 + random.nextInt(700));
        } else {
          d.stepTo(d.now() + step);
        }
      }

      assertThat(d.releaseTimes()).isNotEmpty();
      assertThat(maxInAnySecond(d.releaseTimes()))
          .as("rate %d", perSecond)
          .isLessThanOrEqualTo(perSecond);
    }
  }

  /** A backlog drained with every timer on time goes at the rate, within 1 %. */
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 7, 80, 301, 997, 1000, 2500})
  void aBacklogDrainsAtTheRateOnAverage(int perSecond) throws Exception {
    try (DispatchHarness d = DispatchHarness.open(rate(perSecond), T0)) {
      int n = Math.max(5 * perSecond, 4);
      for (int i = 0; i < n; i++) {
        d.send(request("r" + i, "u" + i, FAR));
      }
      d.stepTo(T0 + 5_500);

      List<Long> times = d.releaseTimes();
      assertThat(times).hasSize(n);
      assertThat(maxInAnySecond(times)).isLessThanOrEqualTo(perSecond);
      double rate = (n - 1) * 1000.0 / Math.max(1, times.get(n - 1) - T0);
      assertThat(rate).isCloseTo(perSecond, Percentage.withPercentage(1));
    }
  }

  private static DispatchLimits rate(int perSecond) {
    return DispatchLimits.builder()
        .account(DispatchHarness.KEY, new DeliveryLimits(perSecond, null, null))
        .build();
  }

  // ------------------------------------------------------------------ pair rate

  @Test
  void aSecondMessageToOneUserWaitsSixSecondsWhileOthersPassIt() throws Exception {
    try (DispatchHarness d = DispatchHarness.open(DEFAULTS, T0)) {
      d.send(request("a1", "alice", FAR));
      d.send(request("a2", "alice", FAR));
      d.send(request("b1", "bob", FAR));

      d.stepTo(T0 + 5_999);
      assertThat(d.releasedAt("a1")).isEqualTo(T0);
      assertThat(d.releasedAt("b1")).isEqualTo(T0 + 13);
      assertThat(d.releasedAt("a2")).isNull();

      d.stepTo(T0 + 6_000);
      assertThat(d.releasedAt("a2")).isEqualTo(T0 + 6_000);
    }
  }

  @Test
  void withoutAPairIntervalOneUserGetsTheRate() throws Exception {
    DispatchLimits messengerLike =
        DispatchLimits.builder()
            .account(DispatchHarness.KEY, new DeliveryLimits(80, null, null))
            .build();
    try (DispatchHarness d = DispatchHarness.open(messengerLike, T0)) {
      d.send(request("a1", "alice", FAR));
      d.send(request("a2", "alice", FAR));
      d.stepTo(T0 + 20);

      assertThat(d.releaseTimes()).containsExactly(T0, T0 + 13);
    }
  }

  /**
   * The scan bound: a callback visits at most {@link Dispatcher#SCAN_LIMIT} queue positions, so a
   * request behind a longer blocked prefix is seen only once the prefix moves (here: expires).
   */
  @Test
  void aBlockedPrefixLongerThanTheScanBoundHidesWhatIsBehindItUntilItMoves() throws Exception {
    try (DispatchHarness d = DispatchHarness.open(DEFAULTS, T0)) {
      int blocked = Dispatcher.SCAN_LIMIT + 100;
      for (int i = 0; i <= blocked; i++) {
        d.send(request("a" + i, "alice", T0 + 3_000));
      }
      d.send(request("b", "bob", FAR));
      d.stepTo(T0 + 2_999);
      assertThat(d.releaseTimes()).containsExactly(T0);

      d.stepTo(T0 + 3_000);
      assertThat(d.expired()).hasSize(blocked);
      assertThat(d.expired().stream().map(DeliveryOutcome::reason)).containsOnly("pair");
      assertThat(d.releasedAt("b")).isEqualTo(T0 + 3_000);
    }
  }

  // ------------------------------------------------------------------ tier

  @Test
  void aThirdNewUserWaitsUntilTheFirstContactIsADayOld() throws Exception {
    long notAfter = T0 + 2 * DAY;
    try (DispatchHarness d = DispatchHarness.open(tier(2), T0)) {
      d.send(request("a", "alice", Basis.TEMPLATE, notAfter));
      d.stepTo(T0 + 1_000);
      d.send(request("b", "bob", Basis.TEMPLATE, notAfter));
      d.send(request("c", "carol", Basis.TEMPLATE, notAfter));
      d.send(request("d", "dave", Basis.STANDARD_WINDOW, notAfter)); // not business-initiated
      d.stepTo(T0 + 10_000);
      // Alice again: already counted, she passes the full tier.
      d.send(request("a2", "alice", Basis.TEMPLATE, notAfter));
      d.stepTo(T0 + 11_000);

      assertThat(d.releasedAt("a")).isEqualTo(T0);
      assertThat(d.releasedAt("b")).isEqualTo(T0 + 1_000);
      assertThat(d.releasedAt("d")).isEqualTo(T0 + 1_013);
      assertThat(d.releasedAt("a2")).isEqualTo(T0 + 10_000);
      assertThat(d.releasedAt("c")).isNull();

      // Alice's second message counts her until T0 + 10 s + 24 h: Bob is the first to leave.
      d.jumpTo(T0 + 1_000 + DAY - 1);
      assertThat(d.releasedAt("c")).isNull();
      d.jumpTo(T0 + 1_000 + DAY);
      assertThat(d.releasedAt("c")).isEqualTo(T0 + 1_000 + DAY);
    }
  }

  @Test
  void aNewUserWaitsExactlyUntilTheFirstContactPlusADay() throws Exception {
    long notAfter = T0 + 2 * DAY;
    try (DispatchHarness d = DispatchHarness.open(tier(2), T0)) {
      d.send(request("a", "alice", Basis.TEMPLATE, notAfter));
      d.send(request("b", "bob", Basis.TEMPLATE, notAfter));
      d.send(request("c", "carol", Basis.TEMPLATE, notAfter));
      d.stepTo(T0 + 100);
      assertThat(d.releaseTimes()).containsExactly(T0, T0 + 13);

      d.jumpTo(T0 + DAY - 1);
      assertThat(d.releasedAt("c")).isNull();
      d.jumpTo(T0 + DAY);
      assertThat(d.releasedAt("c")).isEqualTo(T0 + DAY);
    }
  }

  @Test
  void aTierHeldRequestExpiresAsTier() throws Exception {
    try (DispatchHarness d = DispatchHarness.open(tier(1), T0)) {
      d.send(request("a", "alice", Basis.TEMPLATE, FAR));
      d.send(request("b", "bob", Basis.TEMPLATE, T0 + 5_000));
      d.stepTo(T0 + 5_000);

      assertThat(d.expired())
          .containsExactly(
              DeliveryOutcome.expired(
                  request("b", "bob", Basis.TEMPLATE, T0 + 5_000),
                  Instant.ofEpochMilli(T0 + 5_000),
                  "tier"));
    }
  }

  // ------------------------------------------------------------------ notAfter

  @Test
  void releasedOneMillisecondBeforeNotAfterAndExpiredAtIt() throws Exception {
    try (DispatchHarness d = DispatchHarness.open(DEFAULTS, T0)) {
      d.send(request("first", "u0", FAR));
      // The next slot is T0 + 13.
      d.send(request("in-time", "u1", T0 + 14));
      d.send(request("too-late", "u2", T0 + 25)); // its slot would be T0 + 25
      d.stepTo(T0 + 100);

      assertThat(d.releasedAt("in-time")).isEqualTo(T0 + 13);
      assertThat(d.releasedAt("too-late")).isNull();
      DeliveryOutcome expired = d.expired().get(0);
      assertThat(d.expired()).hasSize(1);
      assertThat(expired.requestId()).isEqualTo("too-late");
      assertThat(expired.status()).isEqualTo(DeliveryStatus.EXPIRED);
      assertThat(expired.at()).isEqualTo(Instant.ofEpochMilli(T0 + 25));
      assertThat(expired.reason()).isEqualTo("rate");
    }
  }

  @Test
  void aPairHeldRequestExpiresAtItsNotAfterAsPair() throws Exception {
    try (DispatchHarness d = DispatchHarness.open(DEFAULTS, T0)) {
      d.send(request("a1", "alice", FAR));
      d.send(request("a2", "alice", T0 + 6_000));
      d.stepTo(T0 + 5_999);
      assertThat(d.expired()).isEmpty();
      d.stepTo(T0 + 6_000);

      assertThat(d.releasedAt("a2")).isNull();
      assertThat(d.expired()).hasSize(1);
      assertThat(d.expired().get(0).at()).isEqualTo(Instant.ofEpochMilli(T0 + 6_000));
      assertThat(d.expired().get(0).reason()).isEqualTo("pair");
    }
  }

  @Test
  void aRequestArrivingPastItsNotAfterExpiresAtOnce() throws Exception {
    try (DispatchHarness d = DispatchHarness.open(DEFAULTS, T0)) {
      d.send(request("late", "u1", T0));
      d.send(request("later", "u2", T0 - 5_000));

      assertThat(d.releases()).isEmpty();
      assertThat(d.expired().stream().map(DeliveryOutcome::at))
          .containsExactly(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 - 5_000));
      assertThat(d.expired().stream().map(DeliveryOutcome::reason))
          .containsOnly(Hold.LATE.reason());
      assertThat(d.statesHeld()).isEmpty();
    }
  }

  @Test
  void aTimerFiringPastANotAfterDoesNotReleaseTheRequest() throws Exception {
    try (DispatchHarness d = DispatchHarness.open(DEFAULTS, T0)) {
      d.send(request("first", "u0", FAR));
      d.send(request("short", "u1", T0 + 100));
      d.send(request("long", "u2", FAR));
      d.jumpTo(T0 + 100); // the slot timer of T0 + 13 fires only now

      assertThat(d.releasedAt("short")).isNull();
      assertThat(d.releasedAt("long")).isEqualTo(T0 + 100);
      assertThat(d.expired()).hasSize(1);
      assertThat(d.expired().get(0).at()).isEqualTo(Instant.ofEpochMilli(T0 + 100));
    }
  }

  // ------------------------------------------------------------------ pause

  @Test
  void aPauseHoldsEverythingExpiryStillAppliesAndResumeDrainsAtTheRate() throws Exception {
    try (DispatchHarness d = DispatchHarness.open(DEFAULTS, T0)) {
      d.status(AccountState.PAUSED, Instant.ofEpochMilli(T0));
      d.send(request("short", "u0", T0 + 1_000));
      for (int i = 1; i <= 3; i++) {
        d.send(request("r" + i, "u" + i, FAR));
      }
      d.stepTo(T0 + 2_000);
      assertThat(d.releases()).isEmpty();
      assertThat(d.expired()).hasSize(1);
      assertThat(d.expired().get(0).reason()).isEqualTo("paused");
      assertThat(d.expired().get(0).at()).isEqualTo(Instant.ofEpochMilli(T0 + 1_000));

      // An older record does not undo the pause.
      d.status(AccountState.ACTIVE, Instant.ofEpochMilli(T0 - 1));
      d.stepTo(T0 + 3_000);
      assertThat(d.releases()).isEmpty();

      d.status(AccountState.ACTIVE, Instant.ofEpochMilli(T0 + 3_000));
      d.stepTo(T0 + 3_100);
      assertThat(d.releaseTimes()).containsExactly(T0 + 3_000, T0 + 3_013, T0 + 3_025);
    }
  }

  @Test
  void aPauseAndAResumeAtTheSameInstantApplyInTheirOrderOfArrival() throws Exception {
    try (DispatchHarness d = DispatchHarness.open(DEFAULTS, T0)) {
      Instant at = Instant.ofEpochMilli(T0);
      d.status(AccountState.PAUSED, at);
      d.status(AccountState.ACTIVE, at);
      d.send(request("r", "u", FAR));
      assertThat(d.releaseTimes()).containsExactly(T0);

      d.status(AccountState.PAUSED, at);
      d.send(request("s", "v", FAR));
      d.stepTo(T0 + 1_000);
      assertThat(d.releaseTimes()).containsExactly(T0);
    }
  }

  // ------------------------------------------------------------------ state

  @Test
  void anIdleAccountKeepsOnlyItsStatusAndPacerOnRocksDb() throws Exception {
    try (DispatchHarness d = DispatchHarness.openRocksDb(tier(2), T0)) {
      d.status(AccountState.ACTIVE, Instant.ofEpochMilli(T0));
      d.send(request("a", "alice", Basis.TEMPLATE, T0 + 2 * DAY));
      d.send(request("a2", "alice", Basis.TEMPLATE, T0 + 2 * DAY));
      d.send(request("b", "bob", Basis.TEMPLATE, T0 + 2 * DAY));
      d.send(request("c", "carol", Basis.TEMPLATE, T0 + 2 * DAY));
      d.send(request("x", "xavier", T0 + 20)); // its slot would be T0 + 25
      d.send(request("y", "yvonne", T0 + 3_000)); // goes long before its notAfter
      d.stepTo(T0 + 7_000);
      assertThat(d.statesHeld()).contains(Dispatcher.WAITING, Dispatcher.CONTACTS);

      // Bob's contact is the first to leave (Alice's second message extended hers).
      d.jumpTo(T0 + DAY + 13);
      d.jumpTo(T0 + 3 * DAY);

      assertThat(d.releases().stream().map(r -> r.request().requestId()))
          .containsExactly("a", "b", "y", "a2", "c");
      assertThat(d.releasedAt("c")).isEqualTo(T0 + DAY + 13);
      assertThat(d.expired().stream().map(DeliveryOutcome::requestId)).containsExactly("x");
      assertThat(d.expired().get(0).reason()).isEqualTo("rate");
      assertThat(d.statesHeld()).containsExactly(Dispatcher.PACER, Dispatcher.STATUS);
      assertThat(d.timers()).isZero();
    }
  }

  @Test
  void aBacklogSurvivesASnapshotAndTheGridGoesOn() throws Exception {
    OperatorSubtaskState state;
    List<Release> before;
    try (DispatchHarness d = DispatchHarness.openRocksDb(DEFAULTS, T0)) {
      for (int i = 0; i < 100; i++) {
        d.send(request("r" + i, "u" + i, FAR));
      }
      d.send(request("again", "u0", FAR)); // held by pair rate until T0 + 6 s
      d.stepTo(T0 + 500);
      before = new ArrayList<>(d.releases());
      state = d.snapshot();
    }
    try (DispatchHarness d = DispatchHarness.restore(DEFAULTS, state, T0 + 500)) {
      d.stepTo(T0 + 7_000);
      List<Release> after = d.releases();

      Set<String> ids = new HashSet<>();
      before.forEach(r -> ids.add(r.request().requestId()));
      after.forEach(r -> ids.add(r.request().requestId()));
      assertThat(before.size() + after.size()).isEqualTo(101);
      assertThat(ids).hasSize(101);
      // The grid goes on: 40 released up to T0 + 500 (slots 0 … 487.5), the next at T0 + 500.
      assertThat(before).hasSize(41);
      assertThat(after.get(0).at()).isEqualTo(T0 + 513);
      assertThat(d.releasedAt("again")).isEqualTo(T0 + 6_000);
      assertThat(d.statesHeld())
          .containsExactly(Dispatcher.LAST_TO_USER, Dispatcher.PACER, Dispatcher.PAIR_FORGET);
    }
  }

  // ------------------------------------------------------------------ helpers

  /** The most releases in any window [t, t + 1000 ms); windows starting at a release suffice. */
  static int maxInAnySecond(List<Long> times) {
    int max = 0;
    int end = 0;
    for (int start = 0; start < times.size(); start++) {
      while (end < times.size() && times.get(end) < times.get(start) + 1_000) {
        end++;
      }
      max = Math.max(max, end - start);
    }
    return max;
  }
}
