package dev.herald.job.dispatch;

import dev.herald.channel.DeliveryLimits;
import dev.herald.channel.MessagingChannel;
import dev.herald.schema.Channel;
import dev.herald.schema.WireEnum;
import java.io.Serializable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The delivery limits of every account the dispatcher serves: each channel's defaults ({@link
 * MessagingChannel#defaultLimits()} unless replaced) and per-account overrides, keyed by {@code
 * channel/account} (the dispatcher's key, {@link dev.herald.schema.UserKey#accountKey()}).
 */
public final class DispatchLimits implements Serializable {

  private static final long serialVersionUID = 1L;

  private final EnumMap<Channel, DeliveryLimits> channels;
  private final HashMap<String, DeliveryLimits> accounts;

  private final Duration margin;

  private DispatchLimits(
      EnumMap<Channel, DeliveryLimits> channels,
      HashMap<String, DeliveryLimits> accounts,
      Duration margin) {
    this.channels = channels;
    this.accounts = accounts;
    this.margin = margin;
  }

  /**
   * The jitter allowed for between a release here and its arrival at the platform: the rate is kept
   * over windows of one second plus this, and the pair interval is this much longer.
   */
  public Duration margin() {
    return margin;
  }

  /** Every channel's defaults, no overrides. */
  public static DispatchLimits defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The limits of the account {@code channel/account}. */
  public DeliveryLimits forAccount(String accountKey) {
    DeliveryLimits override = accounts.get(accountKey);
    if (override != null) {
      return override;
    }
    return channels.get(channelOf(accountKey));
  }

  /** The channel of an account key {@code channel/account}. */
  static Channel channelOf(String accountKey) {
    int slash = accountKey.indexOf('/');
    Channel channel =
        slash < 0 ? null : WireEnum.fromWire(Channel.class, accountKey.substring(0, slash));
    if (channel == null || slash == accountKey.length() - 1) {
      throw new IllegalArgumentException(
          "an account key is channel/account with a channel of "
              + WireEnum.spellings(Channel.class)
              + ", not '"
              + accountKey
              + "'");
    }
    return channel;
  }

  /** Builds {@link DispatchLimits}; an account given twice fails at {@link #build()}. */
  public static final class Builder {
    private final EnumMap<Channel, DeliveryLimits> channels = new EnumMap<>(Channel.class);
    private final HashMap<String, DeliveryLimits> accounts = new HashMap<>();
    private final Map<String, Integer> times = new HashMap<>();
    private Duration margin = Duration.ZERO;

    private Builder() {
      for (Channel c : Channel.values()) {
        channels.put(c, MessagingChannel.of(c).defaultLimits());
      }
    }

    /** Replaces the defaults of {@code channel}. */
    public Builder channel(Channel channel, DeliveryLimits limits) {
      channels.put(Objects.requireNonNull(channel, "channel"), limits);
      return this;
    }

    /** The limits of one account, e.g. {@code whatsapp/1098765} after an upgrade. */
    public Builder account(Channel channel, String account, DeliveryLimits limits) {
      Objects.requireNonNull(channel, "channel");
      if (account == null || account.isEmpty()) {
        throw new IllegalArgumentException(
            "an override of " + channel + " limits needs an account");
      }
      return account(channel.wire() + "/" + account, limits);
    }

    /** The limits of the account {@code channel/account}. */
    public Builder account(String accountKey, DeliveryLimits limits) {
      channelOf(Objects.requireNonNull(accountKey, "accountKey"));
      accounts.put(accountKey, Objects.requireNonNull(limits, "limits"));
      times.merge(accountKey, 1, Integer::sum);
      return this;
    }

    /**
     * The jitter allowed for on the way to the platform ({@link DispatchLimits#margin}); zero by
     * default, under one second.
     */
    public Builder margin(Duration margin) {
      Objects.requireNonNull(margin, "margin");
      if (margin.isNegative() || margin.compareTo(Duration.ofSeconds(1)) >= 0) {
        throw new IllegalArgumentException(
            "the delivery margin must be at least 0 and under 1 s, not " + margin);
      }
      this.margin = margin;
      return this;
    }

    public DispatchLimits build() {
      for (Map.Entry<String, Integer> e : times.entrySet()) {
        if (e.getValue() > 1) {
          throw new IllegalArgumentException(
              "the limits of account " + e.getKey() + " are given " + e.getValue() + " times");
        }
      }
      return new DispatchLimits(new EnumMap<>(channels), new HashMap<>(accounts), margin);
    }
  }
}
