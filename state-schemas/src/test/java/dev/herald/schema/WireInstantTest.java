package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link Wire#parseInstant} reads instants by hand; it must take and refuse exactly what the
 * regular expression it replaced took and refused, with the same value. The expression is kept here
 * as the oracle, and both read the same tricky and randomly altered texts.
 */
class WireInstantTest {

  private static final Pattern INSTANT =
      Pattern.compile(
          "(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?"
              + "(?:([Zz])|([+-])(\\d{2}):(\\d{2}))");

  /** The parser as it was, by regular expression. */
  private static Instant oracle(String text) {
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
      Instant instant = Instant.ofEpochSecond(local.toEpochSecond(ZoneOffset.UTC) - offsetSeconds);
      String fraction = m.group(7);
      if (fraction != null) {
        instant = instant.plusMillis(Integer.parseInt((fraction + "00").substring(0, 3)));
      }
      return instant;
    } catch (DateTimeException | NumberFormatException e) {
      return null;
    }
  }

  static List<String> tricky() {
    return List.of(
        "2021-05-01T09:12:00Z",
        "2021-05-01t09:12:00z",
        "2021-05-01T09:12:00.1Z",
        "2021-05-01T09:12:00.12Z",
        "2021-05-01T09:12:00.123Z",
        "2021-05-01T09:12:00.1234567891Z",
        "2021-05-01T09:12:00.Z",
        "2021-05-01T09:12:00.999999+01:00",
        "2021-05-01T09:12:00+23:59",
        "2021-05-01T09:12:00-23:59",
        "2021-05-01T09:12:00+24:00",
        "2021-05-01T09:12:00+05:60",
        "2021-05-01T09:12:00-00:00",
        "2021-05-01T09:12:00+0100",
        "2021-05-01T09:12:00+01:00Z",
        "2021-05-01T09:12:00Z\n",
        " 2021-05-01T09:12:00Z",
        "2021-05-01 09:12:00Z",
        "2021-05-01T09:12:00",
        "2021-05-01T24:00:00Z",
        "2021-05-01T23:60:00Z",
        "2021-05-01T23:59:60Z",
        "2021-02-29T00:00:00Z",
        "2024-02-29T00:00:00Z",
        "2021-13-01T00:00:00Z",
        "2021-00-01T00:00:00Z",
        "2021-01-00T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z",
        "9999-12-31T23:59:59.999-23:59",
        "1969-12-31T23:59:59.999Z",
        "+2021-05-01T09:12:00Z",
        "20210-05-01T09:12:00Z",
        "2021-5-01T09:12:00Z",
        "2021-05-01T09:12:0Z",
        "2021-05-01T09:12:00.1.2Z",
        "2021-05-01T09:12:00.１Z", // a fullwidth digit is not \d
        "２021-05-01T09:12:00Z",
        "2021-05-01T09:12:00+01:0",
        "2021-05-01T09:12:00+01:000",
        "",
        "Z",
        "2021-05-01T09:12:00.",
        "2021-05-01T09:12:00.5");
  }

  @Test
  void theTrickyTextsReadAsTheExpressionReadThem() {
    for (String text : tricky()) {
      assertThat(Wire.parseInstant(text)).as(text).isEqualTo(oracle(text));
    }
    assertThat(Wire.parseInstant("2021-05-01T09:12:00.999999+01:00"))
        .isEqualTo(Instant.parse("2021-05-01T08:12:00.999Z"));
  }

  @Test
  void randomlyAlteredInstantsReadAsTheExpressionReadThem() {
    Random random = new Random(20261130);
    String alphabet = "0123456789-:.+TtZz 9１x";
    List<String> seeds = new ArrayList<>(tricky());
    int valid = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = b.length() == 0 ? 0 : random.nextInt(b.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> b.insert(at, c);
          case 1 -> {
            if (b.length() > 0) {
              b.setCharAt(at, c);
            }
          }
          default -> {
            if (b.length() > 0) {
              b.deleteCharAt(at);
            }
          }
        }
      }
      String text = b.toString();
      Instant expected = oracle(text);
      assertThat(Wire.parseInstant(text)).as(text).isEqualTo(expected);
      if (expected != null) {
        valid++;
      }
    }
    assertThat(valid).as("altered texts that are still instants").isGreaterThan(2_000);
  }
}
