package dev.herald.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.policy.Agenda;
import dev.herald.policy.CampaignBook;
import dev.herald.policy.Policy;
import dev.herald.policy.PolicyConfig;
import dev.herald.policy.UserAgenda;
import dev.herald.schema.Bounds;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.Decision;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.SendRequest;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.UserRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The decision operator on Flink's harness with real RocksDB state: what it emits, and that the
 * state and timers of users with nothing pending are cleared.
 */
class UserDecisionOperatorTest {

  private static final String PAGE = "'channel':'messenger','account':'page-1'";
  private static final Instant START = Instant.parse("2021-06-01T12:00:00Z");
  private static final int MAX_PARALLELISM = DecisionHarness.MAX_PARALLELISM;

  private KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision> h;
  private int line;

  private KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision>
      harness(PolicyConfig config, OperatorSubtaskState restore) throws Exception {
    return harness(config, restore, 1, 0);
  }

  private static KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision>
      harness(PolicyConfig config, OperatorSubtaskState restore, int parallelism, int subtask)
          throws Exception {
    return harness(new UserDecisionOperator(config), restore, parallelism, subtask);
  }

  private static KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision>
      harness(
          UserDecisionOperator operator, OperatorSubtaskState restore, int parallelism, int subtask)
          throws Exception {
    return DecisionHarness.open(operator, restore, parallelism, subtask);
  }

  @AfterEach
  void close() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private void input(String json) throws Exception {
    InputRecord r = parse(json);
    line++;
    if (r instanceof UserEvent e) {
      h.processElement1(new StreamRecord<>(e, e.at().toEpochMilli()));
    } else {
      h.processElement2(
          new StreamRecord<>(
              new ControlInput((ControlRecord) r, "test:" + line, json.replace('\'', '"')),
              r.at().toEpochMilli()));
    }
  }

  private static InputRecord parse(String json) {
    Parsed<InputRecord> p = RecordCodec.parse(json.replace('\'', '"'));
    assertThat(p.reason()).isNull();
    return p.value();
  }

  private void interaction(String user, Instant at) throws Exception {
    input(
        "{'type':'interaction','at':'"
            + at
            + "',"
            + PAGE
            + ",'user':'"
            + user
            + "','interaction':'/x'}");
  }

  private void tag(String user, Instant at, String tag) throws Exception {
    input(
        "{'type':'tag','at':'"
            + at
            + "',"
            + PAGE
            + ",'user':'"
            + user
            + "','add':['"
            + tag
            + "']}");
  }

  private void watermark(Instant t) throws Exception {
    h.processBothWatermarks(new Watermark(t.toEpochMilli()));
  }

  private void end() throws Exception {
    h.processBothWatermarks(Watermark.MAX_WATERMARK);
  }

  private List<Decision> decisions() {
    return h.extractOutputValues();
  }

  private static String describe(Decision d) {
    return d.user().user() + " " + d.outcome() + " " + (d.basis() != null ? d.basis() : d.reason());
  }

  private static UserKey user(String id) {
    return new UserKey(dev.herald.schema.Channel.MESSENGER, "page-1", id);
  }

  private UserDecisionOperator operator() {
    return (UserDecisionOperator) h.getOperator();
  }

  private UserRecord stored(String id) throws Exception {
    return operator().storedRecord(user(id));
  }

