package dev.herald.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.policy.Policy;
import dev.herald.policy.PolicyConfig;
import dev.herald.policy.PolicyTimeline;
import dev.herald.reference.ReferenceEngine;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.Decision;
import dev.herald.schema.InputRecord;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The sweep walked in chunks through the mailbox: between two chunks other input (a checkpoint
 * barrier) goes in; what is decided is exactly what one walk decides; a checkpoint taken in the
 * middle of a sweep resumes it where it stood, also on another number of subtasks.
 */
class SweepChunksTest {

  private static final Instant START = Instant.parse("2021-06-01T12:00:00Z");
  private static final int USERS = 600;
  private static final int CHUNK = 7;
  private static final int RATE = 40;

  private static final String PAGE = "\"channel\":\"messenger\",\"account\":\"page-1\"";

  private static final int MAX_PARALLELISM = DecisionHarness.MAX_PARALLELISM;

  /** Every user interacts an hour before the start; even users are tagged {@code started}. */
  private static List<InputRecord> users() {
    List<InputRecord> in = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      Instant at = START.minusSeconds(3600).plusMillis(i);
      in.add(
          parse(
              "{\"type\":\"interaction\",\"at\":\""
                  + at
                  + "\","
                  + PAGE
                  + ",\"user\":\"u-"
                  + i
                  + "\"}"));
      if (i % 2 == 0) {
        in.add(
            parse(
                "{\"type\":\"tag\",\"at\":\""
                    + at.plusMillis(1)
                    + "\","
                    + PAGE
                    + ",\"user\":\"u-"
                    + i
                    + "\",\"add\":[\"started\"]}"));
      }
    }
    return in;
  }

  /** An unrated campaign, a rated one and a reminder, all at the start. */
  private static List<InputRecord> campaigns() {
    return List.of(
        parse(
            "{\"type\":\"campaign\",\"id\":\"now\",\"at\":\""
                + START
                + "\","
                + PAGE
                + ",\"audience\":{\"allTags\":[\"started\"]},\"message\":{\"text\":\"Hi\"}}"),
        parse(
            "{\"type\":\"campaign\",\"id\":\"paced\",\"at\":\""
                + START
                + "\","
                + PAGE
                + ",\"rate\":"
                + RATE
                + ",\"message\":{\"text\":\"Deals\"}}"),
        parse(
            "{\"type\":\"reminder\",\"id\":\"rem\",\"at\":\""
                + START
                + "\","
                + PAGE
                + ",\"afterInactivity\":\"PT30M\",\"message\":{\"text\":\"Still there?\"}}"));
  }

  private static InputRecord parse(String json) {
    return RecordCodec.parse(json).value();
  }

  private static KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision>
      harness(int chunk, OperatorSubtaskState restore, int parallelism, int subtask)
          throws Exception {
    return DecisionHarness.open(
        new UserDecisionOperator(PolicyConfig.DEFAULT).withChunk(chunk),
        restore,
        parallelism,
        subtask);
  }

  private static void feed(
      KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision> h,
      List<InputRecord> records)
      throws Exception {
    for (InputRecord r : records) {
      if (r instanceof UserEvent e) {
        h.processElement1(new StreamRecord<>(e, e.at().toEpochMilli()));
      } else {
        h.processElement2(
            new StreamRecord<>(new ControlInput((ControlRecord) r, "test"), r.at().toEpochMilli()));
      }
    }
  }

  /** Runs at most {@code max} mails of the task's mailbox; how many ran. */
  private static int runMails(
      KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision> h, int max)
      throws Exception {
    int ran = 0;
    while (ran < max) {
      Optional<Mail> mail = h.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY);
      if (mail.isPresent()) {
        mail.get().run();
        ran++;
      } else if (h.getProcessingTimeService().getNumActiveTimers() > 0) {
        // a chunk that waits for input to go in first: its pause is over
        h.setProcessingTime(h.getProcessingTime() + UserDecisionOperator.PAUSE_MILLIS);
      } else {
        break;
      }
    }
    return ran;
  }

  private static List<String> decided(
      KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision> h) {
    List<String> out = new ArrayList<>();
    for (Decision d : h.extractOutputValues()) {
      out.add(line(d));
    }
    return out;
  }

  private static String line(Decision d) {
    return d.at()
        + " "
        + d.campaign()
        + " "
        + d.user().user()
        + " "
        + d.outcome()
        + " "
        + (d.basis() != null ? d.basis() : d.reason());
  }

  /** The decisions of one walk: the whole input, the sweep in one chunk, to the end of time. */
  private static List<String> inOneWalk() throws Exception {
    try (var h = harness(Integer.MAX_VALUE, null, 1, 0)) {
      feed(h, users());
      feed(h, campaigns());
      h.processBothWatermarks(Watermark.MAX_WATERMARK);
      runMails(h, Integer.MAX_VALUE); // a chunk also ends after CHUNK_NANOS
      return decided(h);
    }
  }

  @Test
  void theWatermarkWaitsForTheSweepAndOtherInputGoesInBetweenChunks() throws Exception {
    try (var h = harness(CHUNK, null, 1, 0)) {
      feed(h, users());
      feed(h, campaigns());
      h.processBothWatermarks(new Watermark(START.toEpochMilli()));
      // The first chunk ran; the rest waits in the mailbox, and so does the watermark.
      assertThat(h.getTaskMailbox().hasMail()).isTrue();
      assertThat(h.getOutput()).noneMatch(o -> o instanceof Watermark);
      assertThat(decided(h)).hasSizeLessThanOrEqualTo(CHUNK);

      // Input between chunks: a new user's event and a later watermark.
      UserEvent late =
          (UserEvent)
              parse(
                  "{\"type\":\"interaction\",\"at\":\""
                      + START.plusSeconds(1)
                      + "\","
                      + PAGE
                      + ",\"user\":\"newcomer\"}");
      h.processElement1(new StreamRecord<>(late, late.at().toEpochMilli()));
      h.processBothWatermarks(new Watermark(START.plusSeconds(5).toEpochMilli()));
      assertThat(h.getOutput()).noneMatch(o -> o instanceof Watermark);

      // Input went in since the last chunk: after the next chunk, the one after waits a moment
      // (processing time) instead of taking the mailbox again, so that more input goes in.
      assertThat(runMails(h, 1)).isEqualTo(1);
      assertThat(h.getTaskMailbox().hasMail()).isFalse();
      assertThat(h.getProcessingTimeService().getNumActiveTimers()).isEqualTo(1);

      int chunks = runMails(h, Integer.MAX_VALUE);
      assertThat(chunks).isGreaterThanOrEqualTo(USERS / CHUNK - 2);
      assertThat(h.getOutput())
          .filteredOn(o -> o instanceof Watermark)
          .containsExactly(new Watermark(START.plusSeconds(5).toEpochMilli()));
      assertThat(decided(h)).noneMatch(d -> d.contains(" newcomer "));
    }
  }

  @Test
  void chunksDecideExactlyWhatOneWalkDecides() throws Exception {
    List<String> expected = inOneWalk();
    try (var h = harness(CHUNK, null, 1, 0)) {
      feed(h, users());
      feed(h, campaigns());
      h.processBothWatermarks(Watermark.MAX_WATERMARK);
      runMails(h, Integer.MAX_VALUE);
      h.endInput1();
      h.endInput2();
      assertThat(decided(h)).containsExactlyElementsOf(expected);
    }
    assertThat(expected).filteredOn(d -> d.contains(" now ")).hasSize(USERS / 2);
    assertThat(expected).filteredOn(d -> d.contains(" paced ")).hasSize(USERS);
  }

  @Test
  void theEndOfInputWalksTheRestOfTheSweep() throws Exception {
    List<String> expected = inOneWalk();
    try (var h = harness(CHUNK, null, 1, 0)) {
      feed(h, users());
      feed(h, campaigns());
      h.processBothWatermarks(Watermark.MAX_WATERMARK);
      h.endInput1();
      h.endInput2();
      h.getOperator().finish();
      assertThat(decided(h)).containsExactlyElementsOf(expected);
      assertThat(h.getOutput()).filteredOn(o -> o instanceof Watermark).hasSize(1);
    }
  }

  @Test
  void aCheckpointInTheMiddleOfASweepResumesItWhereItStood() throws Exception {
    List<String> expected = inOneWalk();
    OperatorSubtaskState snapshot;
    List<String> decided = new ArrayList<>();
    try (var h = harness(CHUNK, null, 1, 0)) {
      feed(h, users());
      feed(h, campaigns());
      h.processBothWatermarks(new Watermark(START.toEpochMilli()));
      runMails(h, 20);
      assertThat(h.getTaskMailbox().hasMail()).isTrue();
      snapshot = h.snapshot(1L, 1L);
      decided.addAll(decided(h));
    }
    try (var h = harness(CHUNK, snapshot, 1, 0)) {
      runMails(h, Integer.MAX_VALUE);
      h.processBothWatermarks(Watermark.MAX_WATERMARK);
      runMails(h, Integer.MAX_VALUE);
      decided.addAll(decided(h));
    }
    assertThat(decided).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aSweepCheckpointedOnOneSubtaskResumesOnTwoAndBack() throws Exception {
    // 1 → 2: the old subtask walked part of its key groups.
    OperatorSubtaskState one;
    List<String> decided = new ArrayList<>();
    try (var h = harness(CHUNK, null, 1, 0)) {
      feed(h, users());
      feed(h, campaigns());
      h.processBothWatermarks(new Watermark(START.toEpochMilli()));
      runMails(h, 30);
      one = h.snapshot(1L, 1L);
      decided.addAll(decided(h));
    }
    OperatorSubtaskState[] two = new OperatorSubtaskState[2];
    for (int subtask = 0; subtask < 2; subtask++) {
      var part =
          KeyedTwoInputStreamOperatorTestHarness.repartitionOperatorState(
              one, MAX_PARALLELISM, 1, 2, subtask);
      try (var h = harness(CHUNK, part, 2, subtask)) {
        runMails(h, 10); // each walks on a little, then another checkpoint
        two[subtask] = h.snapshot(2L, 2L);
        decided.addAll(decided(h));
      }
    }
    // 2 → 1: the rest.
    var back =
        KeyedTwoInputStreamOperatorTestHarness.repartitionOperatorState(
            KeyedTwoInputStreamOperatorTestHarness.repackageState(two), MAX_PARALLELISM, 2, 1, 0);
    try (var h = harness(CHUNK, back, 1, 0)) {
      runMails(h, Integer.MAX_VALUE);
      h.processBothWatermarks(Watermark.MAX_WATERMARK);
      runMails(h, Integer.MAX_VALUE);
      decided.addAll(decided(h));
      assertThat(h.numEventTimeTimers()).isZero();
    }

    // Every user decided exactly once per campaign, as in one walk.
    Map<String, Long> perCampaignUser = new HashMap<>();
    for (String d : decided) {
      String[] f = d.split(" ");
      perCampaignUser.merge(f[1] + " " + f[2], 1L, Long::sum);
    }
    assertThat(perCampaignUser.values()).allMatch(n -> n == 1);
    List<String> expected = inOneWalk();
    Map<String, Long> expectedPerCampaignUser = new HashMap<>();
    for (String d : expected) {
      String[] f = d.split(" ");
      expectedPerCampaignUser.merge(f[1] + " " + f[2], 1L, Long::sum);
    }
    assertThat(perCampaignUser).isEqualTo(expectedPerCampaignUser);

    // The paced campaign never goes over its rate in any one second, across the rescales.
    TreeMap<Long, Integer> paced = new TreeMap<>();
    for (String d : decided) {
      if (d.contains(" paced ")) {
        paced.merge(Instant.parse(d.split(" ")[0]).toEpochMilli(), 1, Integer::sum);
      }
    }
    for (long from : paced.keySet()) {
      int inSecond =
          paced.subMap(from, true, from + 1000, false).values().stream().mapToInt(i -> i).sum();
      assertThat(inSecond)
          .as("decisions of 'paced' in the second from %d", from)
          .isLessThanOrEqualTo(RATE);
    }
  }

  @Test
  void theReferenceEngineDecidesTheSameInAnyChunkSize() {
    List<InputRecord> records = new ArrayList<>(users());
    records.addAll(campaigns());
    Policy policy = new Policy(PolicyTimeline.standard(), PolicyConfig.DEFAULT);
    var whole = ReferenceEngine.run(records, policy);
    for (long chunk : new long[] {1, 7, 1000}) {
      assertThat(ReferenceEngine.run(records, policy, chunk).decisions())
          .as("chunk %d", chunk)
          .containsExactlyElementsOf(whole.decisions());
    }
    // And the job's unrated campaign agrees with the engine's.
    assertThat(whole.decisions().stream().filter(d -> d.campaign().equals("now")).count())
        .isEqualTo(USERS / 2);
  }
}
