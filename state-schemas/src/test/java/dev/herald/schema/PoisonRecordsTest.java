package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.UserEvent.Interaction;
import dev.herald.schema.UserEvent.OtnOptin;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records an attacker would write, read from their raw bytes as they come off a topic or a replay
 * file: each is either a value every later step can use, or a rejection whose reason is short, in
 * Herald's words, and whose dead letter always writes. None throws.
 */
class PoisonRecordsTest {

  private static final String AT = "\"at\":\"2021-05-01T09:12:00Z\"";
  private static final String KEY =
      "\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\"u-1\"";
  private static final String UE = "\"type\":\"interaction\"," + AT + "," + KEY;
  private static final String C =
      "\"type\":\"campaign\",\"id\":\"c-1\",\"at\":\"2021-05-03T08:00:00Z\","
          + "\"channel\":\"messenger\",\"account\":\"page-1\"";
  private static final String TEXT = "\"message\":{\"text\":\"Hi\"}";
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** Reads a dead letter as strictly as a consumer should: one object, no field twice. */
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  // ------------------------------------------------------------------ the corpus

  /** A rejected record: what it is, its bytes, its problem, and words its reason must hold. */
  static Stream<Arguments> rejected() {
    List<Arguments> all = new ArrayList<>();
    Rows rows = new Rows(all);

    // ---- empty, blank, byte-order marks
    rows.add("empty record", new byte[0], Problem.NOT_JSON, "empty record");
    rows.add("blank record", utf8("   "), Problem.NOT_JSON, "empty record");
    rows.add("a CRLF alone", utf8("\r\n"), Problem.NOT_JSON, "empty record");
    rows.add("tabs and spaces", utf8("\t \t"), Problem.NOT_JSON, "empty record");
    rows.add("a byte-order mark alone", BOM, Problem.NOT_JSON, "empty record");
    rows.add(
        "a byte-order mark and a blank",
        concat(BOM, utf8(" \r\n")),
        Problem.NOT_JSON,
        "empty record");

    // ---- NUL bytes, raw and escaped
    rows.add(
        "a raw NUL in a string",
        utf8("{" + UE.replace("u-1", "u\u00001") + "}"),
        Problem.NOT_JSON,
        "(U+0000)");
    rows.add(
        "a raw NUL between fields",
        utf8("{" + UE + ",\u0000\"x\":1}"),
        Problem.NOT_JSON,
        "not valid JSON");
    rows.add(
        "a raw NUL after the record",
        utf8("{" + UE + "}\u0000"),
        Problem.NOT_JSON,
        "not valid JSON");
    rows.add("a NUL alone", new byte[] {0}, Problem.NOT_JSON, "not valid JSON");
    rows.add(
        "an escaped NUL in a user id",
        utf8("{" + UE.replace("u-1", "u\\u00001") + "}"),
        Problem.BAD_VALUE,
        "field 'user' contains the control character U+0000 at character 2");

    // ---- bytes that are not UTF-8
    rows.add(
        "a lone continuation byte",
        withUser(0x80),
        Problem.BAD_ENCODING,
        "byte 0x80 (byte 101 of the record)");
    rows.add("an overlong NUL (C0 80)", withUser(0xC0, 0x80), Problem.BAD_ENCODING, "byte 0xC0");
    rows.add(
        "an overlong slash (E0 80 AF)",
        withUser(0xE0, 0x80, 0xAF),
        Problem.BAD_ENCODING,
        "byte 0xE0");
    rows.add(
        "a surrogate encoded (ED A0 80)",
        withUser(0xED, 0xA0, 0x80),
        Problem.BAD_ENCODING,
        "byte 0xED");
    rows.add("a byte F5", withUser(0xF5, 0x80, 0x80, 0x80), Problem.BAD_ENCODING, "byte 0xF5");
    rows.add("a byte FF", withUser(0xFF), Problem.BAD_ENCODING, "byte 0xFF");
    rows.add(
        "a sequence cut short inside", withUser(0xE2, 0x82), Problem.BAD_ENCODING, "byte 0xE2");
    rows.add(
        "a sequence cut short by the end",
        concat(utf8("{" + UE + "}"), new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}),
        Problem.BAD_ENCODING,
        "byte 0xF0");
    rows.add(
        "Latin-1 in an unknown field",
        ("{" + UE + ",\"note\":\"caf\u00e9\"}").getBytes(StandardCharsets.ISO_8859_1),
        Problem.BAD_ENCODING,
        "not valid UTF-8: byte 0xE9 (byte ");
    rows.add(
        "a bad byte after a byte-order mark",
        concat(BOM, new byte[] {(byte) 0x80}),
        Problem.BAD_ENCODING,
        "not valid UTF-8");

