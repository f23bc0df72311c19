package dev.herald.schema;

/** A change of a recurring subscription's status by the user. */
public enum SubscriptionChange implements WireEnum {
  STOP,
  RESUME;

  @Override
  public String wire() {
    return name();
  }
}
