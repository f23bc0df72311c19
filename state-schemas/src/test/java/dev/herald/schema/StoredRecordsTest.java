package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Reminder;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RecordCodec#readStoredControl}: campaign records the job stored itself read back by their
 * structure, whatever the rules of the contract say today.
 */
class StoredRecordsTest {

  private static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  private static final String C =
      "'type':'campaign','id':'c-1','at':'2021-05-03T08:00:00Z','channel':'messenger',"
          + "'account':'page-1'";
  private static final String R =
      "'type':'reminder','id':'r-1','at':'2021-05-01T00:00:00Z','channel':'messenger',"
          + "'account':'page-1'";

  static Stream<Arguments> controlRecords() {
    return Examples.inputRecords()
        .filter(a -> RecordCodec.parse((String) a.get()[1]).value() instanceof ControlRecord);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("controlRecords")
  void whatTheJobWritesReadsBackAsTheSameRecord(String where, String line) {
    ControlRecord parsed = RecordCodec.parseControl(line).value();

    Parsed<ControlRecord> stored = RecordCodec.readStoredControl(RecordCodec.write(parsed));

    assertThat(stored.reason()).as(where).isNull();
    assertThat(stored.value()).as(where).isEqualTo(parsed);
  }

  /** Defaults, nulls and unknown fields read as the codec reads them: an older writer's form. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("controlRecords")
  void aValidRecordAsWrittenReadsAsTheCodecReadsIt(String where, String line) {
    assertThat(RecordCodec.readStoredControl(line).value())
        .as(where)
        .isEqualTo(RecordCodec.parseControl(line).value());
  }

  @Test
  void aByteOrderMarkBeforeTheRecordIsIgnored() {
    String line = json("{" + C + ",'message':{'text':'Hi'}}");

    assertThat(RecordCodec.readStoredControl("\uFEFF" + line).value())
        .isEqualTo(RecordCodec.parseControl(line).value());
  }

  /**
   * Records an earlier version may have taken, which today's rules reject: stored, they read back,
   * value for value.
   */
  static Stream<Arguments> rejectedByTodaysRules() {
    String longId = "c-" + "x".repeat(300);
    return Stream.of(
        Arguments.of(
            "an id longer than a name may be",
            json("{" + C.replace("'c-1'", "'" + longId + "'") + ",'message':{'text':'Hi'}}"),
            Problem.BAD_VALUE),
        Arguments.of(
            "a control character in an id",
            json("{" + C.replace("c-1", "c\\u00011") + ",'message':{'text':'Hi'}}"),
            Problem.BAD_VALUE),
        Arguments.of(
            "a rate above the highest",
            json("{" + C + ",'rate':5e9,'message':{'text':'Hi'}}"),
            Problem.BAD_VALUE),
        Arguments.of(
            "a rate of zero",
            json("{" + C + ",'rate':0,'message':{'text':'Hi'}}"),
            Problem.BAD_VALUE),
        Arguments.of(
            "an instant before the earliest",
            json(
                "{"
                    + C.replace("2021-05-03T08:00:00Z", "1969-12-31T23:59:59Z")
                    + ",'message':{'text':'Hi'}}"),
            Problem.BAD_VALUE),
        Arguments.of(
            "an end before the start",
            json("{" + C + ",'endAt':'2021-05-03T07:00:00Z','message':{'text':'Hi'}}"),
            Problem.CONTRADICTION),
        Arguments.of(
            "OTN without a topic",
            json("{" + C + ",'outsideWindow':'OTN','message':{'text':'Hi'}}"),
            Problem.CONTRADICTION),
        Arguments.of(
            "a template on messenger",
            json(
                "{"
                    + C
                    + ",'template':{'name':'t','language':'en','category':'MARKETING'},"
                    + "'message':{'text':'Hi'}}"),
            Problem.CONTRADICTION),
        Arguments.of("neither a text nor a template", json("{" + C + "}"), Problem.CONTRADICTION),
        Arguments.of(
            "more tags than allowed",
            json("{" + C + ",'audience':{'anyTags':[" + tags(101) + "]},'message':{'text':'Hi'}}"),
            Problem.BAD_VALUE),
        Arguments.of(
            "a reminder delay of a day or more",
            json("{" + R + ",'afterInactivity':'PT30H','message':{'text':'Back?'}}"),
            Problem.CONTRADICTION),
        Arguments.of(
            "an audience duration above the longest",
            json(
                "{"
                    + R
                    + ",'afterInactivity':'PT1H','audience':{'inactiveFor':'P40000D'},"
                    + "'message':{'text':'Back?'}}"),
            Problem.BAD_VALUE),
        Arguments.of(
            "a record larger than a record may be",
            json("{" + C + ",'message':{'text':'" + "x".repeat(Bounds.MAX_RECORD_BYTES) + "'}}"),
            Problem.TOO_LARGE));
  }

  private static String tags(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("'t").append(i).append("'");
    }
    return b.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedByTodaysRules")
  void aRecordTodaysRulesRejectStillReadsWhenStored(String what, String json, Problem today) {
    assertThat(RecordCodec.parseControl(json).problem()).as("today's codec").isEqualTo(today);

    Parsed<ControlRecord> stored = RecordCodec.readStoredControl(json);

    assertThat(stored.reason()).as(what).isNull();
    // Written and read back again, it is the same record: the job can snapshot it again.
    assertThat(RecordCodec.readStoredControl(RecordCodec.write(stored.value())).value())
        .isEqualTo(stored.value());
  }

  @Test
  void theValuesBeyondTheBoundsAreKeptAsTheyWere() {
    Campaign c =
        (Campaign)
            RecordCodec.readStoredControl(
                    json(
                        "{"
                            + C
                            + ",'endAt':'2021-05-03T07:00:00Z','rate':5e9,"
                            + "'outsideWindow':'OTN','message':{'text':'Hi'}}"))
                .value();
    assertThat(c.rate()).isEqualTo(5e9);
    assertThat(c.endAt()).isEqualTo(Instant.parse("2021-05-03T07:00:00Z"));
    assertThat(c.outsideWindow()).isEqualTo(Fallback.OTN);
    assertThat(c.topic()).isNull();

    Reminder r =
        (Reminder)
            RecordCodec.readStoredControl(
                    json("{" + R + ",'afterInactivity':'PT30H','message':{'text':'Back?'}}"))
                .value();
    assertThat(r.afterInactivity()).isEqualTo(Duration.ofHours(30));
  }

  static Stream<Arguments> withoutAStructure() {
    return Stream.of(
        Arguments.of("", Problem.NOT_JSON, "empty record"),
        Arguments.of("{", Problem.NOT_JSON, "not valid JSON: *"),
        Arguments.of("[1]", Problem.NOT_JSON, "not a JSON object (got array)"),
        Arguments.of(
            json("{'type':'interaction'}"),
            Problem.UNKNOWN_TYPE,
            "unknown campaign record type 'interaction' (expected one of campaign, reminder,"
                + " cancel, account)"),
        Arguments.of(
            json("{'type':'campaign','at':'2021-05-03T08:00:00Z','channel':'messenger'}"),
            Problem.MISSING_FIELD,
            "missing required field 'id'"),
        Arguments.of(
            json("{" + C.replace("'c-1'", "7") + "}"),
            Problem.WRONG_TYPE,
            "field 'id' must be a string, got number"),
        Arguments.of(
            json("{" + C.replace("messenger", "telegram") + "}"),
            Problem.BAD_VALUE,
            "field 'channel' is not one of messenger, instagram, whatsapp: 'telegram'"),
        Arguments.of(
            json("{" + C.replace("2021-05-03T08:00:00Z", "yesterday") + "}"),
            Problem.BAD_VALUE,
            "field 'at' is not an instant: 'yesterday'"),
        Arguments.of(
            json("{" + C + ",'message':{'variants':[{'name':'v'}]}}"),
            Problem.MISSING_FIELD,
            "missing required field 'message.variants[0].text'"),
        Arguments.of(
            json("{" + R + ",'afterInactivity':'soon','message':{'text':'Back?'}}"),
            Problem.BAD_VALUE,
            "field 'afterInactivity' is not a duration: 'soon'"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("withoutAStructure")
  void aRecordThatCannotBeBuiltIsRejectedWithItsReason(
      String json, Problem problem, String reason) {
    Parsed<ControlRecord> stored = RecordCodec.readStoredControl(json);

    assertThat(stored.isOk()).isFalse();
    assertThat(stored.problem()).isEqualTo(problem);
    if (reason.endsWith("*")) {
      assertThat(stored.reason()).startsWith(reason.substring(0, reason.length() - 1));
    } else {
      assertThat(stored.reason()).isEqualTo(reason);
    }
  }
}
