package dev.herald.simulator;

/**
 * What one account's sends looked like.
 *
 * @param accepted calls accepted
 * @param maxInAnyOneSecond the most calls accepted in any one-second window (sliding, to the
 *     millisecond); never above {@code limit}
 * @param limit the account's calls per second
 */
public record AccountCounters(long accepted, int maxInAnyOneSecond, int limit) {}
