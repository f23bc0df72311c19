package dev.herald.channel;

/**
 * The class of a platform error, and so what it changes (spec/DOMAIN.md, the error table). Each
 * channel maps its own codes to these in {@link MessagingChannel#classify}.
 */
public enum ErrorEffect {
  /** Rate limit or transient: retry with backoff. */
  RETRY,
  /** WhatsApp 131056: too many messages to this user; retry, to that user only. */
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
  OTHER;

  /** Whether the call is tried again, with backoff. */
  public boolean retryable() {
    return this == RETRY || this == RETRY_USER;
  }

  /** Whether the error is about one user, so that it says nothing of the account's health. */
  public boolean perUser() {
    return switch (this) {
      case RETRY_USER, OUTSIDE_WINDOW, UNREACHABLE, MARKETING_STOPPED, MARKETING_LIMIT -> true;
      default -> false;
    };
  }

  /** Whether the error pauses the whole account until an {@code account} record resumes it. */
  public boolean pausesAccount() {
    return this == ACCOUNT_RESTRICTED || this == TOKEN_INVALID;
  }
}