    // ---- size and nesting
    rows.add(
        "1 MiB and one byte",
        padded(Bounds.MAX_RECORD_BYTES + 1),
        Problem.TOO_LARGE,
        "larger than 1048576 bytes");
    rows.add(
        "1 MiB and one byte that is not UTF-8",
        concat(padded(Bounds.MAX_RECORD_BYTES), new byte[] {(byte) 0xFF}),
        Problem.TOO_LARGE,
        "larger than 1048576 bytes");
    rows.add(
        "65 levels of arrays",
        utf8("{" + UE + ",\"x\":" + "[".repeat(64) + "]".repeat(64) + "}"),
        Problem.TOO_LARGE,
        "more than 64 levels deep");
    rows.add(
        "65 levels of objects",
        utf8("{" + UE + ",\"x\":" + "{\"a\":".repeat(63) + "{}" + "}".repeat(63) + "}"),
        Problem.TOO_LARGE,
        "more than 64 levels deep");
    rows.add(
        "100000 arrays, never closed",
        utf8("{" + UE + ",\"x\":" + "[".repeat(100_000)),
        Problem.TOO_LARGE,
        "more than 64 levels deep");
    rows.add(
        "100000 arrays as the record",
        utf8("[".repeat(100_000)),
        Problem.TOO_LARGE,
        "more than 64 levels deep");

    // ---- a field given twice
    rows.add(
        "type given twice",
        utf8("{\"type\":\"tag\",\"type\":\"interaction\"," + AT + "," + KEY + "}"),
        Problem.CONTRADICTION,
        "field 'type' appears twice in the record");
    rows.add(
        "type given twice, once escaped",
        utf8("{" + UE + ",\"typ\\u0065\":\"erase\"}"),
        Problem.CONTRADICTION,
        "field 'type' appears twice in the record");
    rows.add(
        "a nested field given twice",
        utf8("{" + C + ",\"audience\":{\"users\":[\"a\"],\"users\":[\"b\"]}," + TEXT + "}"),
        Problem.CONTRADICTION,
        "field 'audience.users' appears twice in the record");
    rows.add(
        "a field given twice in an unknown field",
        utf8("{" + UE + ",\"future\":{\"a\":[{\"b\":1,\"b\":2}]}}"),
        Problem.CONTRADICTION,
        "field 'future.a[0].b' appears twice in the record");
    rows.add(
        "a huge field name given twice",
        utf8("{" + UE + ",\"" + "k".repeat(40_000) + "\":1,\"" + "k".repeat(40_000) + "\":2}"),
        Problem.CONTRADICTION,
        "appears twice in the record");
    rows.add(
        "a lone surrogate field name given twice",
        utf8("{" + UE + ",\"\\ud800\":1,\"\\ud800\":2}"),
        Problem.CONTRADICTION,
        "field '\\ud800' appears twice in the record");

    // ---- trailing content
    rows.add(
        "a word after the record",
        utf8("{" + UE + "} x"),
        Problem.NOT_JSON,
        "more follows the record's object");
    rows.add(
        "an object after the record",
        utf8("{" + UE + "}{}"),
        Problem.NOT_JSON,
        "more follows the record's object");
    rows.add(
        "two records on one line",
        utf8("{" + UE + "}\n{" + UE + "}"),
        Problem.NOT_JSON,
        "more follows the record's object");
    rows.add("a comma after the record", utf8("{" + UE + "},"), Problem.NOT_JSON, "not valid JSON");
    rows.add(
        "a brace too many",
        utf8("{" + UE + "}}"),
        Problem.NOT_JSON,
        "more follows the record's object");

