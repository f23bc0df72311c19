package dev.herald.schema;

/** A campaign sends a message, or asks users to subscribe to recurring notifications. */
public enum CampaignKind implements WireEnum {
  MESSAGE("message"),
  OPTIN_REQUEST("optin_request");

  private final String wire;

  CampaignKind(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
