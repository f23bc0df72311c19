package dev.herald.schema;

import java.time.Duration;
import java.time.Instant;

/**
 * The bounds of every value a record may carry, in one place. The codec checks them where a record
 * enters, so that nothing after it (timers, the rate spread, formatting, sorting, writing) can
 * overflow or fail; {@code docs/records.md} and the JSON Schemas state the same bounds.
 *
 * <p>They are wide enough for any record a bot, a webhook or a person would write, and narrow
 * enough that every instant derived from them (a window's end, a token's expiry, a reminder's due
 * instant) is still an instant of the calendar the wire format can write.
 */
public final class Bounds {

  /** The earliest instant a record may carry, after its offset is applied. */
  public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

  /**
   * The latest instant a record may carry, after its offset is applied; also the end of event time:
   * nothing is due after it, and no output instant is later.
   */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  /** The longest audience duration ({@code interactedWithin}, {@code inactiveFor}): 100 years. */
  public static final Duration MAX_DURATION = Duration.ofDays(36_500);

  /** A reminder's delay must be shorter than this: the window. */
  public static final Duration MAX_REMINDER_DELAY = Duration.ofHours(24);

  /** The lowest campaign {@code rate}, in decisions per second: about one a day. */
  public static final double MIN_RATE = 0.00001;

  /** The highest campaign {@code rate}, in decisions per second. */
  public static final double MAX_RATE = 1_000_000_000;

  /** The largest record, in bytes of UTF-8. */
  public static final int MAX_RECORD_BYTES = 1 << 20;

  /** The deepest nesting of objects and arrays in a record. */
  public static final int MAX_DEPTH = 64;

  /** The most items of a tag list ({@code add}, {@code allTags}, {@code whenTags}, …). */
  public static final int MAX_TAGS = 100;

  /** The most items of an audience's {@code users} list. */
  public static final int MAX_USERS = 10_000;

  /** The most variants of a message. */
  public static final int MAX_VARIANTS = 100;

  /** The largest platform error code or subcode. */
  public static final long MAX_ERROR_CODE = Integer.MAX_VALUE;

  /** The kinds of strings a record carries, by their longest length and what they may contain. */
  public enum Strings {
    /**
     * Names and ids: {@code id}, {@code account}, {@code user}, {@code topic}, tag names, a
     * cancel's {@code campaign}, variant and template names, the template language. No control
     * characters.
     */
    NAME(256, false),
    /**
     * Opaque references: tokens, event ids, the bot's dialogue nodes ({@code interaction}, {@code
     * resumeAt}). No control characters.
     */
    REFERENCE(1024, false),
    /**
     * A delivery's {@code requestId}, as Herald composes it ({@link SendRequest#idOf}): three
     * names, the channel and an instant, with room for their escapes. No control characters.
     */
    REQUEST_ID(4096, false),
    /** Message texts: tab, line feed and carriage return allowed, no other control character. */
    TEXT(4096, true);

    /** The most characters (Unicode code points). */
    public final int maxLength;

    /** Whether tab, line feed and carriage return may appear. */
    public final boolean lineBreaks;

    Strings(int maxLength, boolean lineBreaks) {
      this.maxLength = maxLength;
      this.lineBreaks = lineBreaks;
    }

    /**
     * What is wrong with {@code s} for this kind, in words that end a reason ("is longer than …"),
     * or {@code null} if nothing is. {@code s} is not empty.
     */
    public String problem(String s) {
      if (s.length() > maxLength) {
        int length = s.codePointCount(0, s.length());
        if (length > maxLength) {
          return "is longer than " + maxLength + " characters (" + length + ")";
        }
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
          if (lineBreaks && (c == '\t' || c == '\n' || c == '\r')) {
            continue;
          }
          return "contains the control character "
              + String.format("U+%04X", (int) c)
              + " at character "
              + (s.codePointCount(0, i) + 1);
        }
        if (Character.isSurrogate(c)) {
          if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            i++;
            continue;
          }
          return "contains a lone UTF-16 surrogate "
              + String.format("\\u%04x", (int) c)
              + " at character "
              + (s.codePointCount(0, i) + 1)
              + ", which is not a character";
        }
      }
      return null;
    }
  }

  private Bounds() {}

  /** Whether {@code t} is an instant a record may carry. */
  public static boolean isWithin(Instant t) {
    return !t.isBefore(EARLIEST) && !t.isAfter(LATEST);
  }

  /** {@code t}, or {@link #LATEST} if it is later: no output instant is after the end of time. */
  public static Instant capped(Instant t) {
    return t.isAfter(LATEST) ? LATEST : t;
  }
}
