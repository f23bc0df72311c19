package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
      })
  void classifiesTheProblem(Problem expected, String record) {
    String json = record.replace("KEY", KEY).replace("{C,", "{" + C + ",").replace('\'', '"');
    Parsed<InputRecord> parsed = RecordCodec.parse(json);
    assertThat(parsed.isOk()).isFalse();
    assertThat(parsed.problem()).as(parsed.reason()).isEqualTo(expected);
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
