package dev.herald.channel;

import java.io.Serializable;
import java.time.Duration;

/**
 * How fast the dispatcher may release messages to one account (spec/DOMAIN.md, "Delivery limits").
 *
 * @param perSecond messages in any one-second window
 * @param pairInterval the least time between two messages to one user; {@code null}: no limit
 * @param tier unique recipients of business-initiated messages in any rolling 24 hours; {@code
 *     null}: unlimited
 */
public record DeliveryLimits(int perSecond, Duration pairInterval, Integer tier)
    implements Serializable {

  public DeliveryLimits {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("a rate limit must be positive, not " + perSecond);
    }
    if (pairInterval != null && (pairInterval.isNegative() || pairInterval.isZero())) {
      throw new IllegalArgumentException("a pair interval must be positive, not " + pairInterval);
    }
    if (tier != null && tier <= 0) {
      throw new IllegalArgumentException("a messaging-limit tier must be positive, not " + tier);
    }
  }

  /** These limits with another rate. */
  public DeliveryLimits withPerSecond(int perSecond) {
    return new DeliveryLimits(perSecond, pairInterval, tier);
  }

  /** These limits with another tier ({@code null}: unlimited). */
  public DeliveryLimits withTier(Integer tier) {
    return new DeliveryLimits(perSecond, pairInterval, tier);
  }
}
