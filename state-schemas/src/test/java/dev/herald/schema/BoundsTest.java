package dev.herald.schema;

import static dev.herald.schema.Bounds.Strings.NAME;
import static dev.herald.schema.Bounds.Strings.REFERENCE;
import static dev.herald.schema.Bounds.Strings.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The bounds of the values a record may carry, at their exact edges. */
class BoundsTest {

  private static final String EMOJI = "\uD83D\uDE00"; // one character, two UTF-16 chars

  // ------------------------------------------------------------------ lengths

  @Test
  void theLongestStringOfEachKind() {
    assertThat(NAME.maxLength).isEqualTo(256);
    assertThat(REFERENCE.maxLength).isEqualTo(1024);
    assertThat(Bounds.Strings.REQUEST_ID.maxLength).isEqualTo(4096);
    assertThat(TEXT.maxLength).isEqualTo(4096);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Bounds.Strings.class)
  void aStringMayHaveExactlyTheLongestLength(Bounds.Strings kind) {
    int max = kind.maxLength;

    assertThat(kind.problem("x".repeat(max))).isNull();
    assertThat(kind.problem("x".repeat(max + 1)))
        .isEqualTo("is longer than " + max + " characters (" + (max + 1) + ")");
    assertThat(kind.problem("x".repeat(10 * max)))
        .isEqualTo("is longer than " + max + " characters (" + 10 * max + ")");
    assertThat(kind.problem("x")).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Bounds.Strings.class)
  void aCharacterOutsideTheBmpCountsAsOne(Bounds.Strings kind) {
    int max = kind.maxLength;

    assertThat(kind.problem(EMOJI.repeat(max))).as("%d chars of UTF-16", 2 * max).isNull();
    assertThat(kind.problem("x".repeat(max - 1) + EMOJI)).isNull();
    assertThat(kind.problem(EMOJI.repeat(max + 1)))
        .isEqualTo("is longer than " + max + " characters (" + (max + 1) + ")");
    assertThat(kind.problem("x".repeat(max) + EMOJI))
        .isEqualTo("is longer than " + max + " characters (" + (max + 1) + ")");
  }

  // ------------------------------------------------------------------ control characters

