package dev.herald.simulator;

/**
 * The referee's judgement of one message: allowed, or the platform's error for it.
 *
 * @param allowed whether the platform would deliver it
 * @param code the Graph error code when not allowed
 * @param subcode the error subcode, or {@code null}
 * @param message the platform's message when not allowed, saying which rule failed
 */
record Verdict(boolean allowed, long code, Long subcode, String message) {

  static final Verdict ALLOW = new Verdict(true, 0, null, null);

  /** Messenger's answer for a message outside the window, or with a token that does not hold. */
  static Verdict outsideWindow(String why) {
    return new Verdict(
        false, 10, 2018278L, "(#10) This message is sent outside of allowed window. " + why);
  }

  /** Messenger's answer for a tag no longer in force. */
  static Verdict tagNotAllowed(String why) {
    return new Verdict(false, 100, null, "(#100) " + why);
  }

  /** WhatsApp's answer for free-form text outside the customer-service window. */
  static Verdict reEngagement() {
    return new Verdict(
        false,
        131047,
        null,
        "(#131047) Re-engagement message: more than 24 hours have passed since the customer last"
            + " replied to this number.");
  }

  /** The key of {@code rejectionsByCode}: {@code "10/2018278"}, {@code "131047"}. */
  String codeKey() {
    return subcode == null ? Long.toString(code) : code + "/" + subcode;
  }
}