  @Test
  void decidesForTheAudienceAtTheStartAndLeavesNoTimers() throws Exception {
    h = harness(PolicyConfig.DEFAULT, null);
    interaction("u-in", START.minusSeconds(3600));
    interaction("u-old", START.minusSeconds(30 * 3600));
    interaction("u-done", START.minusSeconds(3600));
    tag("u-done", START.minusSeconds(3600), "finished");
    input(
        "{'type':'campaign','id':'c1','at':'"
            + START
            + "',"
            + PAGE
            + ",'audience':{'noneTags':['finished']},'message':{'text':'Hi'}}");
    assertThat(h.numEventTimeTimers()).as("events wait for the watermark").isEqualTo(3);
    end();

    assertThat(decisions().stream().map(UserDecisionOperatorTest::describe))
        .containsExactlyInAnyOrder("u-in SEND STANDARD_WINDOW", "u-old SKIP OUTSIDE_WINDOW");
    assertThat(decisions()).allMatch(d -> d.at().equals(START));
    assertThat(h.getSideOutput(UserDecisionOperator.SEND_REQUESTS)).hasSize(1);
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(operator().storedUsers()).as("three known users, one value each").isEqualTo(3);
    UserRecord in = stored("u-in");
    assertThat(in.buffered()).isEmpty();
    assertThat(in.decisions()).isEmpty();
    assertThat(in.reminderDue()).isNull();
  }

  @Test
  void aDecisionSeesExactlyTheEventsUpToItsInstant() throws Exception {
    h = harness(PolicyConfig.DEFAULT, null);
    interaction("u-at-start", START);
    interaction("u-after", START.plusMillis(1));
    interaction("u-after", START.minusSeconds(25 * 3600));
    input(
        "{'type':'campaign','id':'c1','at':'" + START + "'," + PAGE + ",'message':{'text':'Hi'}}");
    end();
    assertThat(decisions().stream().map(UserDecisionOperatorTest::describe))
        .containsExactlyInAnyOrder(
            "u-at-start SEND STANDARD_WINDOW", "u-after SKIP OUTSIDE_WINDOW");
  }

  @Test
  void aRatedCampaignSpreadsItsUsersAndSkipsThoseStillPendingAfterACancel() throws Exception {
    h = harness(PolicyConfig.DEFAULT, null);
    for (int i = 0; i < 5; i++) {
      interaction("u-" + i, START.minusSeconds(60));
    }
    input(
        "{'type':'campaign','id':'c1','at':'"
            + START
            + "',"
            + PAGE
            + ",'rate':1,'message':{'text':'Hi'}}");
    input("{'type':'cancel','campaign':'c1','at':'" + START.plusMillis(2500) + "'}");
    end();

    List<Decision> ds = new ArrayList<>(decisions());
    ds.sort((a, b) -> a.at().compareTo(b.at()));
    assertThat(ds.stream().map(d -> d.at().toEpochMilli() - START.toEpochMilli()))
        .containsExactly(0L, 1000L, 2000L, 3000L, 4000L);
    assertThat(ds.stream().map(d -> d.outcome() + " " + d.reason()))
        .containsExactly(
            "SEND null",
            "SEND null",
            "SEND null",
            "SKIP CAMPAIGN_CANCELLED",
            "SKIP CAMPAIGN_CANCELLED");
    assertThat(ds.stream().map(d -> d.user().user()).distinct()).hasSize(5);
    assertThat(h.numEventTimeTimers()).isZero();
  }

  @Test
  void aRatedCampaignEndsAtItsEnd() throws Exception {
    h = harness(PolicyConfig.DEFAULT, null);
    for (int i = 0; i < 4; i++) {
      interaction("u-" + i, START.minusSeconds(60));
    }
    input(
        "{'type':'campaign','id':'c1','at':'"
            + START
            + "',"
            + PAGE
            + ",'endAt':'"
            + START.plusSeconds(2)
            + "','rate':1,'message':{'text':'Hi'}}");
    end();
    assertThat(countBy(decisions()))
        .isEqualTo(Map.of("SEND STANDARD_WINDOW", 2L, "SKIP CAMPAIGN_ENDED", 2L));
  }