    // ---- broken JSON, with characters outside the BMP
    rows.add(
        "a character outside the BMP where a comma belongs",
        utf8("{\"type\":\"cancel\",\"campaign\":\"\uD83D\uDE00\"\uD83D\uDE00}"),
        Problem.NOT_JSON,
        "'\uD83D\uDE00' (U+1F600)");
    rows.add(
        "a character outside the BMP as a value",
        utf8("{\"type\":\uD83D\uDE00}"),
        Problem.NOT_JSON,
        "not valid JSON");
    rows.add(
        "a record cut after a character outside the BMP",
        utf8("{\"type\":\"cancel\",\"campaign\":\"\uD83D\uDE00"),
        Problem.NOT_JSON,
        "ends before its object is complete");
    rows.add(
        "a truncated object",
        utf8("{" + UE),
        Problem.NOT_JSON,
        "ends before its object is complete");
    rows.add("single quotes", utf8("{'type':'erase'}"), Problem.NOT_JSON, "not valid JSON");
    rows.add(
        "NaN", utf8("{" + C + ",\"rate\":NaN," + TEXT + "}"), Problem.NOT_JSON, "not valid JSON");
    rows.add(
        "a bad escape", utf8("{" + UE + ",\"x\":\"\\q\"}"), Problem.NOT_JSON, "not valid JSON");
    rows.add(
        "a cut unicode escape",
        utf8("{" + UE + ",\"x\":\"\\u12\"}"),
        Problem.NOT_JSON,
        "not valid JSON");
    rows.add("a JSON array", utf8("[{" + UE + "}]"), Problem.NOT_JSON, "not a JSON object");

    // ---- numbers
    rows.add(
        "a number of 1001 digits",
        utf8("{" + UE + ",\"n\":1" + "0".repeat(1000) + "}"),
        Problem.TOO_LARGE,
        "a number is longer than 1000 characters");
    rows.add(
        "a rate of 1000 digits",
        utf8("{" + C + ",\"rate\":1" + "0".repeat(999) + "," + TEXT + "}"),
        Problem.BAD_VALUE,
        "field 'rate' must be a number of decisions per second from 0.00001 to 1000000000");
    rows.add(
        "rate 0", utf8("{" + C + ",\"rate\":0," + TEXT + "}"), Problem.BAD_VALUE, "field 'rate'");
    rows.add(
        "rate 1e-300",
        utf8("{" + C + ",\"rate\":1e-300," + TEXT + "}"),
        Problem.BAD_VALUE,
        "field 'rate'");
    rows.add(
        "rate 1e10",
        utf8("{" + C + ",\"rate\":1e10," + TEXT + "}"),
        Problem.BAD_VALUE,
        "field 'rate'");
    rows.add(
        "rate 1e400",
        utf8("{" + C + ",\"rate\":1e400," + TEXT + "}"),
        Problem.BAD_VALUE,
        "field 'rate'");
    rows.add(
        "an error code of 1000 digits",
        utf8(
            "{\"type\":\"delivery\","
                + AT
                + ","
                + KEY
                + ",\"status\":\"failed\",\"error\":{\"code\":1"
                + "0".repeat(999)
                + "}}"),
        Problem.BAD_VALUE,
        "field 'error.code' is out of range (0 to 2147483647)");

