package dev.herald.state;

import java.time.Instant;

/** The latest consent event of a user for one category: opt-in or opt-out, and when. */
public record ConsentMark(boolean optIn, Instant at) {}
