package dev.herald.policy;

import dev.herald.schema.Channel;
import dev.herald.schema.PlatformError;

/**
 * What a platform error means for delivery, read per channel (Instagram uses Messenger's codes; a
 * code listed without a subcode matches any subcode).
 */
public final class PlatformErrors {

  /** The class of an error, and so what it changes. */
  public enum Effect {
    /** Rate limit or transient: retry with backoff. */
    RETRY,
    /** WhatsApp 131056: too many messages to this user; retry to that user only. */
    RETRY_USER,
    /** The platform says the window was closed: the decision was wrong. */
    OUTSIDE_WINDOW,
    /** Blocked, deactivated, not on the platform: the user is unreachable until they interact. */
    UNREACHABLE,
    /** The user stopped marketing messages: a {@code MARKETING} opt-out. */
    MARKETING_STOPPED,
    /** The per-user marketing limit: not again within 24 hours. */
    MARKETING_LIMIT,
    /** The account is restricted: pause it. */
    ACCOUNT_RESTRICTED,
    /** The page token is invalid: pause the account and alert. */
    TOKEN_INVALID,
    /** Anything else: not retried, no state change. */
    OTHER
  }

  private PlatformErrors() {}

  public static Effect classify(Channel channel, PlatformError error) {
    long code = error.code();
    Long sub = error.subcode();
    if (code == 190) {
      return Effect.TOKEN_INVALID;
    }
    if (channel == Channel.WHATSAPP) {
      if (code == 131056) {
        return Effect.RETRY_USER;
      }
      if (code == 130429 || code == 80007 || code == 131000) {
        return Effect.RETRY;
      }
      if (code == 131047) {
        return Effect.OUTSIDE_WINDOW;
      }
      if (code == 131026) {
        return Effect.UNREACHABLE;
      }
      if (code == 131050) {
        return Effect.MARKETING_STOPPED;
      }
      if (code == 131049) {
        return Effect.MARKETING_LIMIT;
      }
      if (code == 131048 || code == 368) {
        return Effect.ACCOUNT_RESTRICTED;
      }
      return Effect.OTHER;
    }
    if (code == 613 || code == 4 || code == 2 || code == 1200) {
      return Effect.RETRY;
    }
    if (code == 10 && is(sub, 2018278)) {
      return Effect.OUTSIDE_WINDOW;
    }
    if (code == 551 || (code == 10 && is(sub, 2018108)) || (code == 200 && is(sub, 1545041))) {
      return Effect.UNREACHABLE;
    }
    if (code == 368 || (code == 10 && is(sub, 1893063))) {
      return Effect.ACCOUNT_RESTRICTED;
    }
    return Effect.OTHER;
  }

  private static boolean is(Long subcode, long expected) {
    return subcode != null && subcode == expected;
  }
}
