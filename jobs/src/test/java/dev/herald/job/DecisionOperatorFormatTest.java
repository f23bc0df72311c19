package dev.herald.job;

import static dev.herald.job.DecisionOperatorFixtures.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.policy.PolicyConfig;
import dev.herald.schema.Channel;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.Decision;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.PendingDecision;
import dev.herald.state.UserRecord;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decision operator's state as earlier versions of the job wrote it restores into this one: the
 * committed snapshots {@code state-fixtures/decision-operator-format-<N>.snapshot}, written once by
 * {@link DecisionOperatorFixtures} and never regenerated. After the restore the operator goes on
 * exactly where the snapshot left it: the users, their timers and the campaign book survive.
 */
class DecisionOperatorFormatTest {

  private KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision> h;

  @AfterEach
  void close() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  /** The committed snapshot of book format {@code format}, as operator state. */
  static OperatorSubtaskState fixture(int format) throws Exception {
    String name = DecisionOperatorFixtures.fixture(format).getFileName().toString();
    URL url = DecisionOperatorFormatTest.class.getResource("/state-fixtures/" + name);
    assertThat(url).as("test resource state-fixtures/%s", name).isNotNull();
    return OperatorSnapshotUtil.readStateHandle(Path.of(url.toURI()).toString());
  }

  private void restore(int format) throws Exception {
    h = DecisionHarness.open(new UserDecisionOperator(PolicyConfig.DEFAULT), fixture(format), 1, 0);
  }

  private static UserKey user(String id) {
    return new UserKey(Channel.MESSENGER, "page-1", id);
  }

  private UserRecord stored(String id) throws Exception {
    return ((UserDecisionOperator) h.getOperator()).storedRecord(user(id));
  }

  private static String describe(Decision d) {
    return d.campaign()
        + " "
        + d.user().user()
        + " "
        + d.outcome()
        + " "
        + (d.basis() != null ? d.basis() : d.reason())
        + " "
        + d.at();
  }

