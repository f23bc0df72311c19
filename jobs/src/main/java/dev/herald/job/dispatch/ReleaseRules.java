package dev.herald.job.dispatch;

import dev.herald.channel.DeliveryLimits;
import dev.herald.schema.Basis;
import dev.herald.schema.SendRequest;
import java.time.Duration;

/**
 * The pair-rate and tier rules of one account (spec/DOMAIN.md, "Delivery limits"), over the facts
 * the dispatcher keeps: when the user last had a message, and whom business-initiated messages
 * reached in the last 24 hours. The rate itself is the {@link Pacer}'s.
 *
 * <p>A user counts towards the tier from a business-initiated ({@code TEMPLATE}) release at {@code
 * c} until {@code c + 24 h}, exclusive; a later release extends it. A user already counted passes a
 * full tier; a new user waits until the first counted user leaves.
 */
public final class ReleaseRules {

  /** How long a business-initiated message counts a user towards the tier. */
  public static final Duration TIER_PERIOD = Duration.ofHours(24);

  public static final long TIER_PERIOD_MS = TIER_PERIOD.toMillis();

  /** When the first user counted towards the tier stops counting (state is read lazily). */
  @FunctionalInterface
  public interface FirstContactLeaves {
    long at() throws Exception;
  }

  /**
   * Until when a request is held, and by what; {@code at ≤ now} means pair and tier let it go.
   *
   * @param at the earliest instant (ms) pair rate and tier allow the release
   * @param hold what holds it until then ({@link Hold#RATE} when neither does)
   */
  public record Wait(long at, Hold hold) {}

  private final DeliveryLimits limits;
  private final long pairIntervalMs;

  public ReleaseRules(DeliveryLimits limits) {
    this(limits, 0);
  }

  /**
   * @param marginMillis added to the pair interval: the jitter allowed for on the way to the
   *     platform, so that two messages released a pair interval apart still arrive that far apart
   */
  public ReleaseRules(DeliveryLimits limits, long marginMillis) {
    this.limits = limits;
    this.pairIntervalMs =
        limits.pairInterval() == null ? 0 : limits.pairInterval().toMillis() + marginMillis;
  }

  public DeliveryLimits limits() {
    return limits;
  }

  /** Whether a messaging-limit tier applies: then business-initiated contacts are counted. */
  public boolean hasTier() {
    return limits.tier() != null;
  }

  /** Whether pair rate applies: then every release to a user is remembered for the interval. */
  public boolean hasPairRate() {
    return pairIntervalMs > 0;
  }

  public long pairIntervalMs() {
    return pairIntervalMs;
  }

  /** Whether {@code request} counts towards (and is held by) the account's tier. */
  public boolean countsTowardsTier(SendRequest request) {
    return hasTier() && request.basis() == Basis.TEMPLATE;
  }

  /**
   * How long {@code request} waits at {@code now} for pair rate and tier.
   *
   * @param lastToUser when the user last had a release, {@code null} if not within the interval
   * @param counted whether the user already counts towards the tier
   * @param contacts how many users count towards the tier
   * @param firstLeaves when the first counted user stops counting (asked only if the tier is full)
   */
  public Wait waitFor(
      SendRequest request,
      long now,
      Long lastToUser,
      boolean counted,
      long contacts,
      FirstContactLeaves firstLeaves)
      throws Exception {
    long pairUntil =
        hasPairRate() && lastToUser != null ? lastToUser + pairIntervalMs : Long.MIN_VALUE;
    long tierUntil = Long.MIN_VALUE;
    if (countsTowardsTier(request) && !counted && contacts >= limits.tier()) {
      tierUntil = firstLeaves.at();
    }
    // The hold that lifts last is the one that holds the request.
    if (tierUntil > now && tierUntil >= pairUntil) {
      return new Wait(tierUntil, Hold.TIER);
    }
    if (pairUntil > now) {
      return new Wait(pairUntil, Hold.PAIR);
    }
    return new Wait(now, Hold.RATE);
  }
}
