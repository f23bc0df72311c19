package dev.herald.schema;

import java.time.Instant;

/**
 * The audit record of one decision: for one user of a campaign, or one cycle of a reminder. A
 * {@code SEND} has a basis and no reason; a {@code SKIP} a reason and no basis.
 */
public record Decision(
    String campaign,
    UserKey user,
    Instant at,
    Outcome outcome,
    Basis basis,
    String token,
    String variant,
    String resumeAt,
    SkipReason reason,
    boolean dryRun) {

  /** A {@code SEND} decision. */
  public static Decision send(
      String campaign,
      UserKey user,
      Instant at,
      Basis basis,
      String token,
      String variant,
      String resumeAt,
      boolean dryRun) {
    return new Decision(
        campaign, user, at, Outcome.SEND, basis, token, variant, resumeAt, null, dryRun);
  }

  /** A {@code SKIP} decision. */
  public static Decision skip(
      String campaign, UserKey user, Instant at, SkipReason reason, boolean dryRun) {
    return new Decision(campaign, user, at, Outcome.SKIP, null, null, null, null, reason, dryRun);
  }
}
