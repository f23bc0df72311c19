package dev.herald.schema;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The textual forms of instants and durations on the wire. */
public final class Wire {

  private static final Pattern INSTANT =
      Pattern.compile(
          "(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?"
              + "(?:([Zz])|([+-])(\\d{2}):(\\d{2}))");

  private static final Pattern DURATION =
      Pattern.compile(
          "P(?=\\d|T\\d)(?:(\\d+)D)?(?:T(?=\\d)(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+)(?:\\.(\\d+))?S)?)?");

  private Wire() {}

  /**
   * The instant written as an RFC 3339 date-time with any offset up to ±23:59, truncated to
   * milliseconds; {@code null} if it is not one. The range of instants a record may carry is
   * checked apart, by {@link Bounds#isWithin}.
   */
  public static Instant parseInstant(String text) {
    Matcher m = INSTANT.matcher(text);
    if (!m.matches()) {
      return null;
    }
    try {
      LocalDateTime local =
          LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)),
              Integer.parseInt(m.group(6)));
      int offsetSeconds = 0;
      if (m.group(8) == null) {
        int hours = Integer.parseInt(m.group(10));
        int minutes = Integer.parseInt(m.group(11));
        if (hours > 23 || minutes > 59) {
          return null;
        }
        offsetSeconds = (hours * 3600 + minutes * 60) * ("-".equals(m.group(9)) ? -1 : 1);
      }
      // RFC 3339 offsets go to ±23:59; java.time's ZoneOffset stops at ±18:00, so apply it here.
      Instant instant = Instant.ofEpochSecond(local.toEpochSecond(ZoneOffset.UTC) - offsetSeconds);
      String fraction = m.group(7);
      if (fraction != null) {
        String millis = (fraction + "00").substring(0, 3);
        instant = instant.plusMillis(Integer.parseInt(millis));
      }
      return instant;
    } catch (DateTimeException | NumberFormatException e) {
      return null;
    }
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