  @Test
  void aUserWhoNoLongerMatchesAtTheirTurnIsSkippedAsAudienceChanged() throws Exception {
    h = harness(PolicyConfig.DEFAULT, null);
    for (int i = 0; i < 4; i++) {
      interaction("u-" + i, START.minusSeconds(60));
      tag("u-" + i, START.plusMillis(1500), "finished"); // everyone finishes during the spread
    }
    input(
        "{'type':'campaign','id':'c1','at':'"
            + START
            + "',"
            + PAGE
            + ",'rate':1,'audience':{'noneTags':['finished']},'message':{'text':'Hi'}}");
    end();
    assertThat(countBy(decisions()))
        .isEqualTo(Map.of("SEND STANDARD_WINDOW", 2L, "SKIP AUDIENCE_CHANGED", 2L));
  }

  @Test
  void anErasureRemovesTheUsersStateAndTimers() throws Exception {
    h = harness(PolicyConfig.DEFAULT, null);
    interaction("u-stays", START.minusSeconds(60));
    interaction("u-erased", START.minusSeconds(60));
    input(
        "{'type':'campaign','id':'c1','at':'"
            + START
            + "',"
            + PAGE
            + ",'rate':0.001,'message':{'text':'Hi'}}");
    watermark(START);
    assertThat(decisions()).hasSize(1); // the first user, at the start; the other in 1000 s
    String pending = decisions().get(0).user().user().equals("u-stays") ? "u-erased" : "u-stays";
    assertThat(stored(pending).decisions()).hasSize(1);
    input(
        "{'type':'erase','at':'"
            + START.plusSeconds(10)
            + "',"
            + PAGE
            + ",'user':'"
            + pending
            + "'}");
    watermark(START.plusSeconds(10));
    assertThat(stored(pending)).isNull();
    end();
    assertThat(decisions()).hasSize(1);
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(operator().storedUsers()).isEqualTo(1);
  }

  @Test
  void aReminderDecidesOncePerCycleAndLeavesNoTimer() throws Exception {
    h = harness(PolicyConfig.DEFAULT, null);
    input(
        "{'type':'reminder','id':'r1','at':'2021-05-01T00:00:00Z',"
            + PAGE
            + ",'afterInactivity':'PT30M','message':{'text':'Back?','resumeAt':'BREADCRUMB'}}");
    Instant t = Instant.parse("2021-05-03T10:00:00Z");
    input(
        "{'type':'interaction','at':'"
            + t
            + "',"
            + PAGE
            + ",'user':'u-a','interaction':'/lead/ask-name','breadcrumb':true}");
    interaction("u-b", t);
    interaction("u-b", t.plusSeconds(25 * 60)); // re-armed to 10:55
    watermark(t.plusSeconds(30 * 60));
    assertThat(decisions().stream().map(d -> describe(d) + " " + d.at() + " " + d.resumeAt()))
        .containsExactly("u-a SEND STANDARD_WINDOW 2021-05-03T10:30:00Z /lead/ask-name");
    assertThat(h.numEventTimeTimers()).as("only u-b's reminder is armed").isEqualTo(1);
    end();
    assertThat(decisions()).hasSize(2);
    assertThat(decisions().get(1).at()).isEqualTo(t.plusSeconds(55 * 60));
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(stored("u-a").reminderDue()).isNull();
  }

  @Test
  void aLateEventIsAppliedOnArrivalAndALateCampaignStartsAtTheWatermark() throws Exception {
    h = harness(PolicyConfig.DEFAULT, null);
    watermark(START);
    interaction("u-late", START.minusSeconds(3600)); // behind event time
    assertThat(stored("u-late").state().lastInteractionAt()).isEqualTo(START.minusSeconds(3600));
    input(
        "{'type':'campaign','id':'c1','at':'"
            + START.minusSeconds(600)
            + "',"
            + PAGE
            + ",'message':{'text':'Hi'}}");
    watermark(START.plusMillis(1));
    assertThat(decisions().stream().map(d -> describe(d) + " " + d.at()))
        .containsExactly("u-late SEND STANDARD_WINDOW " + START);
  }

