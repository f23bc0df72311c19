package dev.herald.schema;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The textual forms of instants and durations on the wire. */
public final class Wire {

  private static final Pattern DURATION =
      Pattern.compile(
          "P(?=\\d|T\\d)(?:(\\d+)D)?(?:T(?=\\d)(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+)(?:\\.(\\d+))?S)?)?");

  private Wire() {}

  /**
   * The instant written as an RFC 3339 date-time with any offset up to ±23:59, truncated to
   * milliseconds; {@code null} if it is not one. The range of instants a record may carry is
   * checked apart, by {@link Bounds#isWithin}.
   *
   * <p>The form is {@code yyyy-MM-dd'T'HH:mm:ss}, an optional fraction of any number of digits,
   * then {@code Z} or {@code ±HH:mm} ({@code T} and {@code Z} in either case, ASCII digits only).
   * Read by hand, position by position: every record's {@code at} is read twice (for event time at
   * the source, then by the parser), and a regular expression here was a third of the parsing time
   * (benchmarks/PROFILE.md).
   */
  public static Instant parseInstant(String text) {
    int n = text.length();
    if (n < 20
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || (text.charAt(10) != 'T' && text.charAt(10) != 't')
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    int i = 19;
    int millis = 0;
    if (text.charAt(i) == '.') {
      int from = ++i;
      while (i < n && isDigit(text.charAt(i))) {
        i++;
      }
      if (i == from) {
        return null;
      }
      for (int k = 0; k < 3; k++) { // the first three digits: truncated to milliseconds
        millis = millis * 10 + (from + k < i ? text.charAt(from + k) - '0' : 0);
      }
    }
    if (i >= n) {
      return null;
    }
    char zone = text.charAt(i);
    int offsetSeconds;
    if ((zone == 'Z' || zone == 'z') && i + 1 == n) {
      offsetSeconds = 0;
    } else if ((zone == '+' || zone == '-') && i + 6 == n && text.charAt(i + 3) == ':') {
      int hours = digits(text, i + 1, 2);
      int minutes = digits(text, i + 4, 2);
      if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) {
        return null;
      }
      offsetSeconds = (hours * 3600 + minutes * 60) * (zone == '-' ? -1 : 1);
    } else {
      return null;
    }
    if (hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null; // no such day: a 13th month, February 30th
    }
    // RFC 3339 offsets go to ±23:59; java.time's ZoneOffset stops at ±18:00, so apply it here.
    long seconds = epochDay * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    return Instant.ofEpochSecond(seconds, millis * 1_000_000L);
  }

  /** The number written with {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The instant as written in output: UTC with {@code Z}, milliseconds only when not zero. */
  public static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /**
   * The duration written as ISO-8601 with days, hours, minutes and seconds only ({@code PT30M},
   * {@code P7D}, {@code P1DT12H}); {@code null} if it is not one (weeks, months, years, signs).
   */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      return null;
    }
    try {
      long seconds = 0;
      seconds = Math.addExact(seconds, Math.multiplyExact(number(m.group(1)), 86_400L));
      seconds = Math.addExact(seconds, Math.multiplyExact(number(m.group(2)), 3_600L));
      seconds = Math.addExact(seconds, Math.multiplyExact(number(m.group(3)), 60L));
      seconds = Math.addExact(seconds, number(m.group(4)));
      long millis = 0;
      if (m.group(5) != null) {
        millis = Long.parseLong((m.group(5) + "00").substring(0, 3));
      }
      return Duration.ofSeconds(seconds).plusMillis(millis);
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
  }

  /**
   * Whether {@code text} is written as a duration, whether or not its value fits a {@link Duration}
   * ({@link #parseDuration} is {@code null} for both kinds of failure).
   */
  public static boolean isDurationSyntax(String text) {
    return DURATION.matcher(text).matches();
  }

  /** The duration as written in output: {@code P7D}, {@code PT24H}, {@code P1DT2H30M}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "PT0S";
    }
    StringBuilder b = new StringBuilder("P");
    long days = d.toDaysPart();
    if (days > 0) {
      b.append(days).append('D');
    }
    int h = d.toHoursPart();
    int m = d.toMinutesPart();
    int s = d.toSecondsPart();
    int ms = d.toMillisPart();
    if (h > 0 || m > 0 || s > 0 || ms > 0) {
      b.append('T');
      if (h > 0) {
        b.append(h).append('H');
      }
      if (m > 0) {
        b.append(m).append('M');
      }
      if (s > 0 || ms > 0) {
        b.append(s);
        if (ms > 0) {
          b.append('.').append(String.format("%03d", ms));
        }
        b.append('S');
      }
    }
    return b.toString();
  }

  private static long number(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }
}
