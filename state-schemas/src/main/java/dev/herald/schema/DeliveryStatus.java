package dev.herald.schema;

/** What the platform answered to a send, or {@code expired} for a request dropped past notAfter. */
public enum DeliveryStatus implements WireEnum {
  SENT("sent"),
  DELIVERED("delivered"),
  READ("read"),
  FAILED("failed"),
  EXPIRED("expired");

  private final String wire;

  DeliveryStatus(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
