package dev.herald.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree back to bytes the way a mutant needs it, which no JSON library does: a lone
 * UTF-16 surrogate in a string is written as its {@code \}{@code uXXXX} escape (a library would
 * refuse it or write U+FFFD); non-ASCII text is written raw or escaped at random; a {@link
 * RawValue} (say {@code 1e400}, or a number of 1,001 digits, or something that is not JSON at all)
 * is written as it is.
 */
final class JsonText {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** A node that is written as {@code text}, verbatim. */
  static JsonNode raw(String text) {
    return NODES.pojoNode(new RawValue(text));
  }

  /** {@code node} as UTF-8; {@code escapeNonAscii} writes every non-ASCII character escaped. */
  static byte[] write(JsonNode node, boolean escapeNonAscii) {
    StringBuilder b = new StringBuilder();
    write(b, node, escapeNonAscii);
    return utf8(b);
  }

  /** The text as UTF-8 (lone surrogates never reach it: they are written escaped). */
  static byte[] utf8(CharSequence s) {
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  static void write(StringBuilder b, JsonNode node, boolean escapeNonAscii) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      b.append("null");
    } else if (node.isObject()) {
      b.append('{');
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!first) {
          b.append(',');
        }
        first = false;
        string(b, e.getKey(), escapeNonAscii);
        b.append(':');
        write(b, e.getValue(), escapeNonAscii);
      }
      b.append('}');
    } else if (node.isArray()) {
      b.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        write(b, node.get(i), escapeNonAscii);
      }
      b.append(']');
    } else if (node.isTextual()) {
      string(b, node.textValue(), escapeNonAscii);
    } else if (node instanceof POJONode p && p.getPojo() instanceof RawValue r) {
      b.append(r.rawValue().toString());
    } else {
      b.append(node.toString()); // numbers and booleans as Jackson writes them
    }
  }

  /** A JSON string literal of {@code s}; lone surrogates always escaped. */
  static void string(StringBuilder b, String s, boolean escapeNonAscii) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          boolean pair =
              Character.isHighSurrogate(c)
                  && i + 1 < s.length()
                  && Character.isLowSurrogate(s.charAt(i + 1));
          if (pair && !escapeNonAscii) {
            b.append(c).append(s.charAt(++i));
          } else if (c < 0x20
              || Character.isSurrogate(c)
              || (escapeNonAscii && c > 0x7E)
              || c == 0x7F) {
            escape(b, c);
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private static void escape(StringBuilder b, char c) {
    b.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
