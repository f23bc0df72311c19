package dev.herald.schema;

/**
 * What the user did. Every kind opens the window; {@code ctm_ad} opens it for longer on Messenger.
 */
public enum InteractionKind implements WireEnum {
  MESSAGE("message"),
  POSTBACK("postback"),
  REFERRAL("referral"),
  REACTION("reaction"),
  CTM_AD("ctm_ad");

  private final String wire;

  InteractionKind(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
