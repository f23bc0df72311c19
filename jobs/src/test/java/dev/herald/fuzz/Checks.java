package dev.herald.fuzz;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.herald.schema.Bounds;
import dev.herald.schema.Text;
import java.lang.reflect.RecordComponent;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The properties the fuzzers check, and a tally of what broke them. */
final class Checks {

  /** Reads output lines strictly: one object, no field twice, nothing after it. */
  static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** Words that belong to the parser's internals, never to a reason written for a person. */
  static final List<String> INTERNALS = List.of("`", "com.fasterxml", "jackson", "Feature");

  /** Failures by kind, with the first few examples of each. */
  static final class Tally {
    private final Map<String, List<String>> examples = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    void fail(String kind, String example) {
      counts.merge(kind, 1, Integer::sum);
      List<String> e = examples.computeIfAbsent(kind, k -> new ArrayList<>());
      if (e.size() < 3) {
        e.add(example);
      }
    }

    int total() {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    boolean isEmpty() {
      return counts.isEmpty();
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      for (var e : counts.entrySet()) {
        b.append("\n- ").append(e.getValue()).append(" × ").append(e.getKey());
        for (String x : examples.get(e.getKey())) {
          b.append("\n    ").append(x);
        }
      }
      return b.toString();
    }
  }

  private Checks() {}

  /** Whether {@code s} encodes as UTF-8 (no lone surrogate). */
  static boolean encodes(String s) {
    try {
      StandardCharsets.UTF_8
          .newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** {@code line} read strictly as one JSON object; {@code null} if it is not one. */
  static JsonNode object(String line) {
    try {
      JsonNode n = STRICT.readTree(line);
      return n != null && n.isObject() ? n : null;
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * What is wrong with a reason for a dead letter of {@code input}, or {@code null}: empty, longer
   * than {@link Text#MAX_REASON} or cut to fit, a lone surrogate or a control character, a claim
   * that a record of UTF-8 is not UTF-8, or a word of the parser's internals (unless the input
   * itself holds it, and the reason quotes it).
   */
  static String reasonProblem(String reason, byte[] input) {
    if (reason == null || reason.isBlank()) {
      return "empty reason";
    }
    if (reason.length() > Text.MAX_REASON) {
      return "reason of " + reason.length() + " characters";
    }
    if (Text.firstLoneSurrogate(reason) >= 0) {
      return "lone surrogate in the reason";
    }
    for (int i = 0; i < reason.length(); i++) {
      char c = reason.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        return "control character in the reason";
      }
    }
    if (reason.endsWith("(cut)")) {
      return "a reason cut short: what is wrong is lost";
    }
    if (reason.contains("UTF-8") && Text.firstInvalidUtf8(input, 0, input.length) < 0) {
      return "the reason says a record that is UTF-8 is not";
    }
    String text = new String(input, StandardCharsets.UTF_8);
    for (String word : INTERNALS) {
      boolean anyCase = word.equals("jackson");
      String r = anyCase ? reason.toLowerCase(Locale.ROOT) : reason;
      String in = anyCase ? text.toLowerCase(Locale.ROOT) : text;
      if (r.contains(word) && !in.contains(word)) {
        return "the reason says " + word;
      }
    }
    return null;
  }

  /**
   * What is wrong with the values of an accepted record (or an output record), or {@code null}:
   * every instant within {@link Bounds}, every string non-empty, encodable and without control
   * characters but tab, line feed and carriage return, every duration within the bounds, every rate
   * finite and within its bounds. Walks records, lists and their components.
   */
  static String valueProblem(Object value) {
    List<String> out = new ArrayList<>(1);
    walk(value, "", out);
    return out.isEmpty() ? null : out.get(0);
  }

  private static void walk(Object v, String path, List<String> out) {
    if (v == null || !out.isEmpty()) {
      return;
    }
    if (v instanceof Instant t) {
      if (!Bounds.isWithin(t)) {
        out.add(path + " = " + t + " is outside the bounds");
      }
    } else if (v instanceof String s) {
      if (s.isEmpty()) {
        out.add(path + " is empty");
      } else if (!encodes(s)) {
        out.add(path + " does not encode");
      } else if (Bounds.Strings.TEXT.problem(s) != null) {
        out.add(path + " " + Bounds.Strings.TEXT.problem(s));
      }
    } else if (v instanceof Duration d) {
      if (d.isNegative() || d.compareTo(Bounds.MAX_DURATION) > 0) {
        out.add(path + " = " + d + " is outside the bounds");
      }
    } else if (v instanceof Double d) {
      if (!(d >= Bounds.MIN_RATE && d <= Bounds.MAX_RATE)) {
        out.add(path + " = " + d + " is outside the bounds");
      }
    } else if (v instanceof Collection<?> c) {
      int i = 0;
      for (Object x : c) {
        walk(x, path + "[" + i++ + "]", out);
      }
    } else if (v instanceof Record r) {
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          walk(c.getAccessor().invoke(r), path + "." + c.getName(), out);
        } catch (ReflectiveOperationException e) {
          out.add(path + "." + c.getName() + " cannot be read: " + e);
        }
      }
    }
  }

  /** The first line of a throwable and where it was thrown, for a report. */
  static String head(Throwable t) {
    StringBuilder b = new StringBuilder(String.valueOf(t));
    StackTraceElement[] st = t.getStackTrace();
    for (int i = 0; i < Math.min(4, st.length); i++) {
      b.append(" at ").append(st[i]);
    }
    if (t.getCause() != null && t.getCause() != t) {
      b.append(" caused by ").append(head(t.getCause()));
    }
    return b.toString();
  }
}
