package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rejection is classed as one of a few problems, for the dead-letter counters. */
class ProblemTest {

  private static final String KEY = "'channel':'messenger','account':'page-1','user':'u-1'";
  private static final String C =
      "'type':'campaign','id':'c-1','at':'2021-05-03T08:00:00Z','channel':'messenger','account':'page-1'";

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "NOT_JSON | not json",
        "NOT_JSON | []",
        "NOT_JSON | '   '",
        "UNKNOWN_TYPE | {'type':'click','at':'2021-05-01T00:00:00Z'}",
        "MISSING_FIELD | {'type':'interaction','at':'2021-05-01T00:00:00Z','channel':'messenger','account':'page-1'}",
        "MISSING_FIELD | {'type':'otn_optin','at':'2021-05-01T00:00:00Z',KEY,'topic':'t','token':null}",
        "WRONG_TYPE | {'type':'interaction','at':'2021-05-01T00:00:00Z',KEY,'breadcrumb':'yes'}",
        "WRONG_TYPE | {C,'rate':'10','message':{'text':'Hi'}}",
        "BAD_VALUE | {'type':'interaction','at':'2021-13-01T00:00:00Z',KEY}",
        "BAD_VALUE | {'type':'interaction','at':'2021-05-01T00:00:00Z',KEY,'kind':'wave'}",
        "BAD_VALUE | {C,'message':{'text':''}}",
        "BAD_VALUE | {'type':'reminder','id':'r','at':'2021-05-01T00:00:00Z','channel':'messenger','account':'p','afterInactivity':'P1W','message':{'text':'x'}}",
        "CONTRADICTION | {C,'outsideWindow':'OTN','message':{'text':'Hi'}}",
        "CONTRADICTION | {C,'endAt':'2021-05-03T08:00:00Z','message':{'text':'Hi'}}",
        "CONTRADICTION | {'type':'tag','at':'2021-05-01T00:00:00Z',KEY}",
        "CONTRADICTION | {'type':'tag','type':'tag','at':'2021-05-01T00:00:00Z',KEY,'add':['a']}",
        "BAD_VALUE | {'type':'interaction','at':'2021-05-01T00:00:00Z','channel':'messenger','account':'page-1','user':'u\\ud800'}",
        "BAD_VALUE | {'type':'interaction','at':'1969-12-31T23:59:59Z',KEY}",
        "BAD_VALUE | {C,'rate':1e-300,'message':{'text':'Hi'}}",
        "BAD_VALUE | {C,'audience':{'inactiveFor':'P36501D'},'message':{'text':'Hi'}}",
        "BAD_VALUE | {'type':'tag','at':'2021-05-01T00:00:00Z',KEY,'add':['a\\u0000']}",
        "TOO_LARGE | {'type':'interaction','at':'2021-05-01T00:00:00Z',KEY,'n':1DIGITS}",
        "TOO_LARGE | {'type':'interaction','at':'2021-05-01T00:00:00Z',KEY,'x':DEEP}",
      })
  void classifiesTheProblem(Problem expected, String record) {
    String json =
        record
            .replace("KEY", KEY)
            .replace("{C,", "{" + C + ",")
            .replace("DIGITS", "0".repeat(1000))
            .replace("DEEP", "[".repeat(64) + "]".repeat(64))
            .replace('\'', '"');
    Parsed<InputRecord> parsed = RecordCodec.parse(json);
    assertThat(parsed.isOk()).isFalse();
    assertThat(parsed.problem()).as(parsed.reason()).isEqualTo(expected);
  }

  static Stream<Arguments> rawRecords() {
    byte[] large = new byte[Bounds.MAX_RECORD_BYTES + 1];
    Arrays.fill(large, (byte) ' ');
    byte[] start = "{\"type\":\"erase\"}".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(start, 0, large, 0, start.length);
    return Stream.of(
        Arguments.of(Problem.BAD_ENCODING, "a byte FF", withUser(0x75, 0xFF)),
        Arguments.of(Problem.BAD_ENCODING, "a lone continuation byte", withUser(0x80)),
        Arguments.of(Problem.BAD_ENCODING, "an overlong NUL (C0 80)", withUser(0xC0, 0x80)),
        Arguments.of(Problem.BAD_ENCODING, "a surrogate (ED A0 80)", withUser(0xED, 0xA0, 0x80)),
        Arguments.of(Problem.BAD_ENCODING, "a sequence cut short (E2 82)", withUser(0xE2, 0x82)),
        Arguments.of(
            Problem.BAD_ENCODING, "above U+10FFFF (F4 90 80 80)", withUser(0xF4, 0x90, 0x80, 0x80)),
        Arguments.of(
            Problem.BAD_ENCODING,
            "Latin-1 text",
            "{\"type\":\"tag\",\"add\":[\"caf\u00e9\"]}".getBytes(StandardCharsets.ISO_8859_1)),
        Arguments.of(Problem.TOO_LARGE, "1 MiB and one byte", large),
        Arguments.of(Problem.NOT_JSON, "a blank record", " \r\n".getBytes(StandardCharsets.UTF_8)),
        Arguments.of(
            Problem.NOT_JSON,
            "a byte-order mark alone",
            new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}));
  }

  /** An interaction whose user id holds {@code bytes}. */
  private static byte[] withUser(int... bytes) {
    byte[] head =
        ("{\"type\":\"interaction\",\"at\":\"2021-05-01T00:00:00Z\",\"channel\":\"messenger\","
                + "\"account\":\"page-1\",\"user\":\"u")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(head, head.length + bytes.length + tail.length);
    for (int i = 0; i < bytes.length; i++) {
      out[head.length + i] = (byte) bytes[i];
    }
    System.arraycopy(tail, 0, out, head.length + bytes.length, tail.length);
    return out;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rawRecords")
  void classifiesTheProblemOfRawBytes(Problem expected, String what, byte[] record) {
    Parsed<InputRecord> parsed = RecordCodec.parse(record);

    assertThat(parsed.isOk()).isFalse();
    assertThat(parsed.problem()).as(parsed.reason()).isEqualTo(expected);
    // The same record read as text cannot be badly encoded: decoding has replaced the bad bytes.
    if (expected != Problem.BAD_ENCODING) {
      assertThat(RecordCodec.parse(new String(record, StandardCharsets.UTF_8)).problem())
          .isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'type':'campaign','id':'c','at':'2021-05-01T00:00:00Z','channel':'messenger','account':'p','message':{'text':'x'}}",
      })
  void aCampaignRecordOnTheUserEventsInputIsTheWrongInput(String record) {
    Parsed<UserEvent> parsed = RecordCodec.parseUserEvent(record.replace('\'', '"'));
    assertThat(parsed.problem()).isEqualTo(Problem.WRONG_INPUT);
    Parsed<ControlRecord> other =
        RecordCodec.parseControl(
            ("{'type':'interaction','at':'2021-05-01T00:00:00Z'," + KEY + "}").replace('\'', '"'));
    assertThat(other.problem()).isEqualTo(Problem.WRONG_INPUT);
    assertThat(RecordCodec.parse(record.replace('\'', '"')).problem()).isNull();
  }
}
