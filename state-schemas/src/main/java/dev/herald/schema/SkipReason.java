package dev.herald.schema;

/**
 * Why a decision is {@code SKIP}. The declaration order is the order in which the reasons are
 * checked: the first that applies is reported.
 */
public enum SkipReason implements WireEnum {
  CAMPAIGN_CANCELLED,
  CAMPAIGN_ENDED,
  UNREACHABLE,
  AUDIENCE_CHANGED,
  OPTED_OUT,
  FREQUENCY_CAPPED,
  OUTSIDE_WINDOW,
  TAG_NOT_ALLOWED,
  TOKEN_EXPIRED,
  NO_TOKEN,
  NO_SUBSCRIPTION,
  SUBSCRIPTION_STOPPED,
  SUBSCRIPTION_EXPIRED,
  TOO_SOON,
  NOT_OPTED_IN,
  ALREADY_SUBSCRIBED,
  REQUEST_LIMIT_TOPIC,
  REQUEST_LIMIT;

  @Override
  public String wire() {
    return name();
  }
}
