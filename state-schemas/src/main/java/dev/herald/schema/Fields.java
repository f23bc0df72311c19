package dev.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Typed access to the fields of one JSON object, checked against {@link Bounds}: every value read
 * through it is one no later step can fail on. A field that is wrong throws an {@link Invalid}
 * whose reason names the record ({@code subject}) and the field, and quotes the value safely.
 */
final class Fields {

  private final ObjectNode node;
  private final Supplier<String> subject;
  private final String path;

  Fields(ObjectNode node, String subject) {
    this(node, () -> subject, "");
  }

  /**
   * Fields whose reasons name the record as {@code subject} says, asked only when a reason is
   * written: valid records, nearly all of them, never spell their subject out.
   */
  static Fields namedLazily(ObjectNode node, Supplier<String> subject) {
    return new Fields(node, subject, "");
  }

  private Fields(ObjectNode node, Supplier<String> subject, String path) {
    this.node = node;
    this.subject = subject;
    this.path = path;
  }

  // ------------------------------------------------------------------ reasons

  /** Fields that contradict each other. */
  Invalid invalid(String problem) {
    return invalid(Problem.CONTRADICTION, problem);
  }

  Invalid invalid(Problem kind, String problem) {
    String named = subject.get();
    return new Invalid(kind, named == null ? problem : named + ": " + problem);
  }

  private String field(String name) {
    return "field '" + path + name + "'";
  }

  private Invalid wrongType(String name, String expected, JsonNode got) {
    return invalid(Problem.WRONG_TYPE, field(name) + " must be " + expected + ", got " + kind(got));
  }

  private Invalid badValue(String name, String problem) {
    return invalid(Problem.BAD_VALUE, field(name) + " " + problem);
  }