    // ---- huge strings, in every kind
    String huge = "x".repeat(1_000_000);
    rows.add(
        "a huge user id",
        utf8("{" + UE.replace("u-1", huge) + "}"),
        Problem.BAD_VALUE,
        "is longer than 256 characters (1000000)");
    rows.add(
        "a huge campaign id",
        utf8("{" + C.replace("c-1", huge) + "," + TEXT + "}"),
        Problem.BAD_VALUE,
        "field 'id' is longer than 256 characters (1000000)");
    rows.add(
        "a huge token",
        utf8(
            "{\"type\":\"otn_optin\","
                + AT
                + ","
                + KEY
                + ",\"topic\":\"t\",\"token\":\""
                + huge
                + "\"}"),
        Problem.BAD_VALUE,
        "field 'token' is longer than 1024 characters (1000000)");
    rows.add(
        "a huge message text",
        utf8("{" + C + ",\"message\":{\"text\":\"" + huge + "\"}}"),
        Problem.BAD_VALUE,
        "field 'message.text' is longer than 4096 characters (1000000)");
    rows.add(
        "a huge type",
        utf8("{\"type\":\"" + huge + "\"}"),
        Problem.BAD_VALUE,
        "field 'type' is longer than 256 characters (1000000)");
    rows.add(
        "a huge channel",
        utf8("{" + UE.replace("messenger", huge) + "}"),
        Problem.BAD_VALUE,
        "…' (1000000 characters)");
    rows.add(
        "a huge instant",
        utf8("{" + UE.replace("2021-05-01T09:12:00Z", huge) + "}"),
        Problem.BAD_VALUE,
        "field 'at' is not an RFC 3339 instant");
    rows.add(
        "a huge duration",
        utf8(
            "{"
                + C
                + ",\"audience\":{\"inactiveFor\":\"P"
                + "9".repeat(100_000)
                + "D\"},"
                + TEXT
                + "}"),
        Problem.BAD_VALUE,
        "field 'audience.inactiveFor'");
    rows.add(
        "a huge user id of characters outside the BMP",
        utf8("{" + UE.replace("u-1", "\uD83D\uDE00".repeat(200_000)) + "}"),
        Problem.BAD_VALUE,
        "is longer than 256 characters (200000)");

    // ---- lone surrogate escapes
    rows.add(
        "a lone high surrogate in a user id",
        utf8("{" + UE.replace("u-1", "u\\ud800") + "}"),
        Problem.BAD_VALUE,
        "field 'user' contains a lone UTF-16 surrogate \\ud800 at character 2");
    rows.add(
        "a lone low surrogate in a token",
        utf8(
            "{\"type\":\"otn_optin\","
                + AT
                + ","
                + KEY
                + ",\"topic\":\"t\",\"token\":\"tok-\\udc00\"}"),
        Problem.BAD_VALUE,
        "field 'token' contains a lone UTF-16 surrogate \\udc00 at character 5");
    rows.add(
        "a lone surrogate in a message text",
        utf8("{" + C + ",\"message\":{\"text\":\"Hi \\ud83d\"}}"),
        Problem.BAD_VALUE,
        "field 'message.text' contains a lone UTF-16 surrogate \\ud83d at character 4");
    rows.add(
        "a lone surrogate as the type",
        utf8("{\"type\":\"\\ud800\"}"),
        Problem.BAD_VALUE,
        "field 'type' contains a lone UTF-16 surrogate");
    rows.add(
        "a lone surrogate as the channel",
        utf8("{" + UE.replace("messenger", "\\udfff") + "}"),
        Problem.BAD_VALUE,
        "got '\\udfff'");
    rows.add(
        "a lone surrogate in a huge user id",
        utf8("{" + UE.replace("u-1", "\\ud800".repeat(100_000)) + "}"),
        Problem.BAD_VALUE,
        "is longer than 256 characters (100000)");

    // ---- instants at the edges of time
    rows.add(
        "at 1969-12-31T23:59:59.999Z",
        interactionAt("1969-12-31T23:59:59.999Z"),
        Problem.BAD_VALUE,
        "outside the instants a record may carry");
    rows.add(
        "at 1970-01-01T00:00:00+00:01",
        interactionAt("1970-01-01T00:00:00+00:01"),
        Problem.BAD_VALUE,
        "outside the instants a record may carry");
    rows.add(
        "at 1970-01-01T23:58:59+23:59",
        interactionAt("1970-01-01T23:58:59+23:59"),
        Problem.BAD_VALUE,
        "outside the instants a record may carry");
    rows.add(
        "at 9999-12-31T23:59:59.999-00:01",
        interactionAt("9999-12-31T23:59:59.999-00:01"),
        Problem.BAD_VALUE,
        "outside the instants a record may carry");
    rows.add(
        "at 9999-12-31T00:01:00-23:59",
        interactionAt("9999-12-31T00:01:00-23:59"),
        Problem.BAD_VALUE,
        "outside the instants a record may carry");
    rows.add(
        "at 0000-01-01T00:00:00Z",
        interactionAt("0000-01-01T00:00:00Z"),
        Problem.BAD_VALUE,
        "outside the instants a record may carry");
    rows.add(
        "at +24:00",
        interactionAt("2021-05-01T09:12:00+24:00"),
        Problem.BAD_VALUE,
        "is not an RFC 3339 instant");
    rows.add(
        "endAt past 9999 by its offset",
        utf8("{" + C + ",\"endAt\":\"9999-12-31T23:00:00-01:00\"," + TEXT + "}"),
        Problem.BAD_VALUE,
        "field 'endAt' is '9999-12-31T23:00:00-01:00', outside the instants");

