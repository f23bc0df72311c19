package dev.herald.policy;

import dev.herald.schema.Bounds;
import dev.herald.schema.ControlRecord.Campaign;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * When each user a subtask takes into a starting campaign's audience is decided: at the start
 * without a {@code rate}; otherwise the subtask's {@code n}-th user (from 0) at {@code start + n /
 * (rate / P)} seconds, truncated to the millisecond, so that {@code P} subtasks together keep the
 * campaign's rate. A decision that would fall after the end of time ({@link Bounds#LATEST}) is made
 * at the end of time: a total answer for any audience and rate, where the exact sum would overflow.
 * One instance per sweep.
 */
public final class Spread implements Function<Campaign, Instant> {

  private final Instant start;
  private final int parallelism;
  private final Map<String, Long> taken = new HashMap<>();
  private final Map<String, Instant> last = new HashMap<>();

  public Spread(Instant start, int parallelism) {
    this.start = start;
    this.parallelism = parallelism;
  }

  /**
   * A spread resumed where a checkpointed sweep stood: {@code taken} users per campaign so far, and
   * the last instant given to each.
   */
  public Spread(
      Instant start, int parallelism, Map<String, Long> taken, Map<String, Instant> last) {
    this(start, parallelism);
    this.taken.putAll(taken);
    this.last.putAll(last);
  }

  public Instant start() {
    return start;
  }

  public int parallelism() {
    return parallelism;
  }

  /** How many users each campaign has taken so far, by id. */
  public Map<String, Long> taken() {
    return taken;
  }

  /**
   * How many users a subtask of a job rescaled to {@code parallelism} has taken when its next slot
   * is to come strictly after {@code after}: the slots of the old subtasks all lie at or before
   * {@code after}, the new ones after it, so the campaign's rate holds across the rescale.
   */
  public static long resumeAfter(Instant start, Instant after, int parallelism, double rate) {
    long offset = after.toEpochMilli() - start.toEpochMilli();
    // the least n with floor(n * 1000 * P / rate) > offset
    long n = (long) Math.floor((offset + 1) * rate / (1000.0 * parallelism));
    while (n > 0 && Math.floor((n - 1) * 1000.0 * parallelism / rate) > offset) {
      n--;
    }
    while (Math.floor(n * 1000.0 * parallelism / rate) <= offset) {
      n++;
    }
    return n;
  }

  /** The decision instant of the next user taken into {@code c}'s audience. */
  @Override
  public Instant apply(Campaign c) {
    long n = taken.merge(c.id(), 1L, Long::sum) - 1;
    Instant at = c.rate() == null ? start : slot(n, c.rate());
    last.merge(c.id(), at, (a, b) -> a.isAfter(b) ? a : b);
    return at;
  }

  /**
   * {@code start + n / (rate / P)} seconds, truncated to the millisecond, at most the end of time.
   */
  private Instant slot(long n, double rate) {
    double offset = Math.floor(n * 1000.0 * parallelism / rate);
    double room = (double) Bounds.LATEST.toEpochMilli() - start.toEpochMilli();
    if (!(offset <= room)) { // also NaN
      return Bounds.LATEST;
    }
    return start.plusMillis((long) offset);
  }

  /** The last decision instant given per campaign, for {@link CampaignBook#markStarted}. */
  public Map<String, Instant> lastDecisions() {
    return last;
  }
}
