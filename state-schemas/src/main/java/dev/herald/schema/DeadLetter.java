package dev.herald.schema;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Input the pipeline could not use: where it came from ({@code topic/partition/offset} or {@code
 * file:line}), why, and the raw record cut to {@link #MAX_INPUT_BYTES} bytes of UTF-8.
 */
public record DeadLetter(Instant at, String source, String reason, String input) {

  public static final int MAX_INPUT_BYTES = 4096;

  /** A dead letter whose input is cut to {@link #MAX_INPUT_BYTES}. */
  public static DeadLetter of(Instant at, String source, String reason, String input) {
    return new DeadLetter(at, source, reason, cut(input));
  }

  /** {@code s} cut to at most {@link #MAX_INPUT_BYTES} bytes of UTF-8, on a character boundary. */
  static String cut(String s) {
    if (s == null || s.length() * 3 <= MAX_INPUT_BYTES) {
      return s;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_INPUT_BYTES) {
      return s;
    }
    int end = MAX_INPUT_BYTES;
    while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
      end--; // do not split a multi-byte character
    }
    return new String(utf8, 0, end, StandardCharsets.UTF_8);
  }
}