    // ---- durations
    rows.add(
        "interactedWithin P36501D",
        audience("interactedWithin", "P36501D"),
        Problem.BAD_VALUE,
        "longer than P36500D");
    rows.add(
        "inactiveFor PT876001H",
        audience("inactiveFor", "PT876001H"),
        Problem.BAD_VALUE,
        "longer than P36500D");
    rows.add(
        "inactiveFor P9223372036854775807D",
        audience("inactiveFor", "P9223372036854775807D"),
        Problem.BAD_VALUE,
        "field 'audience.inactiveFor'");
    rows.add(
        "a reminder delay of 10^20 days",
        utf8(
            "{\"type\":\"reminder\",\"id\":\"r\",\"at\":\"2021-05-01T00:00:00Z\",\"channel\":\"messenger\","
                + "\"account\":\"p\",\"afterInactivity\":\"P100000000000000000000D\",\"message\":{\"text\":\"x\"}}"),
        Problem.BAD_VALUE,
        "field 'afterInactivity'");

    return all.stream();
  }

  /** An accepted record: what it is, its bytes, and what its value must be. */
  static Stream<Arguments> accepted() {
    Instant at = Instant.parse("2021-05-01T09:12:00Z");
    Consumer<InputRecord> any = r -> {};
    return Stream.of(
        Arguments.of(
            "an unknown field whose name is 50,001 characters long",
            utf8("{" + UE + ",\"" + "k".repeat(50_001) + "\":1}"),
            (Consumer<InputRecord>) r -> assertThat(r).isEqualTo(plain())),
        Arguments.of(
            "a byte-order mark before the record",
            concat(BOM, utf8("{" + UE + "}")),
            (Consumer<InputRecord>) r -> assertThat(r).isEqualTo(plain())),
        Arguments.of(
            "a CRLF line ending",
            utf8("{" + UE + "}\r\n"),
            (Consumer<InputRecord>) r -> assertThat(r).isEqualTo(plain())),
        Arguments.of(
            "CRLF between the fields",
            utf8("{\r\n" + UE.replace(",", ",\r\n") + "\r\n}\r\n"),
            (Consumer<InputRecord>) r -> assertThat(r).isEqualTo(plain())),
        Arguments.of(
            "a byte-order mark, spaces and CRLF",
            concat(BOM, utf8("  {" + UE + "}  \r\n")),
            (Consumer<InputRecord>) r -> assertThat(r).isEqualTo(plain())),
        Arguments.of(
            "an escaped NUL in an unknown field",
            utf8("{" + UE + ",\"note\":\"\\u0000\"}"),
            (Consumer<InputRecord>) r -> assertThat(r).isEqualTo(plain())),
        Arguments.of(
            "a lone surrogate in an unknown field",
            utf8("{" + UE + ",\"note\":\"\\ud800\",\"\\udc00\":[\"\\udbff\"]}"),
            (Consumer<InputRecord>) r -> assertThat(r).isEqualTo(plain())),
        Arguments.of(
            "a number of 1000 digits in an unknown field",
            utf8("{" + UE + ",\"n\":1" + "0".repeat(999) + "}"),
            (Consumer<InputRecord>) r -> assertThat(r).isEqualTo(plain())),
        Arguments.of(
            "64 levels of nesting",
            utf8("{" + UE + ",\"x\":" + "[".repeat(63) + "]".repeat(63) + "}"),
            (Consumer<InputRecord>) r -> assertThat(r).isEqualTo(plain())),
        Arguments.of("a record of exactly 1 MiB", padded(Bounds.MAX_RECORD_BYTES), any),
        Arguments.of(
            "a huge unknown field name",
            utf8("{" + UE + ",\"" + "k".repeat(50_000) + "\":true}"),
            (Consumer<InputRecord>) r -> assertThat(r).isEqualTo(plain())),
        Arguments.of(
            "characters outside the BMP in a user id and a text",
            utf8(
                "{"
                    + C
                    + ",\"audience\":{\"users\":[\"u-\uD83D\uDE00\"]},"
                    + "\"message\":{\"text\":\"Wine \uD83C\uDF77\\ud83c\\udf77\"}}"),
            (Consumer<InputRecord>)
                r -> {
                  Campaign c = (Campaign) r;
                  assertThat(c.audience().users()).containsExactly("u-\uD83D\uDE00");
                  assertThat(c.message().text()).isEqualTo("Wine \uD83C\uDF77\uD83C\uDF77");
                }),
        Arguments.of(
            "a user id of 256 characters outside the BMP",
            utf8("{" + UE.replace("u-1", "\uD83D\uDE00".repeat(256)) + "}"),
            (Consumer<InputRecord>) r -> assertThat(((Interaction) r).key().user()).hasSize(512)),
        Arguments.of(
            "tab, CR and LF in a message text",
            utf8("{" + C + ",\"message\":{\"text\":\"a\\tb\\r\\nc\"}}"),
            (Consumer<InputRecord>)
                r -> assertThat(((Campaign) r).message().text()).isEqualTo("a\tb\r\nc")),
        Arguments.of(
            "a token with U+2028 and U+FEFF",
            utf8(
                "{\"type\":\"otn_optin\","
                    + AT
                    + ","
                    + KEY
                    + ",\"topic\":\"t\",\"token\":\"a\u2028b\uFEFF\"}"),
            (Consumer<InputRecord>)
                r -> assertThat(((OtnOptin) r).token()).isEqualTo("a\u2028b\uFEFF")),
        Arguments.of(
            "at 1970-01-01T00:00:00Z", interactionAt("1970-01-01T00:00:00Z"), atIs(Instant.EPOCH)),
        Arguments.of(
            "at 1970-01-01T23:59:00+23:59",
            interactionAt("1970-01-01T23:59:00+23:59"),
            atIs(Instant.EPOCH)),
        Arguments.of(
            "at 9999-12-31T23:59:59.999Z",
            interactionAt("9999-12-31T23:59:59.999Z"),
            atIs(Bounds.LATEST)),
        Arguments.of(
            "at 9999-12-31T23:59:59.9999999Z",
            interactionAt("9999-12-31T23:59:59.9999999Z"),
            atIs(Bounds.LATEST)),
        Arguments.of(
            "at 9999-12-31T00:00:59.999-23:59",
            interactionAt("9999-12-31T00:00:59.999-23:59"),
            atIs(Bounds.LATEST)),
        Arguments.of("an offset of +23:59", interactionAt("2021-05-02T09:11:00+23:59"), atIs(at)),
        Arguments.of("an offset of -23:59", interactionAt("2021-04-30T09:13:00-23:59"), atIs(at)),
        Arguments.of("an offset of +18:00", interactionAt("2021-05-02T03:12:00+18:00"), atIs(at)),
        Arguments.of("rate 0.00001", rate("0.00001"), rateIs(0.00001)),
        Arguments.of("rate 1e-5", rate("1e-5"), rateIs(0.00001)),
        Arguments.of("rate 1e9", rate("1e9"), rateIs(1e9)),
        Arguments.of("rate 1000000000", rate("1000000000"), rateIs(1e9)),
        Arguments.of(
            "interactedWithin P36500D",
            audience("interactedWithin", "P36500D"),
            (Consumer<InputRecord>)
                r ->
                    assertThat(((Campaign) r).audience().interactedWithin())
                        .isEqualTo(Duration.ofDays(36_500))),
        Arguments.of(
            "inactiveFor PT876000H",
            audience("inactiveFor", "PT876000H"),
            (Consumer<InputRecord>)
                r ->
                    assertThat(((Campaign) r).audience().inactiveFor())
                        .isEqualTo(Duration.ofDays(36_500))),
        Arguments.of(
            "error code 2147483647",
            utf8(
                "{\"type\":\"delivery\","
                    + AT
                    + ","
                    + KEY
                    + ",\"status\":\"failed\",\"error\":{\"code\":2147483647,\"subcode\":0}}"),
            any));
  }

  // ------------------------------------------------------------------ the checks

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void aPoisonRecordIsRejectedWithAShortReasonInHeraldsWords(
      String what, byte[] record, Problem problem, String words) {
    Parsed<InputRecord> parsed = RecordCodec.parse(record);

    assertThat(parsed.isOk()).as("accepted").isFalse();
    assertThat(parsed.problem()).as(parsed.reason()).isEqualTo(problem);
    assertThat(parsed.reason()).contains(words);
    assertReadable(parsed.reason());
    assertThat(RecordCodec.parseUserEvent(record).isOk()).isFalse();
    assertThat(RecordCodec.parseControl(record).isOk()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void theTextOfAPoisonRecordIsRejectedAlikeWhenItIsUtf8(
      String what, byte[] record, Problem problem, String words) {
    if (problem == Problem.BAD_ENCODING) {
      return; // as text, the bad bytes would already be replaced
    }
    Parsed<InputRecord> bytes = RecordCodec.parse(record);
    Parsed<InputRecord> text = RecordCodec.parse(new String(record, StandardCharsets.UTF_8));

    assertThat(text.problem()).isEqualTo(bytes.problem());
    assertThat(text.reason()).isEqualTo(bytes.reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void theDeadLetterOfAPoisonRecordAlwaysWrites(
      String what, byte[] record, Problem problem, String words) throws Exception {
    Parsed<InputRecord> parsed = RecordCodec.parse(record);
    DeadLetter letter = DeadLetter.ofBytes(parsed.at(), "input.jsonl:7", parsed.reason(), record);

    String line = RecordCodec.write(letter);

    byte[] utf8 = encodeStrictly(line);
    JsonNode read = STRICT.readTree(decodeStrictly(utf8));
    assertThat(read.get("reason").asText()).isEqualTo(parsed.reason());
    assertThat(read.get("source").asText()).isEqualTo("input.jsonl:7");
    assertThat(Schemas.errors("dead-letter.schema.json", line)).as(line).isEmpty();
    String input = read.get("input").asText();
    if (Text.firstInvalidUtf8(record, 0, record.length) < 0) {
      String whole = new String(record, StandardCharsets.UTF_8);
      assertThat(whole).startsWith(input);
      assertThat(input.getBytes(StandardCharsets.UTF_8).length)
          .isEqualTo(Math.min(record.length, DeadLetter.MAX_INPUT_BYTES) - cutShort(record));
    } else if (Text.firstInvalidUtf8(record, 0, Math.min(record.length, 4096)) >= 0) {
      assertThat(input).contains("\\x");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void anEdgeRecordIsAcceptedAndWritesBackToAnEqualValue(
      String what, byte[] record, Consumer<InputRecord> expectation) throws Exception {
    Parsed<InputRecord> parsed = RecordCodec.parse(record);

    assertThat(parsed.reason()).isNull();
    expectation.accept(parsed.value());
    String written = RecordCodec.write(parsed.value());
    byte[] utf8 = encodeStrictly(written);
    assertThat(STRICT.readTree(decodeStrictly(utf8)).isObject()).isTrue();
    assertThat(RecordCodec.parse(utf8).value()).isEqualTo(parsed.value());
    assertThat(RecordCodec.parse(written).value()).isEqualTo(parsed.value());
    assertThat(RecordCodec.parse(new String(record, StandardCharsets.UTF_8)).value())
        .isEqualTo(parsed.value());
  }

  /**
   * A record of 1 MiB whose wide array sits under 60 nested field names of 8,000 characters: read
   * in a fraction of a second (it took half a minute when every value's path was built as text).
   */
  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aWideArrayUnderLongFieldNamesIsReadInLinearTime() {
    StringBuilder b = new StringBuilder("{" + UE);
    for (int level = 0; level < 60; level++) {
      b.append(level == 0 ? ",\"" : "{\"").append((char) ('a' + level % 26));
      b.append("k".repeat(8_000)).append("\":");
    }
    String end = ",{\"x\":1,\"x\":2}]" + "}".repeat(60);
    b.append("[0");
    while (b.length() < Bounds.MAX_RECORD_BYTES - end.length() - 2) {
      b.append(",0");
    }
    String wide = b + "]" + "}".repeat(60);
    String twice = b + end;

    assertThat(RecordCodec.parse(utf8(wide)).reason()).isNull();
    Parsed<InputRecord> duplicate = RecordCodec.parse(utf8(twice));
    assertThat(duplicate.reason()).contains("appears twice in the record").startsWith("field 'ak");
    assertReadable(duplicate.reason());
  }

  /** A reason a person reads: short, encodable, and without the parser's own names. */
  private static void assertReadable(String reason) {
    assertThat(reason).isNotBlank();
    assertThat(reason.length()).as(reason).isLessThanOrEqualTo(Text.MAX_REASON);
    assertThat(Text.firstLoneSurrogate(reason)).as(reason).isEqualTo(-1);
    assertThat(reason)
        .doesNotContain("`")
        .doesNotContain("com.fasterxml")
        .doesNotContainIgnoringCase("jackson")
        .doesNotContain("Feature")
        .doesNotContain("StreamReadConstraints");
    assertThat(reason.chars().filter(c -> c < 0x20)).as(reason).isEmpty();
  }

  // ------------------------------------------------------------------ building records

  /** Adds rejected rows. */
  private record Rows(List<Arguments> all) {
    void add(String what, byte[] record, Problem problem, String words) {
      all.add(Arguments.of(what, record, problem, words));
    }
  }

  private static InputRecord plain() {
    return RecordCodec.parse("{" + UE + "}").value();
  }

  private static Consumer<InputRecord> atIs(Instant expected) {
    return r -> assertThat(r.at()).isEqualTo(expected);
  }

  private static Consumer<InputRecord> rateIs(double expected) {
    return r -> assertThat(((Campaign) r).rate()).isEqualTo(expected);
  }

  private static byte[] interactionAt(String at) {
    return utf8("{\"type\":\"interaction\",\"at\":\"" + at + "\"," + KEY + "}");
  }

  private static byte[] rate(String rate) {
    return utf8("{" + C + ",\"rate\":" + rate + "," + TEXT + "}");
  }

  private static byte[] audience(String field, String duration) {
    return utf8("{" + C + ",\"audience\":{\"" + field + "\":\"" + duration + "\"}," + TEXT + "}");
  }

  /** An interaction whose user id holds {@code bytes} after {@code u}. */
  private static byte[] withUser(int... bytes) {
    byte[] raw = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      raw[i] = (byte) bytes[i];
    }
    String[] parts = ("{" + UE + "}").split("u-1", 2);
    return concat(utf8(parts[0] + "u"), raw, utf8(parts[1]));
  }

  /** A valid interaction padded with spaces to exactly {@code length} bytes. */
  private static byte[] padded(int length) {
    byte[] record = utf8("{" + UE + ",\"pad\":\"\"}");
    byte[] out = new byte[length];
    int padding = length - record.length;
    int quote = record.length - 2; // the closing quote of the pad
    System.arraycopy(record, 0, out, 0, quote);
    java.util.Arrays.fill(out, quote, quote + padding, (byte) ' ');
    System.arraycopy(record, quote, out, quote + padding, 2);
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** How many bytes short of 4 KiB a cut of {@code record} stops, not to split a character. */
  private static int cutShort(byte[] record) {
    if (record.length <= DeadLetter.MAX_INPUT_BYTES) {
      return 0;
    }
    int end = DeadLetter.MAX_INPUT_BYTES;
    while ((record[end] & 0xC0) == 0x80) {
      end--;
    }
    return DeadLetter.MAX_INPUT_BYTES - end;
  }

  private static byte[] encodeStrictly(String s) throws CharacterCodingException {
    ByteBuffer b =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .encode(CharBuffer.wrap(s));
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static String decodeStrictly(byte[] utf8) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(utf8))
        .toString();
  }
}
