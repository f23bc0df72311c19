package dev.herald.schema;

import java.nio.charset.StandardCharsets;

/**
 * Text that can always be written: checking and rendering raw bytes as UTF-8, quoting values in
 * reasons, and cutting reasons short. Every output of the pipeline goes through these, so that no
 * string, however it was made, fails to encode.
 */
public final class Text {

  /** The longest reason written, in characters; a longer one is cut and marked. */
  public static final int MAX_REASON = 512;

  /** The longest value quoted in a reason, in characters; a longer one is cut and marked. */
  public static final int MAX_QUOTED = 64;

  static final String CUT_MARK = "…";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Text() {}

  // ------------------------------------------------------------------ UTF-8

  /**
   * The offset of the first byte of {@code bytes[from, to)} that is not part of a well-formed UTF-8
   * sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or {@code -1}.
   */
  public static int firstInvalidUtf8(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      int n = sequenceLength(bytes, i, to);
      if (n < 0) {
        return i;
      }
      i += n;
    }
    return -1;
  }

  /**
   * The length of the well-formed multi-byte sequence starting at {@code i}, or {@code -1}. The
   * ranges are those of RFC 3629, table 3-7 of the Unicode standard.
   */
  private static int sequenceLength(byte[] b, int i, int to) {
    int lead = b[i] & 0xFF;
    int n;
    int min2 = 0x80;
    int max2 = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      n = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      n = 3;
      if (lead == 0xE0) {
        min2 = 0xA0; // no overlong forms
      } else if (lead == 0xED) {
        max2 = 0x9F; // no UTF-16 surrogates
      }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      n = 4;
      if (lead == 0xF0) {
        min2 = 0x90; // no overlong forms
      } else if (lead == 0xF4) {
        max2 = 0x8F; // nothing above U+10FFFF
      }
    } else {
      return -1; // a continuation byte, an overlong lead (C0, C1) or F5..FF
    }
    if (i + n > to) {
      return -1;
    }
    int second = b[i + 1] & 0xFF;
    if (second < min2 || second > max2) {
      return -1;
    }
    for (int k = 2; k < n; k++) {
      if ((b[i + k] & 0xC0) != 0x80) {
        return -1;
      }
    }
    return n;
  }

  /**
   * {@code bytes[from, to)} as text: well-formed UTF-8 decoded, every other byte written as {@code
   * \xHH}. Never fails, and the result is always valid to encode.
   */
  public static String renderBytes(byte[] bytes, int from, int to) {
    if (firstInvalidUtf8(bytes, from, to) < 0) {
      return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
    StringBuilder out = new StringBuilder(to - from + 16);
    int start = from; // start of the current run of well-formed bytes
    int i = from;
    while (i < to) {
      if (bytes[i] >= 0) {
        i++;
        continue;
      }
      int n = sequenceLength(bytes, i, to);
      if (n > 0) {
        i += n;
        continue;
      }
      out.append(new String(bytes, start, i - start, StandardCharsets.UTF_8));
      out.append("\\x").append(HEX[(bytes[i] >> 4) & 0xF]).append(HEX[bytes[i] & 0xF]);
      i++;
      start = i;
    }
    out.append(new String(bytes, start, to - start, StandardCharsets.UTF_8));
    return out.toString();
  }

  /**
   * The number of bytes at the start of {@code bytes[0, length)} that fit in {@code max} bytes
   * without splitting a UTF-8 sequence.
   */
  public static int cutPoint(byte[] bytes, int length, int max) {
    if (length <= max) {
      return length;
    }
    int end = max;
    int back = 0;
    while (end > 0 && back < 3 && (bytes[end] & 0xC0) == 0x80) {
      end--; // do not split a multi-byte sequence (a stray continuation byte stays)
      back++;
    }
    return (bytes[end] & 0xC0) == 0x80 ? max : end;
  }

  /** The length of {@code s} in UTF-8, a lone surrogate counted as the 3 bytes of U+FFFD. */
  public static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ well-formed strings

  /** The index of the first UTF-16 surrogate of {@code s} that is not half of a pair, or -1. */
  public static int firstLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * {@code s} with every lone surrogate replaced by U+FFFD, so that it encodes; {@code s} itself
   * when it has none (the common case costs one scan). {@code null} stays {@code null}.
   */
  public static String wellFormed(String s) {
    if (s == null || firstLoneSurrogate(s) < 0) {
      return s;
    }
    return replaceLoneSurrogates(s, false);
  }

  /** {@code s} with every lone surrogate written as its JSON-style escape (backslash, u, hex). */
  public static String escapeLoneSurrogates(String s) {
    return replaceLoneSurrogates(s, true);
  }

  private static String replaceLoneSurrogates(String s, boolean escape) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else if (!Character.isSurrogate(c)) {
        b.append(c);
      } else if (escape) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append('\uFFFD');
      }
    }
    return b.toString();
  }

  /**
   * The character at {@code index} of {@code s} for a reason: {@code '😀' (U+1F600)}, or {@code
   * null} if {@code index} is not in {@code s}. An index inside a surrogate pair means the pair.
   */
  public static String character(String s, int index) {
    if (index < 0 || index >= s.length()) {
      return null;
    }
    if (index > 0
        && Character.isLowSurrogate(s.charAt(index))
        && Character.isHighSurrogate(s.charAt(index - 1))) {
      index--;
    }
    int cp = s.codePointAt(index);
    int type = Character.getType(cp);
    boolean invisible =
        type == Character.CONTROL
            || type == Character.FORMAT
            || type == Character.SURROGATE
            || type == Character.PRIVATE_USE
            || type == Character.UNASSIGNED
            || type == Character.LINE_SEPARATOR
            || type == Character.PARAGRAPH_SEPARATOR
            || (type == Character.SPACE_SEPARATOR && cp != ' ');
    String shown = invisible || cp == '\'' ? "" : "'" + new String(Character.toChars(cp)) + "' ";
    return shown + String.format("(U+%04X)", cp);
  }

  // ------------------------------------------------------------------ reasons

  /**
   * A value quoted for a reason: {@code 'abc'}, with control characters and lone surrogates escaped
   * (a line feed as backslash-n, other controls and lone surrogates as backslash-u escapes) and at
   * most {@link #MAX_QUOTED} characters of it shown; a longer value ends in {@code …'} and says its
   * length.
   */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    int shown = prefixOfCodePoints(value, MAX_QUOTED);
    StringBuilder b = new StringBuilder(Math.min(value.length(), shown + 16) + 2).append('\'');
    escapeInto(b, value, 0, shown);
    if (shown < value.length()) {
      b.append(CUT_MARK)
          .append("' (")
          .append(value.codePointCount(0, value.length()))
          .append(" characters)");
    } else {
      b.append('\'');
    }
    return b.toString();
  }

  /** {@code value} as {@link #quote} shows it, without the quotes and the length. */
  public static String bare(String value) {
    int shown = prefixOfCodePoints(value, MAX_QUOTED);
    StringBuilder b = new StringBuilder(shown + 8);
    escapeInto(b, value, 0, shown);
    if (shown < value.length()) {
      b.append(CUT_MARK);
    }
    return b.toString();
  }

  /**
   * A reason as written: control characters and lone surrogates escaped, at most {@link
   * #MAX_REASON} characters, a longer one cut and ending in {@code … (cut)}.
   */
  public static String reason(String reason) {
    if (reason == null) {
      return "no reason given";
    }
    if (reason.length() <= MAX_REASON && needsNoEscape(reason)) {
      return reason;
    }
    int max = MAX_REASON - (CUT_MARK + " (cut)").length();
    StringBuilder b = new StringBuilder(Math.min(reason.length(), MAX_REASON) + 16);
    int i = 0;
    while (i < reason.length()) {
      int kept = b.length();
      int next = escapeOne(b, reason, i);
      if (b.length() > MAX_REASON || (b.length() > max && next < reason.length())) {
        b.setLength(kept); // never half an escape or half a surrogate pair
        break;
      }
      i = next;
    }
    if (i < reason.length()) {
      while (b.length() > max) {
        int cut = b.length() - 1;
        if (cut > 0 && Character.isLowSurrogate(b.charAt(cut))) {
          cut--;
        }
        b.setLength(cut);
      }
      b.append(CUT_MARK).append(" (cut)");
    }
    return b.toString();
  }

  /** A control character: C0, DEL or C1 (Unicode category Cc). */
  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
  }

  /** Whether {@code s} holds no control character and no lone surrogate. */
  private static boolean needsNoEscape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isControl(c)) {
        return false;
      }
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c)
            || i + 1 >= s.length()
            || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  /** The number of chars of {@code s} that hold its first {@code max} code points. */
  private static int prefixOfCodePoints(String s, int max) {
    if (s.length() <= max) {
      return s.length();
    }
    return s.offsetByCodePoints(0, Math.min(max, s.codePointCount(0, s.length())));
  }

  private static void escapeInto(StringBuilder b, String s, int from, int to) {
    int i = from;
    while (i < to) {
      i = escapeOne(b, s, i);
    }
  }

  /** Appends the character at {@code i}, escaped if need be; returns the index after it. */
  private static int escapeOne(StringBuilder b, String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)
        && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1))) {
      b.append(c).append(s.charAt(i + 1));
      return i + 2;
    }
    if (c == '\n') {
      b.append("\\n");
    } else if (c == '\r') {
      b.append("\\r");
    } else if (c == '\t') {
      b.append("\\t");
    } else if (isControl(c) || Character.isSurrogate(c)) {
      b.append(String.format("\\u%04x", (int) c));
    } else {
      b.append(c);
    }
    return i + 1;
  }
}
