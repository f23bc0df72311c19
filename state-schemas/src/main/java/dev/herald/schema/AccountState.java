package dev.herald.schema;

/** Whether releasing to an account is allowed. */
public enum AccountState implements WireEnum {
  ACTIVE,
  PAUSED;

  @Override
  public String wire() {
    return name();
  }
}
