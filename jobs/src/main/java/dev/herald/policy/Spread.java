package dev.herald.policy;

import dev.herald.schema.ControlRecord.Campaign;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * When each user a subtask takes into a starting campaign's audience is decided: at the start
 * without a {@code rate}; otherwise the subtask's {@code n}-th user (from 0) at {@code start + n /
 * (rate / P)} seconds, truncated to the millisecond, so that {@code P} subtasks together keep the
 * campaign's rate. One instance per sweep.
 */
public final class Spread implements Function<Campaign, Instant> {

  private final Instant start;
  private final int parallelism;
  private final Map<String, Integer> taken = new HashMap<>();
  private final Map<String, Instant> last = new HashMap<>();

  public Spread(Instant start, int parallelism) {
    this.start = start;
    this.parallelism = parallelism;
  }

  /** The decision instant of the next user taken into {@code c}'s audience. */
  @Override
  public Instant apply(Campaign c) {
    int n = taken.merge(c.id(), 1, Integer::sum) - 1;
    Instant at =
        c.rate() == null
            ? start
            : start.plusMillis((long) Math.floor(n * 1000.0 * parallelism / c.rate()));
    last.merge(c.id(), at, (a, b) -> a.isAfter(b) ? a : b);
    return at;
  }

  /** The last decision instant given per campaign, for {@link CampaignBook#markStarted}. */
  public Map<String, Instant> lastDecisions() {
    return last;
  }
}
