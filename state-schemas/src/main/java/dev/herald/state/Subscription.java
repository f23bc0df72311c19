package dev.herald.state;

import dev.herald.schema.Frequency;
import java.time.Instant;

/**
 * A user's recurring-notification subscription to one topic.
 *
 * @param token the subscription's token, named by every recurring message
 * @param optedInAt when the current opt-in was given (validity counts from here)
 * @param expiresAt the platform's own expiry, replacing the derived one; {@code null} if none
 * @param stopped whether the user stopped it
 * @param statusAt when it was last stopped, resumed or (re-)opted in: the latest status wins
 * @param lastSentAt the last recurring message on this topic, kept across re-opt-ins; {@code null}
 *     if none
 */
public record Subscription(
    String topic,
    String token,
    Frequency frequency,
    Instant optedInAt,
    Instant expiresAt,
    boolean stopped,
    Instant statusAt,
    Instant lastSentAt) {

  public Subscription withStatus(boolean stopped, Instant at) {
    return new Subscription(topic, token, frequency, optedInAt, expiresAt, stopped, at, lastSentAt);
  }

  public Subscription withLastSentAt(Instant at) {
    return new Subscription(topic, token, frequency, optedInAt, expiresAt, stopped, statusAt, at);
  }
}