  /** The JSON kind of {@code node}, for reasons. */
  static String kind(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isArray()) {
      return "array";
    }
    return "object";
  }

  /**
   * The text of a field of {@code node} for naming its record in reasons ({@code campaign
   * restock-42}), shortened and escaped; {@code null} if it is not a string.
   */
  static String label(ObjectNode node, String name) {
    JsonNode v = node.get(name);
    return v != null && v.isTextual() ? Text.bare(v.asText()) : null;
  }

  // ------------------------------------------------------------------ access

  private JsonNode get(String name) {
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : v;
  }

  private JsonNode required(String name) {
    JsonNode v = get(name);
    if (v == null) {
      throw invalid(Problem.MISSING_FIELD, "missing required field '" + path + name + "'");
    }
    return v;
  }

  private String text(String name, JsonNode v, Bounds.Strings kind) {
    if (!v.isTextual()) {
      throw wrongType(name, "a string", v);
    }
    String s = v.asText();
    if (s.isEmpty()) {
      throw badValue(name, "must not be empty");
    }
    String problem = kind.problem(s);
    if (problem != null) {
      throw badValue(name, problem);
    }
    return s;
  }

  String requiredString(String name, Bounds.Strings kind) {
    return text(name, required(name), kind);
  }

  String optionalString(String name, Bounds.Strings kind) {
    JsonNode v = get(name);
    return v == null ? null : text(name, v, kind);
  }

  boolean optionalBoolean(String name, boolean absent) {
    JsonNode v = get(name);
    if (v == null) {
      return absent;
    }
    if (!v.isBoolean()) {
      throw wrongType(name, "true or false", v);
    }
    return v.booleanValue();
  }

  /** A number within {@code [min, max]}, or {@code null} if absent. */
  Double optionalNumber(String name, double min, double max, String what) {
    JsonNode v = get(name);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      throw wrongType(name, "a number", v);
    }
    double d = v.doubleValue();
    if (!(d >= min && d <= max)) {
      throw badValue(
          name,
          "must be " + what + " from " + plain(min) + " to " + plain(max) + ", got " + plain(d));
    }
    return d;
  }

  /** A number as a person writes it: {@code 0.000009}, not {@code 9.0E-6}. */
  private static String plain(double d) {
    if (!Double.isFinite(d)) {
      return "a number too large to read";
    }
    java.math.BigDecimal b = java.math.BigDecimal.valueOf(d).stripTrailingZeros();
    String plain = b.toPlainString();
    return plain.length() <= 24 ? plain : b.toString();
  }

  private long integer(String name, JsonNode v, long min, long max) {
    if (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue())) {
      // e.g. 1e400: read as infinity, which has no decimal value to check.
      throw badValue(name, "is out of range (" + min + " to " + max + ")");
    }
    boolean integral =
        v.isIntegralNumber()
            || (v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0);
    if (!integral) {
      throw wrongType(name, "an integer", v);
    }
    if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
      throw badValue(name, "is out of range (" + min + " to " + max + ")");
    }
    return v.longValue();
  }

  long requiredInteger(String name, long min, long max) {
    return integer(name, required(name), min, max);
  }

  Long optionalInteger(String name, long min, long max) {
    JsonNode v = get(name);
    return v == null ? null : integer(name, v, min, max);
  }

  private Instant instant(String name, JsonNode v) {
    if (!v.isTextual()) {
      throw wrongType(name, "a string", v);
    }
    String s = v.asText();
    if (s.isEmpty()) {
      throw badValue(name, "must not be empty");
    }
    Instant instant = Wire.parseInstant(s);
    if (instant == null) {
      throw badValue(
          name, "is not an RFC 3339 instant (e.g. 2021-05-01T09:12:00Z): " + Text.quote(s));
    }
    if (!Bounds.isWithin(instant)) {
      throw badValue(
          name,
          "is "
              + Text.quote(s)
              + ", outside the instants a record may carry ("
              + Wire.format(Bounds.EARLIEST)
              + " to "
              + Wire.format(Bounds.LATEST)
              + " in UTC)");
    }
    return instant;
  }

  Instant requiredInstant(String name) {
    return instant(name, required(name));
  }

  Instant optionalInstant(String name) {
    JsonNode v = get(name);
    return v == null ? null : instant(name, v);
  }

  /** The record's own {@code at} if it is there and valid, else {@code null}; never throws. */
  static Instant atOf(ObjectNode node) {
    JsonNode v = node.get("at");
    if (v == null || !v.isTextual()) {
      return null;
    }
    Instant t = Wire.parseInstant(v.asText());
    return t != null && Bounds.isWithin(t) ? t : null;
  }

  /** A duration of at most {@code max}, or {@code null} if absent. */
  private Duration duration(String name, JsonNode v, Duration max) {
    if (!v.isTextual()) {
      throw wrongType(name, "a string", v);
    }
    String s = v.asText();
    if (s.isEmpty()) {
      throw badValue(name, "must not be empty");
    }
    Duration d = Wire.parseDuration(s);
    if (d == null && Wire.isDurationSyntax(s)) {
      d = max.plusSeconds(1); // written right, too long to compute: longer than any bound
    }
    if (d == null) {
      throw badValue(
          name,
          "is not a duration in days, hours, minutes and seconds (e.g. PT30M, P7D): "
              + Text.quote(s));
    }
    if (d.compareTo(max) > 0) {
      throw badValue(
          name,
          "is " + Text.quote(s) + ", longer than " + Wire.format(max) + ", the longest it may be");
    }
    return d;
  }

  Duration requiredDuration(String name, Duration max) {
    return duration(name, required(name), max);
  }

  Duration optionalDuration(String name, Duration max) {
    JsonNode v = get(name);
    return v == null ? null : duration(name, v, max);
  }

  private <E extends Enum<E> & WireEnum> E enumValue(String name, JsonNode v, Class<E> type) {
    if (!v.isTextual()) {
      throw wrongType(name, "one of " + WireEnum.spellings(type), v);
    }
    E e = WireEnum.fromWire(type, v.asText());
    if (e == null) {
      throw badValue(
          name, "must be one of " + WireEnum.spellings(type) + ", got " + Text.quote(v.asText()));
    }
    return e;
  }

  <E extends Enum<E> & WireEnum> E requiredEnum(String name, Class<E> type) {
    return enumValue(name, required(name), type);
  }

  <E extends Enum<E> & WireEnum> E optionalEnum(String name, Class<E> type) {
    JsonNode v = get(name);
    return v == null ? null : enumValue(name, v, type);
  }

  /** An array of at most {@code maxItems} strings of {@code kind}, or {@code null} if absent. */
  List<String> optionalStrings(String name, Bounds.Strings kind, int maxItems) {
    JsonNode v = get(name);
    if (v == null) {
      return null;
    }
    if (!v.isArray()) {
      throw wrongType(name, "an array of strings", v);
    }
    if (v.size() > maxItems) {
      throw badValue(name, "has " + v.size() + " items, more than the " + maxItems + " allowed");
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      String itemName = name + "[" + i + "]";
      if (item == null || !item.isTextual()) {
        throw wrongType(itemName, "a string", item);
      }
      out.add(text(itemName, item, kind));
    }
    return out;
  }

  Fields optionalObject(String name) {
    JsonNode v = get(name);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      throw wrongType(name, "an object", v);
    }
    return new Fields((ObjectNode) v, subject, path + name + ".");
  }

  /** An array of at most {@code maxItems} objects, or {@code null} if absent. */
  List<Fields> optionalObjects(String name, int maxItems) {
    JsonNode v = get(name);
    if (v == null) {
      return null;
    }
    if (!v.isArray()) {
      throw wrongType(name, "an array of objects", v);
    }
    if (v.size() > maxItems) {
      throw badValue(name, "has " + v.size() + " items, more than the " + maxItems + " allowed");
    }
    List<Fields> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (item == null || !item.isObject()) {
        throw wrongType(name + "[" + i + "]", "an object", item);
      }
      out.add(new Fields((ObjectNode) item, subject, path + name + "[" + i + "]."));
    }
    return out;
  }

  /** The raw text of a field, for a reason; {@code null} if it is not a string. */
  String rawText(String name) {
    JsonNode v = node.get(name);
    return v != null && v.isTextual() ? v.asText() : null;
  }
}
