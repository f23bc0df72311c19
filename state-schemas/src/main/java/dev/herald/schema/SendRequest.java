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
    Frequency frequency) {

  /**
   * The request id of a campaign's message to {@code user}: {@code <campaign>:<channel>/<account>/
   * <user>}. Inside the campaign id, the account and the user, {@code %}, {@code :} and {@code /}
   * are written {@code %25}, {@code %3A} and {@code %2F}, so that no two requests share an id (ids
   * without them, nearly all, read as they are).
   */
  public static String idOf(String campaign, UserKey user) {
    return escape(campaign)
        + ":"
        + user.channel().wire()
        + "/"
        + escape(user.account())
        + "/"
        + escape(user.user());
  }

  /** The request id of a reminder's message: {@link #idOf} and the decision instant. */
  public static String idOf(String reminder, UserKey user, java.time.Instant decidedAt) {
    return idOf(reminder, user) + ":" + Wire.format(decidedAt);
  }

  private static String escape(String part) {
    if (part.indexOf('%') < 0 && part.indexOf(':') < 0 && part.indexOf('/') < 0) {
      return part;
    }
    return part.replace("%", "%25").replace(":", "%3A").replace("/", "%2F");
  }
}
