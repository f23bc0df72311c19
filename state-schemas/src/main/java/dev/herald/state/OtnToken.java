package dev.herald.state;

import java.time.Instant;

/** An unspent one-time-notification token for a topic, granted at {@code createdAt}. */
public record OtnToken(String topic, String token, Instant createdAt) {}
