package dev.herald.connectors.channel;

import dev.herald.channel.DeliveryLimits;
import dev.herald.channel.MessagingChannel;
import dev.herald.schema.Channel;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The shared settings from which the sink builds each account's guards: its rate limiter, retry,
 * circuit breaker and bulkhead (one named instance of each per {@code channel/account}). Every
 * account gets the same presets; only the rate differs, from the account's {@link DeliveryLimits}.
 *
 * <p>The defaults suit the platforms; tests shorten the waits to tens of milliseconds through the
 * builder rather than sleeping.
 */
public final class ResiliencePresets implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Duration rateRefreshPeriod;
  private final Duration rateMaxWait;
  private final HashMap<String, Integer> perSecondOverrides;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final double backoffMultiplier;
  private final double backoffJitter;
  private final float breakerFailureRate;
  private final int breakerWindow;
  private final int breakerMinimumCalls;
  private final Duration breakerWaitInOpen;
  private final int breakerHalfOpenCalls;
  private final int maxCallsInFlight;

  private ResiliencePresets(Builder b) {
    this.rateRefreshPeriod = b.rateRefreshPeriod;
    this.rateMaxWait = b.rateMaxWait;
    this.perSecondOverrides = new HashMap<>(b.perSecondOverrides);
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.backoffMultiplier = b.backoffMultiplier;
    this.backoffJitter = b.backoffJitter;
    this.breakerFailureRate = b.breakerFailureRate;
    this.breakerWindow = b.breakerWindow;
    this.breakerMinimumCalls = b.breakerMinimumCalls;
    this.breakerWaitInOpen = b.breakerWaitInOpen;
    this.breakerHalfOpenCalls = b.breakerHalfOpenCalls;
    this.maxCallsInFlight = b.maxCallsInFlight;
  }

  /** The platforms' defaults. */
  public static ResiliencePresets defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The sends per second allowed to {@code account}: its override, else the channel's default. */
  public int perSecond(Channel channel, String account) {
    Integer override = perSecondOverrides.get(Credentials.key(channel, account));
    return override != null ? override : MessagingChannel.of(channel).defaultLimits().perSecond();
  }

  /**
   * The rate limiter's cycle for a rate: the smallest whole number of permits per cycle that gives
   * a cycle of at least the refresh period, so a second's permits come in small steps, not all at
   * the start of the second (a burst of 300 calls at once is what the platforms punish).
   */
  RateCycle rateCycle(int perSecond) {
    long refreshNanos = rateRefreshPeriod.toNanos();
    int permits = (int) Math.max(1, (long) perSecond * refreshNanos / 1_000_000_000L);
    long cycleNanos = Math.max(1, permits * 1_000_000_000L / perSecond);
    return new RateCycle(permits, Duration.ofNanos(cycleNanos));
  }

  /** A rate limiter's cycle: {@code permits} every {@code period}. */
  record RateCycle(int permits, Duration period) {}

  /** How often the rate limiter hands out a new share of the second's permits. */
  public Duration rateRefreshPeriod() {
    return rateRefreshPeriod;
  }

  /** The longest one call waits for a rate permit (shorter when the request's notAfter is near). */
  public Duration rateMaxWait() {
    return rateMaxWait;
  }

  /** Calls per request at most, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  /** The randomization factor of the backoff: each wait is its nominal value ± this share. */
  public double backoffJitter() {
    return backoffJitter;
  }

  /** The share (percent) of account-level failures among recent calls that opens the breaker. */
  public float breakerFailureRate() {
    return breakerFailureRate;
  }

  /** The recent calls the breaker looks at (a count-based window). */
  public int breakerWindow() {
    return breakerWindow;
  }

  /** The calls the breaker needs before it judges a failure rate. */
  public int breakerMinimumCalls() {
    return breakerMinimumCalls;
  }

  /** How long an open breaker refuses calls before it lets probes through. */
  public Duration breakerWaitInOpen() {
    return breakerWaitInOpen;
  }

  /** The probe calls of a half-open breaker. */
  public int breakerHalfOpenCalls() {
    return breakerHalfOpenCalls;
  }

  /** Calls in flight per account at most (the bulkhead). */
  public int maxCallsInFlight() {
    return maxCallsInFlight;
  }

  /**
   * The longest one request can take through every attempt: each waits for its rate permit and then
   * for the answer, with the longest backoff between them. The sink's async timeout must be longer
   * than this, or Flink gives up on requests the sink would still answer.
   */
  public Duration longestDelivery(Duration requestTimeout) {
    Duration total = rateMaxWait.plus(requestTimeout).multipliedBy(maxAttempts);
    double backoff = initialBackoff.toMillis();
    for (int attempt = 1; attempt < maxAttempts; attempt++) {
      total = total.plusMillis((long) Math.ceil(backoff * (1 + backoffJitter)));
      backoff *= backoffMultiplier;
    }
    return total;
  }

  @Override
  public String toString() {
    return "ResiliencePresets{rate refresh "
        + rateRefreshPeriod
        + ", rate wait "
        + rateMaxWait
        + ", rate overrides "
        + perSecondOverrides
        + ", attempts "
        + maxAttempts
        + ", backoff "
        + initialBackoff
        + " x"
        + backoffMultiplier
        + " ±"
        + backoffJitter
        + ", breaker "
        + breakerFailureRate
        + "% of "
        + breakerWindow
        + " (min "
        + breakerMinimumCalls
        + "), open "
        + breakerWaitInOpen
        + ", half-open calls "
        + breakerHalfOpenCalls
        + ", in flight "
        + maxCallsInFlight
        + "}";
  }

  /** Builds presets; {@link #build()} checks them. */
  public static final class Builder {
    private Duration rateRefreshPeriod = Duration.ofMillis(50);
    private Duration rateMaxWait = Duration.ofSeconds(5);
    private final Map<String, Integer> perSecondOverrides = new HashMap<>();
    private int maxAttempts = 4;
    private Duration initialBackoff = Duration.ofMillis(500);
    private double backoffMultiplier = 2.0;
    private double backoffJitter = 0.5;
    private float breakerFailureRate = 50;
    private int breakerWindow = 20;
    private int breakerMinimumCalls = 10;
    private Duration breakerWaitInOpen = Duration.ofSeconds(30);
    private int breakerHalfOpenCalls = 3;
    private int maxCallsInFlight = 100;

    private Builder() {}

    public Builder rateRefreshPeriod(Duration d) {
      this.rateRefreshPeriod = d;
      return this;
    }

    public Builder rateMaxWait(Duration d) {
      this.rateMaxWait = d;
      return this;
    }

    /**
     * Per-account limits ({@code channel/account} to limits) instead of the channel's defaults; the
     * sink uses their {@link DeliveryLimits#perSecond()}.
     */
    public Builder limits(Map<String, DeliveryLimits> limits) {
      limits.forEach((account, l) -> perSecondOverrides.put(account, l.perSecond()));
      return this;
    }

    public Builder maxAttempts(int n) {
      this.maxAttempts = n;
      return this;
    }

    /** The backoff before the second attempt; each later one is {@code multiplier} times more. */
    public Builder backoff(Duration initial, double multiplier, double jitter) {
      this.initialBackoff = initial;
      this.backoffMultiplier = multiplier;
      this.backoffJitter = jitter;
      return this;
    }

    /** The breaker opens at {@code failureRate}% account-level failures among recent calls. */
    public Builder breaker(float failureRate, int window, int minimumCalls) {
      this.breakerFailureRate = failureRate;
      this.breakerWindow = window;
      this.breakerMinimumCalls = minimumCalls;
      return this;
    }

    /** An open breaker waits {@code waitInOpen}, then lets {@code halfOpenCalls} probes through. */
    public Builder breakerRecovery(Duration waitInOpen, int halfOpenCalls) {
      this.breakerWaitInOpen = waitInOpen;
      this.breakerHalfOpenCalls = halfOpenCalls;
      return this;
    }

    public Builder maxCallsInFlight(int n) {
      this.maxCallsInFlight = n;
      return this;
    }

    public ResiliencePresets build() {
      positive("rateRefreshPeriod", rateRefreshPeriod);
      notNegative("rateMaxWait", rateMaxWait);
      positive("initialBackoff", initialBackoff);
      notNegative("breakerWaitInOpen", breakerWaitInOpen);
      perSecondOverrides.forEach(
          (account, perSecond) -> {
            if (account.indexOf('/') <= 0) {
              throw new IllegalArgumentException(
                  "limits are keyed channel/account, not '" + account + "'");
            }
          });
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
      }
      if (!(backoffMultiplier >= 1.0)) {
        throw new IllegalArgumentException(
            "the backoff multiplier must be at least 1, not " + backoffMultiplier);
      }
      if (!(backoffJitter >= 0 && backoffJitter < 1)) {
        throw new IllegalArgumentException(
            "the backoff jitter must be in [0, 1), not " + backoffJitter);
      }
      if (!(breakerFailureRate > 0 && breakerFailureRate <= 100)) {
        throw new IllegalArgumentException(
            "the breaker's failure rate is a percentage in (0, 100], not " + breakerFailureRate);
      }
      if (breakerWindow < 1 || breakerMinimumCalls < 1 || breakerHalfOpenCalls < 1) {
        throw new IllegalArgumentException(
            "the breaker's window, minimum calls and half-open calls must be at least 1");
      }
      if (maxCallsInFlight < 1) {
        throw new IllegalArgumentException(
            "maxCallsInFlight must be at least 1, not " + maxCallsInFlight);
      }
      return new ResiliencePresets(this);
    }

    private static void positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, not " + d);
      }
    }

    private static void notNegative(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, not " + d);
      }
    }
  }
}
