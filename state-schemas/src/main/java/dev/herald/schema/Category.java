package dev.herald.schema;

/** A message category, for consent and templates. */
public enum Category implements WireEnum {
  MARKETING,
  UTILITY;

  @Override
  public String wire() {
    return name();
  }
}
