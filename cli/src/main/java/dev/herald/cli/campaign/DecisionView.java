package dev.herald.cli.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One record of the {@code decisions} topic as the commands show it: who, when, and {@code SEND} on
 * a basis or {@code SKIP} for a reason. The token a decision spent is never shown: it is the user's
 * consent, not something to print on a terminal.
 */
record DecisionView(
    String campaign,
    String user,
    String at,
    String outcome,
    String basis,
    String reason,
    String variant,
    boolean dryRun) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads a decision record; {@code null} if it is not one (the job writes only valid ones). */
  static DecisionView read(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !n.isObject()) {
        return null;
      }
      return new DecisionView(
          text(n, "campaign"),
          text(n, "channel") + "/" + text(n, "account") + "/" + text(n, "user"),
          text(n, "at"),
          text(n, "outcome"),
          text(n, "basis"),
          text(n, "reason"),
          text(n, "variant"),
          n.path("dryRun").asBoolean(false));
    } catch (java.io.IOException e) {
      return null;
    }
  }

  boolean isSend() {
    return "SEND".equals(outcome);
  }

  /** {@code 2026-05-03T10:00:00Z restock-42 messenger/page-1/u-1 SEND OTN variant=red}. */
  String line() {
    StringBuilder b =
        new StringBuilder(at).append(' ').append(campaign).append(' ').append(user).append(' ');
    b.append(outcome).append(' ').append(isSend() ? basis : reason);
    if (variant != null) {
      b.append(" variant=").append(variant);
    }
    if (dryRun) {
      b.append(" (dry run)");
    }
    return b.toString();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
