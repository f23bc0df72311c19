package dev.herald.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.policy.CampaignBook;
import dev.herald.policy.PolicyConfig;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.Decision;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the committed snapshots of the decision operator's state ({@code
 * state-fixtures/decision-operator-format-<N>.snapshot}), read back by {@link
 * DecisionOperatorFormatTest}. Not part of the build: its name is not a test's, and it writes only
 * when asked to, from the root of the repository:
 *
 * <pre>
 * mvn -B -q -pl jobs -am test -Dtest=DecisionOperatorFixtures \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfixtures.write=true
 * </pre>
 *
 * <p>It refuses to overwrite a fixture: a committed fixture pins what an earlier version of the job
 * wrote and is never regenerated (see the README beside the fixtures).
 *
 * <p>The state: a campaign started with a rate, part of its users decided ({@code rated}); a rated
 * campaign cancelled during its spread ({@code stopped}); a campaign cancelled before its start
 * ({@code withdrawn}); an armed reminder ({@code nudge}); records waiting for event time (a
 * campaign {@code later}, a repeated id {@code rated}, a cancel of {@code nudge}); six users with
 * state, tags, buffered events, armed decisions and reminders, and their timers.
 */
class DecisionOperatorFixtures {

  /** The format of the campaign book this version writes; names the fixture. */
  static final int FORMAT = CampaignBook.FORMAT;

  /** Where the fixtures are, from the {@code jobs} module (the tests' working directory). */
  static final Path DIRECTORY = Path.of("src/test/resources/state-fixtures");

  static final Instant START = Instant.parse("2021-06-01T12:00:00Z");

  /** The watermark when the snapshot is taken: the spreads are under way. */
  static final Instant SNAPSHOT_AT = START.plusMillis(2500);

  private static final String PAGE = "'channel':'messenger','account':'page-1'";

  /**
   * The input before the snapshot, in order of arrival: single quotes stand for double quotes.
   * Never change it once a fixture is written from it: the restore tests expect its state.
   */
  static final List<String> INPUT =
      List.of(
          "{'type':'reminder','id':'nudge','at':'2021-06-01T11:00:00Z',"
              + PAGE
              + ",'afterInactivity':'PT45M','message':{'text':'Still there?'}}",
          interaction("u-1", "2021-06-01T11:50:00Z"),
          interaction("u-2", "2021-06-01T11:50:00Z"),
          interaction("u-3", "2021-06-01T11:50:00Z"),
          interaction("u-4", "2021-06-01T11:50:00Z"),
          "{'type':'tag','at':'2021-06-01T11:55:00Z'," + PAGE + ",'user':'u-2','add':['vip']}",
          "{'type':'campaign','id':'rated','at':'2021-06-01T12:00:00Z',"
              + PAGE
              + ",'rate':1,'message':{'text':'One a second'}}",
          "{'type':'campaign','id':'stopped','at':'2021-06-01T12:00:00Z',"
              + PAGE
              + ",'rate':0.5,'message':{'text':'Stopped halfway'}}",
          "{'type':'campaign','id':'withdrawn','at':'2021-06-01T12:00:00Z',"
              + PAGE
              + ",'startAt':'2021-06-01T13:00:00Z','message':{'text':'Never sent'}}",
          "{'type':'cancel','campaign':'stopped','at':'2021-06-01T12:00:01Z'}",
          "{'type':'cancel','campaign':'withdrawn','at':'2021-06-01T12:00:01Z'}",
          // Ahead of the watermark: buffered, with a timer.
          interaction("u-5", "2021-06-01T12:30:00Z"),
          "{'type':'tag','at':'2021-06-01T12:30:00Z'," + PAGE + ",'user':'u-5','add':['vip']}",
          interaction("u-6", "2021-06-01T14:30:00Z"),
          // Waiting in the book for event time; the first as a person wrote it.
          "{ 'at': '2021-06-01T14:00:00Z', 'type': 'campaign', 'id': 'later', "
              + PAGE
              + ", 'audience': {'anyTags': ['vip']}, 'message': {'text': 'For the VIPs'},"
              + " 'note': 'unknown fields are ignored' }",
          "{'type':'campaign','id':'rated','at':'2021-06-01T14:00:00Z',"
              + PAGE
              + ",'message':{'text':'A repeated id'}}",
          "{'type':'cancel','campaign':'nudge','at':'2021-06-01T15:00:00Z'}");

  private static String interaction(String user, String at) {
    return "{'type':'interaction','at':'"
        + at
        + "',"
        + PAGE
        + ",'user':'"
        + user
        + "','interaction':'/menu'}";
  }

  /** The origin of the {@code i}-th input record (from 1), as a source would name it. */
  static String origin(int line) {
    return "fixture.jsonl:" + line;
  }

  /** Feeds {@link #INPUT} to {@code h} and moves the watermark to {@link #SNAPSHOT_AT}. */
  static void run(
      KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision> h)
      throws Exception {
    int line = 0;
    for (String text : INPUT) {
      line++;
      String json = text.replace('\'', '"');
      Parsed<InputRecord> parsed = RecordCodec.parse(json);
      assertThat(parsed.reason()).as(json).isNull();
      InputRecord r = parsed.value();
      if (r instanceof UserEvent e) {
        h.processElement1(new StreamRecord<>(e, e.at().toEpochMilli()));
      } else {
        h.processElement2(
            new StreamRecord<>(
                new ControlInput((ControlRecord) r, origin(line), json), r.at().toEpochMilli()));
      }
    }
    h.processBothWatermarks(new Watermark(SNAPSHOT_AT.toEpochMilli()));
  }

  /** The fixture of book format {@code format}. */
  static Path fixture(int format) {
    return DIRECTORY.resolve("decision-operator-format-" + format + ".snapshot");
  }

  @Test
  @EnabledIfSystemProperty(named = "fixtures.write", matches = "true")
  void writeTheFixtureOfThisFormat() throws Exception {
    Path path = fixture(FORMAT);
    if (Files.exists(path)) {
      throw new IllegalStateException(path + " exists: a committed fixture is never regenerated");
    }
    try (var h = DecisionHarness.open(new UserDecisionOperator(PolicyConfig.DEFAULT), null, 1, 0)) {
      run(h);
      // A canonical savepoint: the form a savepoint taken for an upgrade has.
      OperatorSubtaskState state =
          h.snapshotWithLocalState(1L, 1L, SavepointType.savepoint(SavepointFormatType.CANONICAL))
              .getJobManagerOwnedState();
      Files.createDirectories(DIRECTORY);
      OperatorSnapshotUtil.writeStateHandle(state, path.toString());
      System.out.println(
          "wrote "
              + path
              + ": "
              + h.extractOutputValues().size()
              + " decisions before the snapshot, "
              + h.numEventTimeTimers()
              + " timers");
    }
  }
}
