package dev.herald.schema;

/** The outcome of a decision. */
public enum Outcome implements WireEnum {
  SEND,
  SKIP;

  @Override
  public String wire() {
    return name();
  }
}
