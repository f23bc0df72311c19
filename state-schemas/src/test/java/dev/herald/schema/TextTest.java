package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The text every output goes through: the UTF-8 check agrees with the JDK's strict decoder, raw
 * bytes always render to a string that encodes, and values and reasons are quoted and cut safely.
 */
class TextTest {

  private static final int RANDOM_ARRAYS = 120_000;

  // ------------------------------------------------------------------ UTF-8

  /** Bytes that make UTF-8 go wrong, and the leads and continuations around them. */
  private static final int[] TRICKY = {
    0x00, 0x1F, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEE,
    0xEF, 0xF0, 0xF4, 0xF5, 0xF8, 0xFE, 0xFF, 'a', '"', '\\'
  };

  /**
   * The offset of the first byte the JDK's decoder, set to report, finds malformed or cut short, or
   * -1 if it decodes everything.
   */
  private static int jdkFirstInvalid(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      return in.position();
    }
    result = decoder.flush(out);
    return result.isError() ? in.position() : -1;
  }

  /** Code points at the edges of UTF-8's ranges: each is well-formed. */
  private static final int[] EDGES = {
    0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x3FFFF,
    0x40000, 0xFFFFF, 0x100000, 0x10FFFF
  };

  /**
   * A random array, biased toward the bytes and sequences that make UTF-8 go wrong: half are
   * well-formed characters at the edges of UTF-8's ranges, half mix in stray bytes, surrogates and
   * sequences cut short.
   */
  private static byte[] trickyBytes(SplittableRandom random) {
    if (random.nextBoolean()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int n = random.nextInt(0, 5); n > 0; n--) {
        int cp =
            random.nextBoolean()
                ? EDGES[random.nextInt(EDGES.length)]
                : random.nextInt(0, 0x110000);
        if (cp < 0x80) {
          out.write(cp);
        } else if (cp < 0xD800 || cp > 0xDFFF) {
          out.writeBytes(encodeLoosely(cp));
        }
      }
      return out.toByteArray();
    }
    byte[] b = new byte[random.nextInt(1, 12)];
    int i = 0;
    while (i < b.length) {
      switch (random.nextInt(8)) {
        case 0 -> b[i++] = (byte) random.nextInt(256);
        case 1, 2 -> b[i++] = (byte) TRICKY[random.nextInt(TRICKY.length)];
        case 3 -> b[i++] = (byte) (0x80 + random.nextInt(64)); // a continuation byte
        default -> {
          // A well-formed character (or a surrogate encoded as ED A0..BF xx), maybe cut short.
          int cp =
              switch (random.nextInt(5)) {
                case 0 -> random.nextInt(0x80, 0x800);
                case 1 -> random.nextInt(0x800, 0x10000);
                case 2 -> random.nextInt(0xD800, 0xE000);
                case 3 -> random.nextInt(0x10000, 0x110000);
                default -> random.nextBoolean() ? 0x10FFFF : 0xFFFF;
              };
          byte[] encoded = encodeLoosely(cp);
          int n = random.nextInt(4) == 0 ? random.nextInt(1, encoded.length + 1) : encoded.length;
          for (int k = 0; k < n && i < b.length; k++) {
            b[i++] = encoded[k];
          }
        }
      }
    }
    return b;
  }

  /** {@code cp} in UTF-8's bit pattern, surrogates included (which UTF-8 forbids). */
  private static byte[] encodeLoosely(int cp) {
    if (cp < 0x800) {
      return new byte[] {(byte) (0xC0 | cp >> 6), (byte) (0x80 | cp & 0x3F)};
    }
    if (cp < 0x10000) {
      return new byte[] {
        (byte) (0xE0 | cp >> 12), (byte) (0x80 | cp >> 6 & 0x3F), (byte) (0x80 | cp & 0x3F)
      };
    }
    return new byte[] {
      (byte) (0xF0 | cp >> 18),
      (byte) (0x80 | cp >> 12 & 0x3F),
      (byte) (0x80 | cp >> 6 & 0x3F),
      (byte) (0x80 | cp & 0x3F)
    };
  }

  @Test
  void theUtf8CheckAgreesWithTheJdksStrictDecoderOnRandomBytes() {
    SplittableRandom random = new SplittableRandom(0x4E7A1DL);
    int invalid = 0;
    for (int n = 0; n < RANDOM_ARRAYS; n++) {
      byte[] bytes = trickyBytes(random);
      int expected = jdkFirstInvalid(bytes);

      int actual = Text.firstInvalidUtf8(bytes, 0, bytes.length);

      if (actual != expected) {
        assertThat(actual).as("first invalid byte of %s", hex(bytes)).isEqualTo(expected);
      }
      if (expected >= 0) {
        invalid++;
      }
    }
    // Both kinds are well represented, so the agreement means something.
    assertThat(invalid).isBetween(RANDOM_ARRAYS / 4, RANDOM_ARRAYS * 3 / 4);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
    "'',              -1",
    "61 62 63,        -1",
    "C3 A9,           -1",
    "E2 82 AC,        -1",
    "F0 9F 98 80,     -1",
    "F4 8F BF BF,     -1",
    "EF BB BF 61,     -1",
    "80,              0",
    "61 BF,           1",
    "C0 80,           0",
    "C1 BF,           0",
    "E0 80 80,        0",
    "E0 9F BF,        0",
    "ED A0 80,        0",
    "ED BF BF,        0",
    "61 ED 9F BF ED A0 80, 4",
    "F0 80 80 80,     0",
    "F0 8F BF BF,     0",
    "F4 90 80 80,     0",
    "F5 80 80 80,     0",
    "FF,              0",
    "E2 82,           0",
    "61 F0 9F 98,     1",
    "C3,              0",
    "C3 41,           0",
  })
  void theUtf8CheckFindsTheFirstByteThatIsNotPartOfACharacter(String hex, int expected) {
    byte[] bytes = bytes(hex);

    assertThat(Text.firstInvalidUtf8(bytes, 0, bytes.length)).isEqualTo(expected);
    assertThat(jdkFirstInvalid(bytes)).isEqualTo(expected);
  }

  @Test
  void theUtf8CheckLooksOnlyAtItsRange() {
    byte[] bytes = bytes("FF 61 62 FF");

    assertThat(Text.firstInvalidUtf8(bytes, 1, 3)).isEqualTo(-1);
    assertThat(Text.firstInvalidUtf8(bytes, 1, 4)).isEqualTo(3);
    // A sequence cut by the end of the range is cut short.
    byte[] euro = bytes("E2 82 AC");
    assertThat(Text.firstInvalidUtf8(euro, 0, 2)).isEqualTo(0);
  }

  // ------------------------------------------------------------------ rendering bytes

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "61 62 63                | abc",
        "7B 22 61 22 7D          | {\"a\"}",
        "61 FF 62                | a\\xFFb",
        "80                      | \\x80",
        "C0 80                   | \\xC0\\x80",
        "ED A0 80                | \\xED\\xA0\\x80",
        "E2 82                   | \\xE2\\x82",
        "E2 82 41                | \\xE2\\x82A",
        "F5 80 80 80             | \\xF5\\x80\\x80\\x80",
        "63 61 66 E9             | caf\\xE9",
        "C3 A9 FF C3 A9          | é\\xFFé",
        "F0 9F 98 80 F0 9F 98    | 😀\\xF0\\x9F\\x98",
      })
  void rawBytesRenderAsTextWithEveryByteThatIsNotUtf8WrittenAsHex(String hex, String expected) {
    byte[] bytes = bytes(hex);

    String rendered = Text.renderBytes(bytes, 0, bytes.length);

    assertThat(rendered).isEqualTo(expected);
    assertThat(encodesStrictly(rendered)).isTrue();
  }

  @Test
  void controlCharactersInRawBytesAreRenderedAsThemselves() {
    byte[] bytes = bytes("00 0A 0D 7F C2 85");

    assertThat(Text.renderBytes(bytes, 0, bytes.length)).isEqualTo("\u0000\n\r\u007F\u0085");
    assertThat(Text.renderBytes(bytes, 1, 3)).isEqualTo("\n\r");
  }

  @Test
  void renderedRandomBytesAlwaysEncodeAndWellFormedOnesAreUnchanged() {
    SplittableRandom random = new SplittableRandom(42);
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = trickyBytes(random);

      String rendered = Text.renderBytes(bytes, 0, bytes.length);

      assertThat(encodesStrictly(rendered)).as(hex(bytes)).isTrue();
      if (jdkFirstInvalid(bytes) < 0) {
        assertThat(rendered).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
      } else {
        assertThat(rendered).as(hex(bytes)).contains("\\x");
      }
    }
  }

  @Test
  void aCutDoesNotSplitACharacter() {
    byte[] bytes = "aé😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 4 bytes

    assertThat(Text.cutPoint(bytes, bytes.length, 7)).isEqualTo(7);
    assertThat(Text.cutPoint(bytes, bytes.length, 6)).isEqualTo(3);
    assertThat(Text.cutPoint(bytes, bytes.length, 4)).isEqualTo(3);
    assertThat(Text.cutPoint(bytes, bytes.length, 3)).isEqualTo(3);
    assertThat(Text.cutPoint(bytes, bytes.length, 2)).isEqualTo(1);
    assertThat(Text.cutPoint(bytes, bytes.length, 1)).isEqualTo(1);
    // Stray continuation bytes are not a character to keep whole: cut where asked.
    byte[] stray = bytes("61 80 80 80 80 80");
    assertThat(Text.cutPoint(stray, stray.length, 5)).isEqualTo(5);
  }

  @Test
  void theUtf8LengthOfAStringCountsALoneSurrogateAsTheReplacementCharacter() {
    assertThat(Text.utf8Length("aé€😀")).isEqualTo(1 + 2 + 3 + 4);
    assertThat(Text.utf8Length("\uD800")).isEqualTo(3);
    assertThat(Text.utf8Length("x\uDC00\uD800")).isEqualTo(7);
    assertThat(Text.utf8Length("")).isZero();
  }

  // ------------------------------------------------------------------ well-formed strings

  @Test
  void aWellFormedStringIsLeftAsItIs() {
    String s = "plain é 😀";

    assertThat(Text.wellFormed(s)).isSameAs(s);
    assertThat(Text.wellFormed(null)).isNull();
    assertThat(Text.firstLoneSurrogate(s)).isEqualTo(-1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "high alone          | a\uD800b         | a\uFFFDb         | 1",
        "low alone           | a\uDC00b         | a\uFFFDb         | 1",
        "high at the end     | ab\uD83D         | ab\uFFFD         | 2",
        "pair in wrong order | \uDE00\uD83D     | \uFFFD\uFFFD     | 0",
        "pair then a low     | \uD83D\uDE00\uDE00 | \uD83D\uDE00\uFFFD | 2",
        "two highs then low  | \uD83D\uD83D\uDE00 | \uFFFD\uD83D\uDE00 | 0",
      })
  void aLoneSurrogateBecomesTheReplacementCharacter(
      String what, String s, String expected, int first) {
    assertThat(Text.firstLoneSurrogate(s)).isEqualTo(first);
    assertThat(Text.wellFormed(s)).isEqualTo(expected);
    assertThat(encodesStrictly(Text.wellFormed(s))).isTrue();
    assertThat(encodesStrictly(s)).isFalse();
  }

  @Test
  void aLoneSurrogateCanBeWrittenAsItsEscapeInstead() {
    assertThat(Text.escapeLoneSurrogates("a\uD800b")).isEqualTo("a\\ud800b");
    assertThat(Text.escapeLoneSurrogates("\uDC00")).isEqualTo("\\udc00");
    assertThat(Text.escapeLoneSurrogates("\uDE00\uD83D")).isEqualTo("\\ude00\\ud83d");
    assertThat(Text.escapeLoneSurrogates("😀 ok")).isEqualTo("😀 ok");
    assertThat(encodesStrictly(Text.escapeLoneSurrogates("x\uD800\uD83D\uDE00\uDFFF"))).isTrue();
  }

  @Test
  void aCharacterIsShownWithItsCodePoint() {
    assertThat(Text.character("abc", 1)).isEqualTo("'b' (U+0062)");
    assertThat(Text.character("a😀", 1)).isEqualTo("'😀' (U+1F600)");
    assertThat(Text.character("a😀", 2)).as("inside the pair").isEqualTo("'😀' (U+1F600)");
    assertThat(Text.character("a\u0000", 1)).isEqualTo("(U+0000)");
    assertThat(Text.character("\u0085", 0)).isEqualTo("(U+0085)");
    assertThat(Text.character("'", 0)).isEqualTo("(U+0027)");
    assertThat(Text.character("x\uD800", 1)).isEqualTo("(U+D800)");
    assertThat(Text.character("\uDC00", 0)).isEqualTo("(U+DC00)");
    assertThat(Text.character("abc", 3)).isNull();
    assertThat(Text.character("abc", -1)).isNull();
  }

  // ------------------------------------------------------------------ quoting values

  @Test
  void aQuotedValueIsEscaped() {
    assertThat(Text.quote("tok-1")).isEqualTo("'tok-1'");
    assertThat(Text.quote("a\nb")).isEqualTo("'a\\nb'");
    assertThat(Text.quote("a\rb")).isEqualTo("'a\\rb'");
    assertThat(Text.quote("a\tb")).isEqualTo("'a\\tb'");
    assertThat(Text.quote("a\u0000b")).isEqualTo("'a\\u0000b'");
    assertThat(Text.quote("a\u007Fb")).isEqualTo("'a\\u007fb'");
    assertThat(Text.quote("a\uD800")).isEqualTo("'a\\ud800'");
    assertThat(Text.quote("\uDE00\uD83D")).isEqualTo("'\\ude00\\ud83d'");
    assertThat(Text.quote("a😀")).isEqualTo("'a😀'");
    assertThat(encodesStrictly(Text.quote("\uD800".repeat(100)))).isTrue();
  }

  @Test
  void aLongQuotedValueShowsItsFirst64CharactersAndItsLength() {
    String sixtyFour = "x".repeat(64);

    assertThat(Text.quote(sixtyFour)).isEqualTo("'" + sixtyFour + "'");
    assertThat(Text.quote(sixtyFour + "y")).isEqualTo("'" + sixtyFour + "…' (65 characters)");
    assertThat(Text.quote("x".repeat(1 << 20)))
        .isEqualTo("'" + sixtyFour + "…' (1048576 characters)");
    String emoji = "😀".repeat(65); // 65 characters, 130 chars of UTF-16
    assertThat(Text.quote(emoji)).isEqualTo("'" + "😀".repeat(64) + "…' (65 characters)");
    assertThat(Text.quote("😀".repeat(64))).isEqualTo("'" + "😀".repeat(64) + "'");
    assertThat(Text.quote(null)).isEqualTo("null");
  }

  @Test
  void aBareValueIsQuotedWithoutQuotesOrLength() {
    assertThat(Text.bare("page-1")).isEqualTo("page-1");
    assertThat(Text.bare("u\n1")).isEqualTo("u\\n1");
    assertThat(Text.bare("x".repeat(65))).isEqualTo("x".repeat(64) + "…");
  }

  // ------------------------------------------------------------------ reasons

  @Test
  void aShortCleanReasonIsWrittenAsItIs() {
    String reason = "campaign c-1: outsideWindow OTN needs a topic";

    assertThat(Text.reason(reason)).isSameAs(reason);
    assertThat(Text.reason("x".repeat(512))).hasSize(512).doesNotContain("(cut)");
    assertThat(Text.reason(null)).isEqualTo("no reason given");
  }

  @Test
  void aLongReasonIsCutTo512CharactersAndMarked() {
    for (String reason :
        new String[] {
          "x".repeat(513),
          "x".repeat(1 << 20),
          "😀".repeat(400),
          "x" + "😀".repeat(400),
          "\u0000".repeat(600),
          "a\nb".repeat(300),
          "\uD800".repeat(200),
          "x".repeat(504) + "\u0000" + "y".repeat(100),
        }) {
      String cut = Text.reason(reason);

      assertThat(cut.length()).as(Text.quote(reason)).isLessThanOrEqualTo(Text.MAX_REASON);
      assertThat(cut).endsWith("… (cut)");
      assertThat(Text.firstLoneSurrogate(cut)).isEqualTo(-1);
      assertThat(encodesStrictly(cut)).isTrue();
    }
    assertThat(Text.reason("x".repeat(513))).isEqualTo("x".repeat(505) + "… (cut)");
  }

  @Test
  void controlCharactersAndLoneSurrogatesInAReasonAreEscaped() {
    assertThat(Text.reason("bad\nline")).isEqualTo("bad\\nline");
    assertThat(Text.reason("nul\u0000")).isEqualTo("nul\\u0000");
    assertThat(Text.reason("half \uD800 of it")).isEqualTo("half \\ud800 of it");
    assertThat(Text.reason("a pair 😀")).isEqualTo("a pair 😀");
  }

  // ------------------------------------------------------------------ helpers

  /** Whether {@code s} encodes to UTF-8 with nothing replaced. */
  private static boolean encodesStrictly(String s) {
    CharsetEncoder encoder =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      encoder.encode(CharBuffer.wrap(s));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] bytes(String hex) {
    String[] parts = hex.trim().isEmpty() ? new String[0] : hex.trim().split("\\s+");
    byte[] b = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      b[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return b;
  }

  private static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(String.format("%02X ", x & 0xFF));
    }
    return b.toString().trim();
  }
}