  @Test
  void aRepeatedIdAndACancelOfAnUnknownIdAreDeadLettered() throws Exception {
    h = harness(PolicyConfig.DEFAULT, null);
    interaction("u-1", START.minusSeconds(60));
    input("{'type':'campaign','id':'c1','at':'" + START + "'," + PAGE + ",'message':{'text':'A'}}");
    input("{'type':'campaign','id':'c1','at':'" + START + "'," + PAGE + ",'message':{'text':'B'}}");
    input("{'type':'cancel','campaign':'nope','at':'" + START + "'}");
    end();
    assertThat(decisions()).hasSize(1);
    assertThat(h.getSideOutput(UserDecisionOperator.SEND_REQUESTS))
        .extracting(r -> ((SendRequest) r.getValue()).text())
        .containsExactly("A");
    List<DeadLetter> dead =
        h.getSideOutput(UserDecisionOperator.DEAD_LETTERS).stream()
            .map(r -> (DeadLetter) r.getValue())
            .toList();
    assertThat(dead).extracting(DeadLetter::source).containsExactly("test:3", "test:4");
    assertThat(dead.get(1).input())
        .as("the record as it was written")
        .isEqualTo("{\"type\":\"cancel\",\"campaign\":\"nope\",\"at\":\"" + START + "\"}");
    assertThat(dead.get(0).reason())
        .isEqualTo(
            "campaign c1: id already used by the campaign defined at 2021-06-01T12:00:00Z; ignored");
    assertThat(dead.get(1).reason())
        .isEqualTo(
            "cancel of nope: no campaign or reminder nope is defined at or before 2021-06-01T12:00:00Z");
  }

  @Test
  void aRestoreDecidesEveryPendingUserExactlyOnce() throws Exception {
    h = harness(PolicyConfig.DEFAULT, null);
    for (int i = 0; i < 6; i++) {
      interaction("u-" + i, START.minusSeconds(60));
    }
    input(
        "{'type':'campaign','id':'c1','at':'"
            + START
            + "',"
            + PAGE
            + ",'rate':1,'message':{'text':'Hi'}}");
    watermark(START.plusMillis(2500));
    List<Decision> before = new ArrayList<>(decisions());
    assertThat(before).hasSize(3);
    OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
    h.close();

    h = harness(PolicyConfig.DEFAULT, snapshot);
    end();
    List<Decision> after = decisions();
    assertThat(after).hasSize(3);
    List<String> users = new ArrayList<>();
    before.forEach(d -> users.add(d.user().user()));
    after.forEach(d -> users.add(d.user().user()));
    assertThat(users).doesNotHaveDuplicates().hasSize(6);
    assertThat(after).allMatch(d -> d.at().isAfter(START.plusMillis(2500)));
    assertThat(h.numEventTimeTimers()).isZero();
  }

  @Test
  void aRestoreOnMoreSubtasksDecidesEveryPendingUserExactlyOnce() throws Exception {
    h = harness(PolicyConfig.DEFAULT, null);
    for (int i = 0; i < 20; i++) {
      interaction("u-" + i, START.minusSeconds(60));
    }
    input(
        "{'type':'campaign','id':'c1','at':'"
            + START
            + "',"
            + PAGE
            + ",'rate':1,'message':{'text':'Hi'}}");
    input(
        "{'type':'campaign','id':'c2','at':'"
            + START.plusSeconds(100)
            + "',"
            + PAGE
            + ",'message':{'text':'Later'}}");
    watermark(START.plusMillis(4500));
    List<String> decided = new ArrayList<>();
    decisions().forEach(d -> decided.add(d.campaign() + " " + d.user().user()));
    assertThat(decided).hasSize(5);
    OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
    h.close();
    h = null;

    for (int subtask = 0; subtask < 2; subtask++) {
      OperatorSubtaskState part =
          KeyedTwoInputStreamOperatorTestHarness.repartitionOperatorState(
              snapshot, MAX_PARALLELISM, 1, 2, subtask);
      try (var restored = harness(PolicyConfig.DEFAULT, part, 2, subtask)) {
        restored.processBothWatermarks(Watermark.MAX_WATERMARK);
        restored
            .extractOutputValues()
            .forEach(d -> decided.add(d.campaign() + " " + d.user().user()));
        assertThat(restored.numEventTimeTimers()).isZero();
      }
    }
    assertThat(decided).doesNotHaveDuplicates();
    assertThat(decided.stream().filter(d -> d.startsWith("c1 "))).hasSize(20);
    assertThat(decided.stream().filter(d -> d.startsWith("c2 ")))
        .as("the book, restored on both subtasks, still starts c2 for every user")
        .hasSize(20);
  }

