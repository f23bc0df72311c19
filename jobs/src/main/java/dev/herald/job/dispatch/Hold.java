package dev.herald.job.dispatch;

/**
 * What holds a waiting send request back; the reason an expired request is counted under and
 * written with.
 */
public enum Hold {
  /** The account's rate: other requests took the slots. */
  RATE("rate"),
  /** The pair rate: the user had a message less than the pair interval ago. */
  PAIR("pair"),
  /** The messaging-limit tier: a new user while the tier's unique users are reached. */
  TIER("tier"),
  /** The account is paused. */
  PAUSED("paused"),
  /** Nothing: the request arrived at or after its {@code notAfter}. */
  LATE("late");

  private final String reason;

  Hold(String reason) {
    this.reason = reason;
  }

  /** The reason, as written in an {@code expired} outcome and in metric labels. */
  public String reason() {
    return reason;
  }
}
