package dev.herald.schema;

/** A Messenger/Instagram message tag, allowing a non-promotional message outside the window. */
public enum MessageTag implements WireEnum {
  CONFIRMED_EVENT_UPDATE,
  POST_PURCHASE_UPDATE,
  ACCOUNT_UPDATE,
  HUMAN_AGENT;

  @Override
  public String wire() {
    return name();
  }
}
