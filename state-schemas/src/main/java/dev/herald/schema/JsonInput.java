package dev.herald.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the raw bytes or text of one record into a JSON object, strictly: well-formed UTF-8, at
 * most {@link Bounds#MAX_RECORD_BYTES}, one object and nothing after it, no field twice in an
 * object, nesting at most {@link Bounds#MAX_DEPTH} deep. A byte-order mark before the record is
 * ignored. Whatever is wrong comes back as an {@link Invalid} whose reason is in Herald's words.
 */
final class JsonInput {

  /** Numbers longer than this are rejected by the tokenizer (Jackson's own default). */
  private static final int MAX_NUMBER_LENGTH = 1000;

  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNumberLength(MAX_NUMBER_LENGTH)
                  // Herald's own depth limit applies first; this one only keeps the tokenizer safe.
                  .maxNestingDepth(Bounds.MAX_DEPTH + 1)
                  .maxStringLength(Bounds.MAX_RECORD_BYTES + 1)
                  .maxNameLength(Bounds.MAX_RECORD_BYTES + 1)
                  .build())
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonInput() {}

  /**
   * The top-level {@code at} of a record, read with a streaming parser that stops as soon as it has
   * it; {@code null} if the record is not a JSON object, has no valid {@code at}, or is larger than
   * a record may be. Never throws. Cheap enough to run before the full read, for event time at the
   * source; the full read still decides whether the record is valid.
   */
  static Instant peekAt(byte[] utf8) {
    if (utf8.length > Bounds.MAX_RECORD_BYTES) {
      return null;
    }
    try (JsonParser p = FACTORY.createParser(utf8)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("at")) {
          if (value != JsonToken.VALUE_STRING) {
            return null;
          }
          Instant at = Wire.parseInstant(p.getText());
          return at != null && Bounds.isWithin(at) ? at : null;
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Reads a record from its raw bytes. */
  static ObjectNode read(byte[] utf8) {
    int length = utf8.length;
    if (length > Bounds.MAX_RECORD_BYTES) {
      throw tooLarge();
    }
    int from = hasByteOrderMark(utf8, 0) ? 3 : 0;
    int bad = Text.firstInvalidUtf8(utf8, from, length);
    if (bad >= 0) {
      throw new Invalid(
          Problem.BAD_ENCODING,
          "not valid UTF-8: byte "
              + String.format("0x%02X", utf8[bad] & 0xFF)
              + " (byte "
              + (bad + 1)
              + " of the record) is not part of a UTF-8 character");
    }
    if (isBlank(utf8, from, length)) {
      throw new Invalid(Problem.NOT_JSON, "empty record");
    }
    if (!hasByteOrderMark(utf8, from)) { // the tokenizer would skip a second mark too
      try (JsonParser p = FACTORY.createParser(utf8, from, length - from)) {
        return root(p, null);
      } catch (IOException | Invalid e) {
        // Fall through: the text path says what is wrong, in the same words for both paths
        // (the tokenizer for bytes counts bytes, and may take a character for bad UTF-8).
      }
    }
    return text(new String(utf8, from, length - from, StandardCharsets.UTF_8));
  }

  /** Reads a record from text. */
  static ObjectNode read(String json) {
    if (json == null) {
      throw new Invalid(Problem.NOT_JSON, "empty record");
    }
    if (json.length() > Bounds.MAX_RECORD_BYTES / 3
        && Text.utf8Length(json) > Bounds.MAX_RECORD_BYTES) {
      throw tooLarge();
    }
    if (json.startsWith("\uFEFF")) {
      json = json.substring(1);
    }
    if (json.isBlank()) {
      throw new Invalid(Problem.NOT_JSON, "empty record");
    }
    return text(json);
  }

  /** Reads a record from text without a byte-order mark. */
  private static ObjectNode text(String json) {
    Source source = new Source(json);
    try (JsonParser p = FACTORY.createParser(json)) {
      return root(p, source);
    } catch (IOException e) {
      int control = firstControl(json);
      if (control >= 0) {
        // The tokenizer names the character after a raw control character, or none.
        throw new Invalid(
            Problem.NOT_JSON,
            "not valid JSON at character "
                + (json.codePointCount(0, control) + 1)
                + ": a raw control character "
                + String.format("(U+%04X)", (int) json.charAt(control))
                + "; inside a string it must be escaped, outside one it may not appear");
      }
      throw syntax(e, source);
    }
  }

  /**
   * The first control character other than tab, line feed and carriage return: JSON allows none,
   * raw, anywhere (inside a string it is escaped, outside one it is not whitespace).
   */
  private static int firstControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return i;
      }
    }
    return -1;
  }

  /** The text being read, to say where in it something is wrong, in characters. */
  private record Source(String text) {

    /** Where the first character that is not blank at or after {@code location} is. */
    String whereNextAfter(JsonLocation location) {
      long offset = offset(location);
      if (offset < 0) {
        return "an unknown position";
      }
      while (offset < text.length() && isBlankChar(text.charAt((int) offset))) {
        offset++;
      }
      return where(offset);
    }

    private static boolean isBlankChar(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** How reasons say where {@code location} is: {@code character 17}. */
    String where(JsonLocation location) {
      return where(offset(location));
    }

    private String where(long offset) {
      if (offset < 0) {
        return "an unknown position";
      }
      return "character " + (text.codePointCount(0, (int) Math.min(offset, text.length())) + 1);
    }

    /** The character at {@code location}, quoted for a reason, or {@code null}. */
    String characterAt(JsonLocation location) {
      long offset = offset(location);
      return offset < 0 || offset >= text.length() ? null : Text.character(text, (int) offset);
    }

    private static long offset(JsonLocation l) {
      return l == null ? -1 : l.getCharOffset();
    }
  }

  private static Invalid tooLarge() {
    return new Invalid(
        Problem.TOO_LARGE,
        "the record is larger than "
            + Bounds.MAX_RECORD_BYTES
            + " bytes (1 MiB), the most a record may be");
  }

  private static boolean hasByteOrderMark(byte[] b, int at) {
    return b.length >= at + 3
        && (b[at] & 0xFF) == 0xEF
        && (b[at + 1] & 0xFF) == 0xBB
        && (b[at + 2] & 0xFF) == 0xBF;
  }

  private static boolean isBlank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  /** The record's object; {@code source} is {@code null} when reading bytes (see {@link #read}). */
  private static ObjectNode root(JsonParser p, Source source) throws IOException {
    JsonToken first = p.nextToken();
    if (first != JsonToken.START_OBJECT) {
      JsonNode value = first == null ? null : value(p, first, 0, null);
      throw new Invalid(
          Problem.NOT_JSON,
          "not a JSON object (a record is one object, got " + Fields.kind(value) + ")");
    }
    ObjectNode node = (ObjectNode) value(p, first, 0, null);
    JsonLocation end = p.currentLocation();
    JsonToken after;
    try {
      after = p.nextToken();
    } catch (JsonProcessingException e) {
      after = JsonToken.NOT_AVAILABLE; // something that is not JSON follows
    }
    if (after != null) {
      throw trailing(source, end);
    }
    return node;
  }

  /** More follows the object that ends at {@code end}: say where it starts, when reading text. */
  private static Invalid trailing(Source source, JsonLocation end) {
    return new Invalid(
        Problem.NOT_JSON,
        "not valid JSON"
            + (source == null ? "" : " at " + source.whereNextAfter(end))
            + ": more follows the record's object (a record is one object)");
  }

  /**
   * Where a value is in the record ({@code null}: the root, or inside a root array), spelled out
   * only when a reason needs it: building it as a string for every value made reading a wide array
   * under long field names quadratic (a 1 MiB record took half a minute).
   */
  private record Path(Path parent, String name, int index) {

    /**
     * The field {@code name} of the object at {@code path}, as reasons name it: {@code a.b[2].c}.
     */
    static String spell(Path path, String name) {
      StringBuilder b = new StringBuilder();
      spellInto(b, path);
      return (b.length() > 0 ? b.append('.') : b).append(name).toString();
    }

    private static void spellInto(StringBuilder b, Path path) {
      if (path == null) {
        return;
      }
      spellInto(b, path.parent); // at most Bounds.MAX_DEPTH deep
      if (path.name != null) {
        (b.length() > 0 ? b.append('.') : b).append(path.name);
      } else {
        b.append('[').append(path.index).append(']');
      }
    }
  }

  /** The value starting at {@code token}, {@code depth} levels down, at {@code path}. */
  private static JsonNode value(JsonParser p, JsonToken token, int depth, Path path)
      throws IOException {
    switch (token) {
      case START_OBJECT -> {
        checkDepth(depth + 1);
        ObjectNode o = NODES.objectNode();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          if (o.has(name)) {
            throw new Invalid(
                Problem.CONTRADICTION,
                "field " + Text.quote(Path.spell(path, name)) + " appears twice in the record");
          }
          o.set(name, value(p, p.nextToken(), depth + 1, new Path(path, name, -1)));
        }
        if (t != JsonToken.END_OBJECT) {
          throw new Invalid(Problem.NOT_JSON, "not valid JSON: an object is not closed");
        }
        return o;
      }
      case START_ARRAY -> {
        checkDepth(depth + 1);
        ArrayNode a = NODES.arrayNode();
        JsonToken t;
        int i = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) {
            throw new Invalid(Problem.NOT_JSON, "not valid JSON: an array is not closed");
          }
          a.add(value(p, t, depth + 1, path == null ? null : new Path(path, null, i)));
          i++;
        }
        return a;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new Invalid(Problem.NOT_JSON, "not valid JSON: unexpected " + token);
    }
  }

  private static void checkDepth(int depth) {
    if (depth > Bounds.MAX_DEPTH) {
      throw new Invalid(
          Problem.TOO_LARGE,
          "the record nests objects and arrays more than " + Bounds.MAX_DEPTH + " levels deep");
    }
  }

  /** A tokenizer's complaint, in Herald's words and with where it happened. */
  private static Invalid syntax(IOException e, Source source) {
    if (e instanceof StreamConstraintsException) {
      String m = String.valueOf(e.getMessage());
      if (m.startsWith("Number value length") || m.contains("getMaxNumberLength")) {
        return new Invalid(
            Problem.TOO_LARGE,
            "not valid JSON: a number is longer than " + MAX_NUMBER_LENGTH + " characters");
      }
      if (m.contains("nesting depth") || m.contains("NestingDepth")) {
        return new Invalid(
            Problem.TOO_LARGE,
            "the record nests objects and arrays more than " + Bounds.MAX_DEPTH + " levels deep");
      }
      return new Invalid(Problem.TOO_LARGE, "not valid JSON: a value is too large to read");
    }
    if (!(e instanceof JsonProcessingException jpe)) {
      return new Invalid(Problem.NOT_JSON, "not valid JSON: the record could not be read");
    }
    JsonLocation l = jpe.getLocation();
    String at = " at " + source.where(l);
    if (e instanceof JsonEOFException) {
      return new Invalid(
          Problem.NOT_JSON,
          "not valid JSON" + at + ": the record ends before its object is complete");
    }
    String original = String.valueOf(jpe.getOriginalMessage());
    if (original.startsWith("Unrecognized token")) {
      at = ""; // the tokenizer says where the token ends; the token is named
    }
    String character = source.characterAt(l);
    return new Invalid(
        Problem.NOT_JSON,
        "not valid JSON" + at + ": " + describe(jpe.getOriginalMessage(), character));
  }

  /** A parenthesis that speaks of one of the tokenizer's settings. */
  private static final Pattern PARSER_SETTING =
      Pattern.compile(
          "\\s*\\((?:[^()]|\\([^()]*\\))*?(?:Feature|enabl|ALLOW_)(?:[^()]|\\([^()]*\\))*\\)");

  /** Jackson quotes a character as {@code ('x' (code 120))}, or half of one outside the BMP. */
  private static final Pattern QUOTED_CHARACTER =
      Pattern.compile(
          "\\(?'(?:[^']|'(?! \\(code))*' \\(code (\\d+)[^)]*\\)\\)?|\\(\\(CTRL-CHAR, code (\\d+)\\)\\)");

  /**
   * The tokenizer's description of a syntax error: its first line, without its pointers into the
   * parser's own configuration, the character it complains about quoted by Herald ({@code
   * character}, when known) rather than by the tokenizer, which may quote half of one.
   */
  static String describe(String message, String character) {
    if (message == null) {
      return "unreadable";
    }
    String m = message;
    int cut = m.indexOf('\n');
    if (cut >= 0) {
      m = m.substring(0, cut);
    }
    for (String internal : new String[] {" (start marker at", " (for ", "; line:", ": enable "}) {
      int i = m.indexOf(internal);
      if (i >= 0) {
        m = m.substring(0, i);
      }
    }
    m = m.replaceAll("`[^`]*`", "");
    // Hints at the tokenizer's own settings ("not enabled", "consider enabling ...").
    m = PARSER_SETTING.matcher(m).replaceAll("").trim();
    Matcher q = QUOTED_CHARACTER.matcher(m);
    if (q.find()) {
      // An ASCII character the tokenizer names rightly (in a number, it is not the one at the
      // position); another one it may misread or cut in half, so Herald names it.
      String code = q.group(1) != null ? q.group(1) : q.group(2);
      String own = null;
      if (code != null && Integer.parseInt(code) < 0x80) {
        own = Text.character(String.valueOf((char) Integer.parseInt(code)), 0);
      }
      String named = own != null ? own : character;
      m = m.substring(0, q.start()) + (named == null ? "" : named) + m.substring(q.end());
      m = m.replace("  ", " ").replace(" :", ":");
    }
    if (m.length() > 200) {
      m = m.substring(0, 200) + Text.CUT_MARK;
    }
    return Text.reason(Character.toLowerCase(m.charAt(0)) + m.substring(1));
  }
}
