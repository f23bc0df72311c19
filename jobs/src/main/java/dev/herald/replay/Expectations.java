package dev.herald.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Wire;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares decisions with a scenario's expected ones, on the fields the wire contract names: {@code
 * campaign, channel, account, user, outcome, reason}; for a {@code SEND} also {@code basis,
 * variant, token, resumeAt}; and {@code at} for campaigns without a rate and for reminders. A
 * missing field equals {@code null}; other fields are not compared.
 */
public final class Expectations {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ALWAYS = List.of("outcome", "reason");
  private static final List<String> ON_SEND = List.of("basis", "variant", "token", "resumeAt");

  private Expectations() {}

  /** The ids of the input's campaigns that have a rate (their decisions' {@code at} is free). */
  public static Set<String> ratedCampaigns(List<InputRecord> input) {
    Set<String> rated = new HashSet<>();
    for (InputRecord r : input) {
      if (r instanceof Campaign c && c.rate() != null) {
        rated.add(c.id());
      }
    }
    return rated;
  }

  /**
   * The differences between expected and actual decisions (JSON lines), one line each; empty if
   * they agree.
   */
  public static List<String> compare(List<String> expected, List<String> actual, Set<String> rated)
      throws IOException {
    Map<String, List<String>> want = group(expected, rated);
    Map<String, List<String>> got = group(actual, rated);
    Set<String> who = new TreeSet<>(want.keySet());
    who.addAll(got.keySet());
    List<String> diffs = new ArrayList<>();
    for (String id : who) {
      List<String> w = new ArrayList<>(want.getOrDefault(id, List.of()));
      List<String> g = new ArrayList<>(got.getOrDefault(id, List.of()));
      List<String> missing = new ArrayList<>(w);
      for (String x : g) {
        missing.remove(x);
      }
      List<String> unexpected = new ArrayList<>(g);
      for (String x : w) {
        unexpected.remove(x);
      }
      for (String m : missing) {
        diffs.add(id + ": expected " + m + (g.isEmpty() ? ", got no decision" : ""));
      }
      for (String u : unexpected) {
        diffs.add(id + ": got " + u + (w.isEmpty() ? ", expected no decision" : ""));
      }
    }
    return diffs;
  }

  private static Map<String, List<String>> group(List<String> lines, Set<String> rated)
      throws IOException {
    Map<String, List<String>> out = new TreeMap<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode d = JSON.readTree(line);
      String campaign = text(d, "campaign");
      // Whose decision it is: "channel/account/user campaign".
      String who =
          text(d, "channel") + "/" + text(d, "account") + "/" + text(d, "user") + " " + campaign;
      StringBuilder what = new StringBuilder();
      if (!rated.contains(campaign)) {
        String at = text(d, "at");
        Instant instant = at == null ? null : Wire.parseInstant(at);
        what.append("at=").append(instant == null ? at : Wire.format(instant)).append(' ');
      }
      for (String f : ALWAYS) {
        what.append(f).append('=').append(text(d, f)).append(' ');
      }
      if ("SEND".equals(text(d, "outcome"))) {
        for (String f : ON_SEND) {
          what.append(f).append('=').append(text(d, f)).append(' ');
        }
      }
      out.computeIfAbsent(who, k -> new ArrayList<>()).add("{" + what.toString().trim() + "}");
    }
    return out;
  }

  private static String text(JsonNode d, String field) {
    JsonNode v = d.get(field);
    return v == null || v.isNull() ? null : Objects.toString(v.asText());
  }
}
