package dev.herald.schema;

/** A messaging platform. */
public enum Channel implements WireEnum {
  MESSENGER("messenger"),
  INSTAGRAM("instagram"),
  WHATSAPP("whatsapp");

  private final String wire;

  Channel(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  @Override
  public String toString() {
    return wire;
  }
}
