package dev.herald.job.dispatch;

/**
 * The release slots of one account: at most {@code perSecond} releases in any one-second window,
 * spread evenly rather than in bursts (a burst compresses downstream and breaks the limit at the
 * platform, which measures in wall time).
 *
 * <p>Slots lie on a grid of spacing {@code s = ceil(1e9 / perSecond)} ns. The pacer's only state is
 * {@code x}, the instant (ns) of the next slot, or {@code null} before the first release. Release
 * {@code k} may happen at {@code ceil(x_k)} ms or later; then {@code x_{k+1} = x_k + s} if it
 * happened exactly at {@code ceil(x_k)} (on time), and {@code x_{k+1} = r_k + s} if it happened
 * later at {@code r_k} (a late timer, or an idle queue), so that lateness never turns into a
 * catch-up burst.
 *
 * <p><b>The bound.</b> In both cases {@code x_{k+1} ≥ (r_k − 1 ms) + 1 ns + s}: late, {@code
 * x_{k+1} = r_k + s}; on time, {@code r_k = ceil(x_k) < x_k + 1 ms}, so {@code x_k ≥ r_k − 1 ms + 1
 * ns}. Each later step adds at least {@code s} (on time exactly {@code s}; late {@code r + s ≥ x +
 * s}, as {@code r ≥ ceil(x) ≥ x}). Hence {@code x_{k+P} ≥ r_k − 1 ms + 1 ns + P·s ≥ r_k + 999 ms +
 * 1 ns} for {@code P = perSecond}, as {@code P·s ≥ 1e9 ns}; so {@code r_{k+P} ≥ ceil(x_{k+P}) ≥ r_k
 * + 1000 ms}. If release {@code k} is the first in a window {@code [t, t + 1000)}, then {@code r_k
 * ≥ t} and release {@code k + P} is at or after {@code t + 1000}: at most {@code P} releases fall
 * in the window. When backlogged and on time, releases are {@code s} apart on average: {@code 1e9 /
 * s ≥ P·(1 − P/1e9)} a second, within 1 % of {@code P} for any {@code P ≤ 10⁷}.
 *
 * <p><b>The margin.</b> The hop from here to the platform adds a little jitter (a thread switch, a
 * connection), which could move one message of a tight second into the next at the platform. With a
 * margin {@code m}, the grid is spaced {@code s = ceil((1e9 + m) / P)} ns: the same proof gives at
 * most {@code P} releases in any window of {@code 1000 ms + m}, so jitter under {@code m} never
 * shows {@code P + 1} at the platform, at the price of a rate {@code m / 1 s} lower.
 *
 * <p><b>A timer a millisecond late.</b> Flink fires a processing-time timer at the earliest a
 * millisecond after its timestamp, so a backlogged account's release comes at {@code ceil(x) + 1}.
 * Counted late, each would start the grid again from there, and releases would come {@code ceil(s)
 * + 1} ms apart (5 ms instead of 3.4 at 300/s: 200/s). With a margin of at least 2 ms, a release at
 * {@code ceil(x_k) + 1} counts as on time ({@code x_{k+1} = x_k + s}). Then {@code r_k < x_k + 2
 * ms}, and the proof above gives {@code r_{k+P} ≥ r_k + 998 ms + m}: at most {@code P} releases in
 * any window of {@code 1000 ms + m − 2 ms}, still more than a second; the margin's allowance for
 * jitter is 2 ms smaller.
 */
public final class Pacer {

  static final long NANOS_PER_MILLI = 1_000_000L;

  private final long spacingNanos;

  /**
   * How late (ms) a release may be and still count as on time: 1 when the margin is at least
   * {@value #TOLERANCE_MARGIN} ms, else 0 (see the class doc).
   */
  private final long toleranceMillis;

  /** The least margin with which a release a millisecond after its slot counts as on time. */
  static final long TOLERANCE_MARGIN = 2;

  public Pacer(int perSecond) {
    this(perSecond, 0);
  }

  /**
   * @param marginMillis the jitter allowed for on the way to the platform (see the class doc)
   */
  public Pacer(int perSecond, long marginMillis) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("a rate limit must be positive, not " + perSecond);
    }
    if (marginMillis < 0) {
      throw new IllegalArgumentException("a margin must not be negative, not " + marginMillis);
    }
    this.spacingNanos = ceilDiv(1_000_000_000L + marginMillis * NANOS_PER_MILLI, perSecond);
    this.toleranceMillis = marginMillis >= TOLERANCE_MARGIN ? 1 : 0;
  }

  /** The spacing {@code s} of the slots, in nanoseconds. */
  public long spacingNanos() {
    return spacingNanos;
  }

  /** The millisecond of the slot {@code next} (ns): {@code ceil(next)}. */
  public static long slotMillis(long nextNanos) {
    return ceilDiv(nextNanos, NANOS_PER_MILLI);
  }

  /** The earliest millisecond at or after {@code now} at which the next release may happen. */
  public long releaseAt(Long next, long now) {
    return next == null ? now : Math.max(now, slotMillis(next));
  }

  /** Whether a release may happen at {@code now}. */
  public boolean mayRelease(Long next, long now) {
    return next == null || slotMillis(next) <= now;
  }

  /** The next slot after a release at {@code releasedAt}, which {@link #mayRelease} allowed. */
  public long afterRelease(Long next, long releasedAt) {
    if (!mayRelease(next, releasedAt)) {
      throw new IllegalStateException("a release at " + releasedAt + " before its slot " + next);
    }
    boolean onTime = next != null && releasedAt - slotMillis(next) <= toleranceMillis;
    return (onTime ? next : releasedAt * NANOS_PER_MILLI) + spacingNanos;
  }

  private static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }
}
