package dev.herald.schema;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Input the pipeline could not use: where it came from ({@code topic/partition/offset} or {@code
 * file:line}), why, and the raw record cut to {@link #MAX_INPUT_BYTES} bytes.
 *
 * <p>Every field can be written whatever the record held: the reason is cut to {@link
 * Text#MAX_REASON} characters and escaped; in the input, bytes that are not UTF-8 are written
 * {@code \xHH}, and a lone UTF-16 surrogate as its escape (backslash, u, four hex digits).
 */
public record DeadLetter(Instant at, String source, String reason, String input) {

  public static final int MAX_INPUT_BYTES = 4096;

  public DeadLetter {
    reason = Text.reason(reason);
    input = input == null ? "" : input;
    source = source == null ? "unknown" : Text.reason(source);
  }

  /** A dead letter whose input, given as text, is cut to {@link #MAX_INPUT_BYTES}. */
  public static DeadLetter of(Instant at, String source, String reason, String input) {
    return new DeadLetter(at, source, reason, cut(input));
  }

  /** A dead letter whose input is raw bytes: cut to {@link #MAX_INPUT_BYTES}, then rendered. */
  public static DeadLetter ofBytes(Instant at, String source, String reason, byte[] input) {
    if (input == null) {
      input = new byte[0];
    }
    int end = Text.cutPoint(input, input.length, MAX_INPUT_BYTES);
    return new DeadLetter(at, source, reason, Text.renderBytes(input, 0, end));
  }

  /**
   * {@code s} cut to at most {@link #MAX_INPUT_BYTES} bytes of UTF-8, on a character boundary, a
   * lone surrogate written as its escape.
   */
  static String cut(String s) {
    if (s == null) {
      return null;
    }
    if (Text.firstLoneSurrogate(s) >= 0) {
      s = Text.escapeLoneSurrogates(s);
    }
    if (s.length() * 3 <= MAX_INPUT_BYTES) {
      return s;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_INPUT_BYTES) {
      return s;
    }
    int end = Text.cutPoint(utf8, utf8.length, MAX_INPUT_BYTES);
    return new String(utf8, 0, end, StandardCharsets.UTF_8);
  }
}
