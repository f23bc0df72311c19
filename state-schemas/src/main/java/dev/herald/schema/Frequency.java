package dev.herald.schema;

/** How often a recurring-notification subscription may be messaged. */
public enum Frequency implements WireEnum {
  DAILY,
  WEEKLY,
  MONTHLY;

  @Override
  public String wire() {
    return name();
  }
}