  @ParameterizedTest(name = "{0}")
  @EnumSource(Bounds.Strings.class)
  void noControlCharacterOfC0OrC1NorDel(Bounds.Strings kind) {
    for (char c = 0; c <= 0xA0; c++) {
      boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F);
      boolean lineBreak = c == '\t' || c == '\n' || c == '\r';
      String s = "ab" + c + "cd";

      String problem = kind.problem(s);

      if (control && !(lineBreak && kind == TEXT)) {
        assertThat(problem)
            .as("U+%04X in %s", (int) c, kind)
            .isEqualTo(
                String.format("contains the control character U+%04X at character 3", (int) c));
      } else {
        assertThat(problem).as("U+%04X in %s", (int) c, kind).isNull();
      }
    }
  }

  @Test
  void onlyTextsMayHoldTabsAndLineBreaks() {
    assertThat(TEXT.problem("line 1\r\nline 2\tend\n")).isNull();
    assertThat(NAME.problem("red\twine"))
        .isEqualTo("contains the control character U+0009 at character 4");
    assertThat(REFERENCE.problem("/lead\n"))
        .isEqualTo("contains the control character U+000A at character 6");
    assertThat(NAME.problem("\r"))
        .isEqualTo("contains the control character U+000D at character 1");
    assertThat(TEXT.problem("Hi\u000Bthere"))
        .isEqualTo("contains the control character U+000B at character 3");
  }

  @Test
  void aControlCharacterIsFoundAfterCharactersOutsideTheBmpAtItsCharacterNumber() {
    assertThat(NAME.problem(EMOJI + EMOJI + "\u0000"))
        .isEqualTo("contains the control character U+0000 at character 3");
  }

  @Test
  void charactersThatLookLikeControlsButAreNotAreAllowed() {
    for (String s :
        new String[] {"\u00A0", "\u00AD", "\u2028", "\u2029", "\uFEFF", "\uFFFD", "\u200B", " "}) {
      for (Bounds.Strings kind : Bounds.Strings.values()) {
        assertThat(kind.problem("a" + s + "b")).as("%s in %s", Text.quote(s), kind).isNull();
      }
    }
  }

  // ------------------------------------------------------------------ surrogates

  @ParameterizedTest(name = "{0}")
  @EnumSource(Bounds.Strings.class)
  void aLoneSurrogateIsNotACharacterButAPairIs(Bounds.Strings kind) {
    assertThat(kind.problem("u" + EMOJI)).isNull();
    assertThat(kind.problem("\uDBFF\uDFFF")).as("U+10FFFF").isNull();
    assertThat(kind.problem("u\uD800"))
        .isEqualTo(
            "contains a lone UTF-16 surrogate \\ud800 at character 2, which is not a character");
    assertThat(kind.problem("\uDC00u"))
        .isEqualTo(
            "contains a lone UTF-16 surrogate \\udc00 at character 1, which is not a character");
    assertThat(kind.problem("u\uDE00\uD83D"))
        .as("a pair in the wrong order")
        .isEqualTo(
            "contains a lone UTF-16 surrogate \\ude00 at character 2, which is not a character");
    assertThat(kind.problem(EMOJI + "\uD83D\uD83D" + EMOJI))
        .isEqualTo(
            "contains a lone UTF-16 surrogate \\ud83d at character 2, which is not a character");
    assertThat(kind.problem(EMOJI + EMOJI + "\uDFFF"))
        .isEqualTo(
            "contains a lone UTF-16 surrogate \\udfff at character 3, which is not a character");
  }

  @Test
  void aStringTooLongIsReportedBeforeWhatItHolds() {
    assertThat(NAME.problem("\u0000".repeat(300))).isEqualTo("is longer than 256 characters (300)");
  }

  // ------------------------------------------------------------------ instants and numbers

  @Test
  void theInstantsARecordMayCarryAreThoseOfTheYears1970To9999InUtc() {
    assertThat(Bounds.EARLIEST).isEqualTo(Instant.EPOCH);
    assertThat(Bounds.LATEST).isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z"));
    assertThat(Bounds.isWithin(Bounds.EARLIEST)).isTrue();
    assertThat(Bounds.isWithin(Bounds.LATEST)).isTrue();
    assertThat(Bounds.isWithin(Bounds.EARLIEST.minusMillis(1))).isFalse();
    assertThat(Bounds.isWithin(Bounds.LATEST.plusMillis(1))).isFalse();
    assertThat(Bounds.isWithin(Instant.MIN)).isFalse();
    assertThat(Bounds.isWithin(Instant.MAX)).isFalse();
  }

  @Test
  void noOutputInstantIsAfterTheEndOfTime() {
    Instant t = Instant.parse("2021-05-01T09:12:00Z");

    assertThat(Bounds.capped(t)).isEqualTo(t);
    assertThat(Bounds.capped(Bounds.LATEST)).isEqualTo(Bounds.LATEST);
    assertThat(Bounds.capped(Bounds.LATEST.plus(Duration.ofDays(2)))).isEqualTo(Bounds.LATEST);
    assertThat(Wire.format(Bounds.capped(Instant.MAX))).isEqualTo("9999-12-31T23:59:59.999Z");
  }

  @Test
  void theLatestInstantPlusTheLongestDurationIsStillAnInstant() {
    // Nothing after the codec can overflow: instants, durations and their sums stay in range.
    Instant far = Bounds.LATEST.plus(Bounds.MAX_DURATION).plus(Bounds.MAX_REMINDER_DELAY);
    Instant early = Bounds.EARLIEST.minus(Bounds.MAX_DURATION);

    assertThat(far.toEpochMilli()).isPositive();
    assertThat(early.toEpochMilli()).isNegative();
    assertThat(Bounds.MAX_DURATION).isEqualTo(Duration.ofDays(36_500));
    assertThat(Bounds.MAX_DURATION.toMillis()).isPositive();
  }

  @Test
  void theOtherBoundsAreThoseDocsRecordsMdStates() {
    assertThat(Bounds.MIN_RATE).isEqualTo(0.00001);
    assertThat(Bounds.MAX_RATE).isEqualTo(1e9);
    assertThat(Bounds.MAX_RECORD_BYTES).isEqualTo(1_048_576);
    assertThat(Bounds.MAX_DEPTH).isEqualTo(64);
    assertThat(Bounds.MAX_TAGS).isEqualTo(100);
    assertThat(Bounds.MAX_USERS).isEqualTo(10_000);
    assertThat(Bounds.MAX_VARIANTS).isEqualTo(100);
    assertThat(Bounds.MAX_ERROR_CODE).isEqualTo(2_147_483_647L);
    assertThat(Bounds.MAX_REMINDER_DELAY).isEqualTo(Duration.ofHours(24));
  }
}
