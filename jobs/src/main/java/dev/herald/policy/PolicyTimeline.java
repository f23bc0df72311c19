package dev.herald.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.Frequency;
import dev.herald.schema.MessageTag;
import dev.herald.schema.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The platforms' rules over time, loaded once from {@code policy-timeline.json}. A decision uses
 * {@link #rulesAt(Instant) the rules in force at its own instant}.
 */
public final class PolicyTimeline {

  private static final String RESOURCE = "policy-timeline.json";
  private static final Set<String> SETTINGS =
      Set.of(
          "standardWindow",
          "ctmAdWindow",
          "humanAgentWindow",
          "retiredTags",
          "otnValidity",
          "otnRetention",
          "recurringValidityMonths",
          "recurringDerivedExpiry",
          "recurringUserGap",
          "optinRequestPerTopic",
          "optinRequestLimits");

  private static volatile PolicyTimeline standard;

  /** One period: the rules in force from {@code from} (inclusive) until the next period. */
  public record Period(Instant from, String change, String source, PolicyRules rules) {}

  private final List<Period> periods;

  private PolicyTimeline(List<Period> periods) {
    this.periods = List.copyOf(periods);
  }

  /** The timeline shipped with the product. */
  public static PolicyTimeline standard() {
    PolicyTimeline t = standard;
    if (t == null) {
      try (InputStream in = PolicyTimeline.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + RESOURCE);
        }
        t = load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + RESOURCE, e);
      }
      standard = t;
    }
    return t;
  }

  /** Reads a timeline; fails with a message naming the row and setting at fault. */
  public static PolicyTimeline load(InputStream json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    JsonNode rows = root.get("rows");
    if (rows == null || !rows.isArray() || rows.isEmpty()) {
      throw new IllegalArgumentException("policy timeline: 'rows' must be a non-empty array");
    }
    List<Period> periods = new ArrayList<>();
    ObjectNode settings = null;
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      String where = "policy timeline row " + i;
      JsonNode set = row.get("set");
      if (set == null || !set.isObject()) {
        throw new IllegalArgumentException(where + ": 'set' must be an object");
      }
      for (Iterator<String> names = set.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!SETTINGS.contains(name)) {
          throw new IllegalArgumentException(where + ": unknown setting '" + name + "'");
        }
      }
      Instant from;
      if (i == 0) {
        if (row.hasNonNull("from")) {
          throw new IllegalArgumentException(where + ": the first row applies from the start");
        }
        for (String name : SETTINGS) {
          if (!set.has(name)) {
            throw new IllegalArgumentException(where + ": the first row must set '" + name + "'");
          }
        }
        settings = ((ObjectNode) set).deepCopy();
        from = Instant.MIN;
      } else {
        from = LocalDate.parse(text(row, "from", where)).atStartOfDay().toInstant(ZoneOffset.UTC);
        if (!from.isAfter(periods.get(i - 1).from())) {
          throw new IllegalArgumentException(where + ": rows must be in date order");
        }
        settings.setAll((ObjectNode) set);
      }
      periods.add(
          new Period(
              from,
              text(row, "change", where),
              text(row, "source", where),
              rules(settings, where)));
    }
    return new PolicyTimeline(periods);
  }

  /** The periods, oldest first. */
  public List<Period> periods() {
    return periods;
  }

  /** The rules in force at {@code t}. */
  public PolicyRules rulesAt(Instant t) {
    PolicyRules rules = periods.get(0).rules();
    for (Period p : periods) {
      if (p.from().isAfter(t)) {
        break;
      }
      rules = p.rules();
    }
    return rules;
  }

  /**
   * The first instant after {@code t} from which {@code holds} is true of the rules in force, or
   * {@code null} if it never becomes true.
   */
  public Instant firstAfter(Instant t, Predicate<PolicyRules> holds) {
    for (Period p : periods) {
      if (p.from().isAfter(t) && holds.test(p.rules())) {
        return p.from();
      }
    }
    return null;
  }

  private static String text(JsonNode row, String name, String where) {
    JsonNode v = row.get(name);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(where + ": '" + name + "' must be a string");
    }
    return v.asText();
  }

  private static PolicyRules rules(ObjectNode s, String where) {
    Set<MessageTag> retired = EnumSet.noneOf(MessageTag.class);
    for (JsonNode t : s.get("retiredTags")) {
      retired.add(MessageTag.valueOf(t.asText()));
    }
    Map<Frequency, Integer> months = new EnumMap<>(Frequency.class);
    for (Frequency f : Frequency.values()) {
      JsonNode m = s.get("recurringValidityMonths").get(f.name());
      if (m == null || !m.canConvertToInt() || m.asInt() <= 0) {
        throw new IllegalArgumentException(
            where + ": recurringValidityMonths needs a positive " + f.name());
      }
      months.put(f, m.asInt());
    }
    List<PolicyRules.Limit> limits = new ArrayList<>();
    for (JsonNode l : s.get("optinRequestLimits")) {
      limits.add(limit(l, where));
    }
    JsonNode gap = s.get("recurringUserGap");
    return new PolicyRules(
        duration(s, "standardWindow", where),
        duration(s, "ctmAdWindow", where),
        duration(s, "humanAgentWindow", where),
        retired,
        duration(s, "otnValidity", where),
        duration(s, "otnRetention", where),
        months,
        s.get("recurringDerivedExpiry").asBoolean(),
        gap == null || gap.isNull() ? null : duration(s, "recurringUserGap", where),
        limit(s.get("optinRequestPerTopic"), where),
        limits);
  }

  private static PolicyRules.Limit limit(JsonNode l, String where) {
    if (l == null || !l.has("max") || !l.has("per")) {
      throw new IllegalArgumentException(where + ": a limit needs 'max' and 'per'");
    }
    Duration per = Wire.parseDuration(l.get("per").asText());
    if (per == null) {
      throw new IllegalArgumentException(where + ": bad duration " + l.get("per"));
    }
    return new PolicyRules.Limit(l.get("max").asInt(), per);
  }

  private static Duration duration(ObjectNode s, String name, String where) {
    Duration d = Wire.parseDuration(s.get(name).asText());
    if (d == null) {
      throw new IllegalArgumentException(where + ": '" + name + "' is not a duration");
    }
    return d;
  }
}