  @Test
  void campaignsAtTheSameInstantDecideInIdOrderForTheFrequencyCap() throws Exception {
    h =
        harness(
            new PolicyConfig(new dev.herald.policy.FrequencyCap(1, java.time.Duration.ofHours(24))),
            null);
    interaction("u-1", START.minusSeconds(60));
    input("{'type':'campaign','id':'b','at':'" + START + "'," + PAGE + ",'message':{'text':'B'}}");
    input("{'type':'campaign','id':'a','at':'" + START + "'," + PAGE + ",'message':{'text':'A'}}");
    end();
    assertThat(decisions().stream().map(d -> d.campaign() + " " + d.outcome() + " " + d.reason()))
        .containsExactlyInAnyOrder("a SEND null", "b SKIP FREQUENCY_CAPPED");
  }

  private static Map<String, Long> countBy(List<Decision> ds) {
    return ds.stream()
        .collect(
            Collectors.groupingBy(
                d -> d.outcome() + " " + (d.basis() != null ? d.basis() : d.reason()),
                TreeMap::new,
                Collectors.counting()));
  }

  // ------------------------------------------------------------------ defects and the end of time

  /**
   * The core's steps, failing on purpose for some users: buffering an event of {@code
   * defect-buffer}, taking {@code defect-sweep} into an audience, advancing {@code defect-step}.
   */
  private static final class FailingAgenda implements Agenda {
    private final UserAgenda agenda;

    FailingAgenda(Policy policy) {
      agenda = new UserAgenda(policy);
    }

    @Override
    public UserRecord buffer(UserRecord r, UserEvent e) {
      if (e.key().user().equals("defect-buffer")) {
        throw new IllegalStateException("buffering fails on purpose");
      }
      return agenda.buffer(r, e);
    }

    @Override
    public UserRecord applyLate(UserRecord r, UserEvent e, CampaignBook book, Instant now) {
      return agenda.applyLate(r, e, book, now);
    }

    @Override
    public UserAgenda.Step advance(UserRecord r, UserKey key, Instant t, CampaignBook book) {
      if (key.user().equals("defect-step")) {
        throw new ArithmeticException("advancing fails on purpose");
      }
      return agenda.advance(r, key, t, book);
    }

    @Override
    public UserAgenda.Step sweep(
        UserRecord r,
        UserKey key,
        Instant t,
        List<Campaign> starting,
        boolean reminders,
        Function<Campaign, Instant> slot,
        CampaignBook book) {
      if (key.user().equals("defect-sweep")) {
        throw new IndexOutOfBoundsException("the sweep fails on purpose");
      }
      return agenda.sweep(r, key, t, starting, reminders, slot, book);
    }
  }