  private List<DeadLetter> deadLetters() {
    var out = h.getSideOutput(UserDecisionOperator.DEAD_LETTERS);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  private void campaign(String id, Instant at) throws Exception {
    String json =
        "{\"type\":\"campaign\",\"id\":\""
            + id
            + "\",\"at\":\""
            + at
            + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"message\":{\"text\":\"Hi\"}}";
    ControlRecord r = RecordCodec.parseControl(json).value();
    h.processElement2(new StreamRecord<>(new ControlInput(r, "test", json), at.toEpochMilli()));
  }

  @ParameterizedTest(name = "format {0}")
  @ValueSource(ints = {1, 2})
  void theUsersAndTheirTimersSurvive(int format) throws Exception {
    restore(format);

    assertThat(h.numEventTimeTimers()).isEqualTo(9);
    assertThat(((UserDecisionOperator) h.getOperator()).storedUsers()).isEqualTo(6);
    UserRecord u2 = stored("u-2");
    assertThat(u2.state().tags()).containsExactly("vip");
    assertThat(u2.state().lastInteractionAt()).isEqualTo(Instant.parse("2021-06-01T11:50:00Z"));
    assertThat(u2.decisions())
        .containsExactly(new PendingDecision(Instant.parse("2021-06-01T12:00:04Z"), "stopped"));
    assertThat(u2.reminderDue()).isEqualTo(Instant.parse("2021-06-01T12:35:00Z"));
    UserRecord u6 = stored("u-6");
    assertThat(u6.state()).as("known only from an event still ahead of event time").isNull();
    assertThat(u6.buffered()).singleElement().extracting(UserEvent::type).isEqualTo("interaction");
  }

  /** What the operator decides after the restore, to the end of time. */
  private static final List<String> AFTER_THE_SNAPSHOT =
      List.of(
          // the started campaign goes on with its fourth user, one second after the third
          "rated u-4 SEND STANDARD_WINDOW 2021-06-01T12:00:03Z",
          // the cancelled one stays cancelled for the users still pending
          "stopped u-2 SKIP CAMPAIGN_CANCELLED 2021-06-01T12:00:04Z",
          "stopped u-4 SKIP CAMPAIGN_CANCELLED 2021-06-01T12:00:06Z",
          // the armed reminder, and the user it arms when their buffered event applies
          "nudge u-1 SEND STANDARD_WINDOW 2021-06-01T12:35:00Z",
          "nudge u-2 SEND STANDARD_WINDOW 2021-06-01T12:35:00Z",
          "nudge u-3 SEND STANDARD_WINDOW 2021-06-01T12:35:00Z",
          "nudge u-4 SEND STANDARD_WINDOW 2021-06-01T12:35:00Z",
          "nudge u-5 SEND STANDARD_WINDOW 2021-06-01T13:15:00Z",
          // the waiting campaign starts at its time, for the users tagged by then
          "later u-2 SEND STANDARD_WINDOW 2021-06-01T14:00:00Z",
          "later u-5 SEND STANDARD_WINDOW 2021-06-01T14:00:00Z");

  // withdrawn (cancelled before its start) never starts; the waiting cancel of nudge at 15:00
  // comes before u-6's reminder at 15:15.

  @ParameterizedTest(name = "format {0}")
  @ValueSource(ints = {1, 2})
  void theOperatorGoesOnWhereTheSnapshotLeftIt(int format) throws Exception {
    restore(format);
    h.processBothWatermarks(Watermark.MAX_WATERMARK);

    assertThat(h.extractOutputValues().stream().map(DecisionOperatorFormatTest::describe))
        .containsExactlyInAnyOrderElementsOf(AFTER_THE_SNAPSHOT);

    String repeated = DecisionOperatorFixtures.INPUT.get(15).replace('\'', '"');
    assertThat(deadLetters())
        .as("the waiting repeated id, with its origin and its text as written")
        .containsExactly(
            DeadLetter.of(
                Instant.parse("2021-06-01T14:00:00Z"),
                DecisionOperatorFixtures.origin(16),
                "campaign rated: id already used by the campaign defined at 2021-06-01T12:00:00Z;"
                    + " ignored",
                repeated));
    assertThat(h.numEventTimeTimers()).isZero();
  }

  /**
   * The started campaign's last decision (12:00:03, its fourth user) keeps its id taken for 90 days
   * after it, not after its start: a restore that lost it would free the id three seconds early.
   */
  @ParameterizedTest(name = "format {0}")
  @ValueSource(ints = {1, 2})
  void theLastDecisionOfTheStartedCampaignKeepsItsIdTaken(int format) throws Exception {
    restore(format);
    Instant forgetAt = Instant.parse("2021-06-01T12:00:03Z").plus(Duration.ofDays(90));
    campaign("rated", forgetAt.minusSeconds(1));
    campaign("rated", forgetAt);
    campaign("rated", forgetAt.plusMillis(1));
    h.processBothWatermarks(Watermark.MAX_WATERMARK);

    assertThat(deadLetters())
        .extracting(DeadLetter::at)
        .as("taken until the retention after its last decision has passed")
        .containsExactly(
            Instant.parse("2021-06-01T14:00:00Z"), // the fixture's own waiting repeated id
            forgetAt.minusSeconds(1),
            forgetAt);
    assertThat(h.extractOutputValues())
        .filteredOn(d -> d.campaign().equals("rated") && d.at().equals(forgetAt.plusMillis(1)))
        .as("the id, free again, starts a new campaign")
        .isNotEmpty();
  }

  /** A restored operator snapshots its book in the current format, and that restores too. */
  @ParameterizedTest(name = "format {0}")
  @ValueSource(ints = {1, 2})
  void aRestoredOperatorIsSnapshottedAndRestoredAgain(int format) throws Exception {
    restore(format);
    OperatorSubtaskState again = h.snapshot(2L, 2L);
    h.close();

    h = DecisionHarness.open(new UserDecisionOperator(PolicyConfig.DEFAULT), again, 1, 0);
    h.processBothWatermarks(Watermark.MAX_WATERMARK);

    assertThat(h.extractOutputValues().stream().map(DecisionOperatorFormatTest::describe))
        .containsExactlyInAnyOrderElementsOf(AFTER_THE_SNAPSHOT);
    assertThat(deadLetters()).hasSize(1);
  }

  /**
   * Campaign records an earlier version took and today's codec would reject (an id longer than a
   * name may be today, a rate below today's lowest), in the book as definitions and as a waiting
   * record: the operator's snapshot restores, and the campaigns go on.
   */
  @Test
  void aBookWithRecordsTodaysCodecRejectsRestores() throws Exception {
    String started = "started-" + "x".repeat(300);
    String waiting = "waiting-" + "y".repeat(300);
    h = DecisionHarness.open(new UserDecisionOperator(PolicyConfig.DEFAULT), null, 1, 0);
    String u1 =
        "{\"type\":\"interaction\",\"at\":\"2021-06-01T11:59:00Z\",\"channel\":\"messenger\","
            + "\"account\":\"page-1\",\"user\":\"u-1\"}";
    String u2 = u1.replace("u-1", "u-2");
    for (String json : List.of(u1, u2)) {
      UserEvent e = RecordCodec.parseUserEvent(json).value();
      h.processElement1(new StreamRecord<>(e, e.at().toEpochMilli()));
    }
    taken(started, START, ",\"rate\":0.000001"); // one decision every 1,000,000 seconds
    taken(waiting, START.plusSeconds(3600), "");
    h.processBothWatermarks(new Watermark(START.toEpochMilli()));
    String first = h.extractOutputValues().get(0).user().user();
    String second = first.equals("u-1") ? "u-2" : "u-1";
    OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
    h.close();

    h = DecisionHarness.open(new UserDecisionOperator(PolicyConfig.DEFAULT), snapshot, 1, 0);
    h.processBothWatermarks(Watermark.MAX_WATERMARK);

    assertThat(h.extractOutputValues())
        .extracting(d -> d.campaign().substring(0, 7) + " " + d.user().user() + " " + d.at())
        .containsExactlyInAnyOrder(
            "started " + second + " " + START.plusSeconds(1_000_000),
            "waiting u-1 2021-06-01T13:00:00Z",
            "waiting u-2 2021-06-01T13:00:00Z");
    assertThat(deadLetters()).isEmpty();
  }

  /**
   * A campaign record as an earlier version took it: read by its structure only, as the book reads
   * what it stored; today's codec rejects it.
   */
  private void taken(String id, Instant at, String extra) throws Exception {
    String json =
        "{\"type\":\"campaign\",\"id\":\""
            + id
            + "\",\"at\":\""
            + at
            + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"message\":{\"text\":\"Hi\"}"
            + extra
            + "}";
    assertThat(RecordCodec.parseControl(json).isOk()).as("today's codec").isFalse();
    ControlRecord r = RecordCodec.readStoredControl(json).value();
    h.processElement2(new StreamRecord<>(new ControlInput(r, "older", json), at.toEpochMilli()));
  }
}
