package dev.herald.state;

import java.time.Instant;

/** A recurring opt-in request sent to the user for {@code topic} at {@code at}. */
public record OptinRequestMark(String topic, Instant at) {}
