package dev.herald.schema;

import java.time.Instant;

/**
 * A message released for sending: everything the channel sink needs and nothing it has to look up.
 * {@code notAfter} is the instant from which the same decision would no longer be allowed; the
 * message is dropped rather than sent at or after it. {@code topic} and {@code frequency} are set
 * for opt-in requests only.
 */
public record SendRequest(
    String requestId,
    String campaign,
    UserKey user,
    Basis basis,
    MessageTag tag,
    String token,
    Template template,
    String text,
    String resumeAt,
    NotificationType notificationType,
    Instant decidedAt,
    Instant notAfter,
    String topic,
    Frequency frequency) {}
