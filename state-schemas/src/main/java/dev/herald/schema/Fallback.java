package dev.herald.schema;

/** What a campaign does for a user outside the window. */
public enum Fallback implements WireEnum {
  SKIP,
  MESSAGE_TAG,
  OTN,
  RECURRING,
  TEMPLATE;

  @Override
  public String wire() {
    return name();
  }
}
