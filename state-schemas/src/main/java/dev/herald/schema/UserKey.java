package dev.herald.schema;

import java.util.Objects;

/**
 * A recipient, scoped to a channel and an account: the key of all per-user state. Written {@code
 * channel/account/user}.
 *
 * <p>The hash code is computed from the channel's wire name, not the enum's identity hash, so that
 * the key lands in the same key group on every JVM.
 */
public record UserKey(Channel channel, String account, String user) {

  public UserKey {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(user, "user");
  }

  @Override
  public int hashCode() {
    return (channel.wire().hashCode() * 31 + account.hashCode()) * 31 + user.hashCode();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserKey k
        && channel == k.channel
        && account.equals(k.account)
        && user.equals(k.user);
  }

  /** The user's account as {@code channel/account}: the key of the account's dispatcher. */
  public String accountKey() {
    return channel.wire() + "/" + account;
  }

  /** Whether this user belongs to {@code channel} and {@code account}. */
  public boolean isOn(Channel channel, String account) {
    return this.channel == channel && this.account.equals(account);
  }

  @Override
  public String toString() {
    return channel.wire() + "/" + account + "/" + user;
  }
}
