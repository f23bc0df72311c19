package dev.herald.job.dispatch;

/**
 * The dispatcher's metric names, labelled by channel and account ({@link
 * dev.herald.job.Metrics#CHANNEL}, {@link dev.herald.job.Metrics#ACCOUNT}); expiries also by {@link
 * dev.herald.job.Metrics#REASON} ({@link Hold#reason()}).
 */
public final class DispatchMetrics {

  /** Send requests released to the channel. */
  public static final String RELEASED = "heraldDispatchReleased";

  /** Send requests dropped at their {@code notAfter}, labelled by reason. */
  public static final String EXPIRED = "heraldDispatchExpired";

  /** Send requests waiting (gauge). */
  public static final String BACKLOG = "heraldDispatchBacklog";

  /** 1 while the account is paused, else 0 (gauge). */
  public static final String PAUSED = "heraldDispatchPaused";

  /** The account's limit of messages per second, as the dispatcher applies it (gauge). */
  public static final String LIMIT_PER_SECOND = "heraldDispatchLimitPerSecond";

  private DispatchMetrics() {}
}
