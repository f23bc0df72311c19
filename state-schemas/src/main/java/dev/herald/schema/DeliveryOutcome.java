package dev.herald.schema;

import java.time.Instant;
import java.util.Objects;

/**
 * How one send request ended, as written to {@code delivery-outcomes} in {@code user-events} form
 * ({@code "type":"delivery"}): {@code sent} with the platform's message id, {@code failed} with the
 * platform's error (or, when the platform gave none, a {@code reason}), or {@code expired} when the
 * dispatcher dropped it past its {@code notAfter}. The job reads these back as user events.
 *
 * @param at when the platform answered (or the request expired)
 * @param messageId the platform's message id, for {@code sent}
 * @param error the platform's error, for {@code failed}; {@code null} when there was none
 * @param reason why, in words, for {@code failed} and {@code expired}; never holds a token
 */
public record DeliveryOutcome(
    UserKey user,
    Instant at,
    DeliveryStatus status,
    String requestId,
    String campaign,
    String messageId,
    PlatformError error,
    String reason) {

  public DeliveryOutcome {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(status, "status");
  }

  public static DeliveryOutcome sent(SendRequest r, Instant at, String messageId) {
    return new DeliveryOutcome(
        r.user(), at, DeliveryStatus.SENT, r.requestId(), r.campaign(), messageId, null, null);
  }

  public static DeliveryOutcome failed(
      SendRequest r, Instant at, PlatformError error, String reason) {
    return new DeliveryOutcome(
        r.user(), at, DeliveryStatus.FAILED, r.requestId(), r.campaign(), null, error, reason);
  }

  public static DeliveryOutcome expired(SendRequest r, Instant at, String reason) {
    return new DeliveryOutcome(
        r.user(), at, DeliveryStatus.EXPIRED, r.requestId(), r.campaign(), null, null, reason);
  }

  /** The Kafka key of the outcome: {@code channel/account/user}. */
  public String key() {
    return user.toString();
  }
}