  private List<DeadLetter> deadLetters() {
    var out = h.getSideOutput(UserDecisionOperator.DEAD_LETTERS);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void aStepThatThrowsSetsItsRecordsAsideAndEveryOtherUserIsDecided() throws Exception {
    h = harness(new UserDecisionOperator(PolicyConfig.DEFAULT, FailingAgenda::new), null, 1, 0);
    interaction("u-1", START.minusSeconds(60));
    interaction("defect-buffer", START.minusSeconds(60));
    interaction("defect-sweep", START.minusSeconds(60));
    // Each of its events fails when event time reaches it, before and after the watermark.
    interaction("defect-step", START.minusSeconds(600));
    watermark(START.minusSeconds(300));
    interaction("defect-step", START.minusSeconds(60));
    interaction("u-2", START.minusSeconds(60));
    input(
        "{'type':'campaign','id':'c1','at':'" + START + "'," + PAGE + ",'message':{'text':'Hi'}}");
    end();

    assertThat(decisions().stream().map(UserDecisionOperatorTest::describe))
        .containsExactlyInAnyOrder("u-1 SEND STANDARD_WINDOW", "u-2 SEND STANDARD_WINDOW");
    List<DeadLetter> dead = deadLetters();
    assertThat(dead).extracting(DeadLetter::source).containsOnly(UserDecisionOperator.SOURCE);
    assertThat(dead)
        .extracting(DeadLetter::reason)
        .anySatisfy(
            r ->
                assertThat(r)
                    .startsWith(
                        "defect while applying the interaction for messenger/page-1/defect-buffer: ")
                    .endsWith("java.lang.IllegalStateException: buffering fails on purpose"))
        .anySatisfy(
            r ->
                assertThat(r)
                    .startsWith(
                        "defect while taking messenger/page-1/defect-sweep into the campaigns c1 at ")
                    .contains("java.lang.IndexOutOfBoundsException: the sweep fails on purpose"))
        .anySatisfy(
            r ->
                assertThat(r)
                    .startsWith("defect while advancing messenger/page-1/defect-step to ")
                    .contains("java.lang.ArithmeticException: advancing fails on purpose"));
    // The events set aside are in their dead letters as records, so they can be replayed.
    assertThat(dead)
        .filteredOn(d -> d.reason().contains("defect-step") || d.reason().contains("defect-buffer"))
        .allSatisfy(d -> assertThat(RecordCodec.parse(d.input()).isOk()).as(d.input()).isTrue());
    assertThat(dead).filteredOn(d -> d.reason().contains("defect-step")).hasSize(2);
    assertThat(dead).filteredOn(d -> d.reason().contains("defect-buffer")).hasSize(1);
    assertThat(dead).filteredOn(d -> d.reason().contains("defect-sweep")).hasSize(1);
    // Nothing is left to fire again and fail forever; the user swept in error stays as it was.
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(stored("defect-step")).isNull();
    assertThat(stored("defect-buffer")).isNull();
    assertThat(stored("defect-sweep").state()).isNotNull();
  }

  @Test
  void nothingIsDueAfterTheEndOfTime() throws Exception {
    h = harness(PolicyConfig.DEFAULT, null);
    Instant late = Bounds.LATEST.minusSeconds(1);
    input(
        "{'type':'reminder','id':'r1','at':'2021-01-01T00:00:00Z',"
            + PAGE
            + ",'afterInactivity':'PT1H','message':{'text':'Still there?'}}");
    for (int i = 0; i < 4; i++) {
      interaction("u-" + i, late);
    }
    // One decision every 100,000 seconds: the second user's turn is after the end of time.
    input(
        "{'type':'campaign','id':'c1','at':'"
            + late
            + "',"
            + PAGE
            + ",'rate':0.00001,'message':{'text':'Hi'}}");
    end();

    assertThat(decisions()).hasSize(4).allMatch(d -> d.campaign().equals("c1"));
    assertThat(decisions().stream().map(Decision::at))
        .containsExactlyInAnyOrder(late, Bounds.LATEST, Bounds.LATEST, Bounds.LATEST);
    assertThat(h.getSideOutput(UserDecisionOperator.SEND_REQUESTS))
        .extracting(r -> r.getValue().notAfter())
        .allSatisfy(t -> assertThat(t).isBeforeOrEqualTo(Bounds.LATEST));
    assertThat(deadLetters()).isEmpty();
    assertThat(h.numEventTimeTimers()).isZero();
  }
}
