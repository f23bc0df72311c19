package dev.herald.schema;

/** Why a message is allowed. */
public enum Basis implements WireEnum {
  STANDARD_WINDOW,
  MESSAGE_TAG,
  OTN,
  RECURRING,
  TEMPLATE;

  @Override
  public String wire() {
    return name();
  }
}
