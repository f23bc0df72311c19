package dev.herald.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.policy.CampaignBook.Arrival;
import dev.herald.policy.CampaignBook.CampaignEntry;
import dev.herald.policy.CampaignBook.Rejection;
import dev.herald.policy.CampaignBook.ReminderEntry;
import dev.herald.schema.Channel;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.Problem;
import dev.herald.schema.RecordCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The campaign book: the order records apply in, ids, cancels, starts, retention, snapshots and
 * their formats.
 */
class CampaignBookTest {

  private static final Instant T = Instant.parse("2021-06-01T12:00:00Z");

  private final CampaignBook book = new CampaignBook();
  private final List<Rejection> rejected = new ArrayList<>();
  private int line;

  private static ControlRecord record(String json) {
    return RecordCodec.parseControl(json.replace('\'', '"')).value();
  }

  private static String campaign(String id, Instant at, String extra) {
    return "{'type':'campaign','id':'"
        + id
        + "','at':'"
        + at
        + "','channel':'messenger','account':'page-1','message':{'text':'Hi'}"
        + extra
        + "}";
  }

  private static String cancel(String id, Instant at) {
    return "{'type':'cancel','campaign':'" + id + "','at':'" + at + "'}";
  }

  private void receive(String json) {
    book.receive(record(json), "line " + (++line), json.replace('\'', '"'));
  }

  /** Applies everything waiting up to {@code t}, each at its own instant. */
  private void runTo(Instant t) {
    Instant next;
    while ((next = book.nextWaiting()) != null && !next.isAfter(t)) {
      for (Arrival a : book.takeWaiting(next)) {
        Rejection r = book.apply(a, next);
        if (r != null) {
          rejected.add(r);
        }
      }
    }
  }

  @Test
  void atOneInstantDefinitionsApplyBeforeCancelsWhateverTheOrderOfArrival() {
    receive(cancel("c1", T));
    receive(campaign("c1", T, ",'rate':1"));
    runTo(T);
    assertThat(rejected).isEmpty();
    assertThat(book.entry("c1").cancelledAt()).isEqualTo(T);
    assertThat(book.startingAt(T)).as("cancelled at its start: it never starts").isEmpty();
    assertThat(book.nextStart()).isNull();
  }

  @Test
  void theFirstValidRecordOfAnIdStandsByAtThenArrival() {
    receive(campaign("c1", T.plusSeconds(60), ",'startAt':'" + T.plusSeconds(3600) + "'"));
    receive(campaign("c1", T, ",'startAt':'" + T.plusSeconds(7200) + "'"));
    runTo(T.plusSeconds(60));
    assertThat(((CampaignEntry) book.entry("c1")).start()).isEqualTo(T.plusSeconds(7200));
    assertThat(rejected)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.problem()).isEqualTo(Problem.REPEATED_ID);
              assertThat(r.origin()).isEqualTo("line 1");
              assertThat(r.raw()).contains("\"at\":\"2021-06-01T12:01:00Z\"");
              assertThat(r.reason())
                  .isEqualTo(
                      "campaign c1: id already used by the campaign defined at 2021-06-01T12:00:00Z;"
                          + " ignored");
            });
  }

  @Test
  void campaignsAndRemindersShareOneNamespaceOfIds() {
    receive(campaign("x", T, ""));
    receive(
        "{'type':'reminder','id':'x','at':'"
            + T.plusSeconds(1)
            + "','channel':'messenger','account':'page-1','afterInactivity':'PT30M',"
            + "'message':{'text':'Back?'}}");
    runTo(T.plusSeconds(1));
    assertThat(rejected)
        .extracting(Rejection::reason)
        .containsExactly(
            "reminder x: id already used by the campaign defined at 2021-06-01T12:00:00Z; ignored");
  }

  @Test
  void aCancelNeedsAnIdDefinedByThenAndOnlyOnce() {
    receive(cancel("c1", T));
    receive(campaign("c1", T.plusSeconds(1), ",'rate':1"));
    receive(cancel("c1", T.plusSeconds(2)));
    receive(cancel("c1", T.plusSeconds(3)));
    runTo(T.plusSeconds(3));
    assertThat(rejected)
        .extracting(Rejection::problem)
        .containsExactly(Problem.UNKNOWN_CANCEL, Problem.UNKNOWN_CANCEL);
    assertThat(rejected)
        .extracting(Rejection::reason)
        .containsExactly(
            "cancel of c1: no campaign or reminder c1 is defined at or before 2021-06-01T12:00:00Z",
            "cancel of c1: already cancelled at 2021-06-01T12:00:02Z");
  }

  @Test
  void aCampaignStartsAtTheLaterOfStartAtAtAndWhenItWasApplied() {
    receive(campaign("early", T, ",'startAt':'" + T.minusSeconds(60) + "'"));
    runTo(T);
    assertThat(book.startingAt(T)).extracting(Campaign::id).containsExactly("early");
    // A record applied behind event time starts when it is applied.
    ControlRecord late = record(campaign("late", T.minusSeconds(600), ""));
    book.receive(late, "l", RecordCodec.write(late));
    for (Arrival a : book.takeWaiting(T.plusSeconds(5))) {
      book.apply(a, T.plusSeconds(5));
    }
    assertThat(((CampaignEntry) book.entry("late")).start()).isEqualTo(T.plusSeconds(5));
  }

  @Test
  void startsAreMarkedOnceAndIdsAreForgotten90DaysAfterTheLastDecision() {
    receive(campaign("c1", T, ",'endAt':'" + T.plusSeconds(3600) + "','rate':1"));
    runTo(T);
    assertThat(book.nextStart()).isEqualTo(T);
    Instant last = T.plus(Duration.ofDays(2)); // a long spread, past its end
    book.markStarted(T, Map.of("c1", last));
    assertThat(book.nextStart()).isNull();
    assertThat(book.startingAt(T)).isEmpty();
    book.forgetOld(last.plus(CampaignBook.ID_RETENTION).minusMillis(1));
    assertThat(book.entry("c1")).isNotNull();
    book.forgetOld(last.plus(CampaignBook.ID_RETENTION));
    assertThat(book.entry("c1")).isNull();
  }

  @Test
  void aSnapshotRestoresTheBookAndMergesTheCopiesOfEverySubtask() {
    CampaignBook first = subtaskBook(T.plusSeconds(10));
    CampaignBook second = subtaskBook(T.plusSeconds(99));

    List<String> union = new ArrayList<>(first.snapshot());
    union.addAll(second.snapshot());
    CampaignBook restored = CampaignBook.restore(union);

    CampaignEntry c1 = (CampaignEntry) restored.entry("c1");
    assertThat(c1.lastDecisionAt()).as("the later of the copies").isEqualTo(T.plusSeconds(99));
    assertThat(c1.started()).isTrue();
    assertThat(((ReminderEntry) restored.entry("r1")).armed()).isTrue();
    assertThat(restored.reminders(Channel.MESSENGER, "page-1", T)).hasSize(1);
    assertThat(restored.nextStart()).isNull();
    assertThat(restored.takeWaiting(T.plusSeconds(600)))
        .as("the waiting record, once, with its origin")
        .singleElement()
        .satisfies(a -> assertThat(a.origin()).isEqualTo("line 3"));
    assertThat(CampaignBook.restore(first.snapshot()).snapshot()).isEqualTo(first.snapshot());
  }

  /** A book as one subtask holds it: the same records, its own last decision of c1. */
  private static CampaignBook subtaskBook(Instant lastDecision) {
    CampaignBookTest t = new CampaignBookTest();
    t.receive(campaign("c1", T, ",'rate':1"));
    t.receive(
        "{'type':'reminder','id':'r1','at':'"
            + T
            + "','channel':'messenger','account':'page-1','afterInactivity':'PT30M',"
            + "'message':{'text':'Back?'}}");
    t.receive(campaign("later", T.plusSeconds(600), ""));
    t.runTo(T);
    t.book.markStarted(T, Map.of("c1", lastDecision));
    return t.book;
  }

  // ------------------------------------------------------------------ formats

  /**
   * The entries of the book in {@code state-fixtures/decision-operator-format-1.snapshot}, one per
   * line, as format 1 wrote them (see the README beside it).
   */
  private static List<String> format1() throws IOException {
    try (InputStream in =
        CampaignBookTest.class.getResourceAsStream(
            "/state-fixtures/campaign-book-format-1.jsonl")) {
      assertThat(in).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static final Instant NOON = Instant.parse("2021-06-01T12:00:00Z");

  @Test
  void aBookOfFormat1RestoresEntryForEntry() throws IOException {
    CampaignBook book = CampaignBook.restore(format1());

    CampaignEntry rated = (CampaignEntry) book.entry("rated");
    assertThat(rated.started()).isTrue();
    assertThat(rated.start()).isEqualTo(NOON);
    assertThat(rated.lastDecisionAt()).isEqualTo(NOON.plusSeconds(3));
    assertThat(rated.campaign().rate()).isEqualTo(1.0);
    CampaignEntry stopped = (CampaignEntry) book.entry("stopped");
    assertThat(stopped.cancelledAt()).isEqualTo(NOON.plusSeconds(1));
    assertThat(stopped.lastDecisionAt()).isEqualTo(NOON.plusSeconds(6));
    CampaignEntry withdrawn = (CampaignEntry) book.entry("withdrawn");
    assertThat(withdrawn.started()).isFalse();
    assertThat(withdrawn.start()).isEqualTo(NOON.plusSeconds(3600));
    ReminderEntry nudge = (ReminderEntry) book.entry("nudge");
    assertThat(nudge.armed()).isTrue();
    assertThat(nudge.definedAt()).isEqualTo(NOON.minusSeconds(3600));
    assertThat(nudge.reminder().afterInactivity()).isEqualTo(Duration.ofMinutes(45));
    assertThat(book.nextStart()).as("withdrawn is cancelled before its start").isNull();
    assertThat(book.takeWaiting(Instant.parse("2021-06-01T15:00:00Z")))
        .extracting(a -> a.record().type() + " " + a.origin() + " " + a.seq())
        .containsExactly(
            "campaign fixture.jsonl:15 6",
            "campaign fixture.jsonl:16 7",
            "cancel fixture.jsonl:17 8");
  }

  @Test
  void aBookOfFormat1IsWrittenBackInTheCurrentFormatWithTheSameObjects() throws IOException {
    List<String> written = CampaignBook.restore(format1()).snapshot();

    assertThat(CampaignBook.FORMAT).isEqualTo(2);
    assertThat(written).allSatisfy(s -> assertThat(s).startsWith("2:{"));
    assertThat(written.stream().map(s -> s.substring(2)))
        .as("format 2 is format 1 with a marker")
        .containsExactlyElementsOf(format1());
    assertThat(CampaignBook.restore(written).snapshot()).isEqualTo(written);
  }

  @Test
  void aWaitingRecordOfAnEarlyBookWithoutItsRecordIsReadFromItsText() {
    String raw = campaign("c9", T, "").replace('\'', '"');
    String entry = "{\"waiting\":" + quoted(raw) + ",\"origin\":\"line 9\",\"seq\":4}";

    CampaignBook book = CampaignBook.restore(List.of(entry));

    assertThat(book.takeWaiting(T))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.record()).isEqualTo(record(campaign("c9", T, "")));
              assertThat(a.raw()).isEqualTo(raw);
              assertThat(a.seq()).isEqualTo(4);
            });
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * A record an older version took and today's codec rejects: a longer id than names may have
   * today, a rate above today's highest, a reminder delay beyond today's window. The book restores
   * it, of format 1 or 2, and goes on with it.
   */
  @Test
  void anEntryTodaysCodecWouldRejectStillRestores() throws IOException {
    String longId = "rated-" + "x".repeat(300);
    List<String> old = new ArrayList<>();
    for (String s : format1()) {
      old.add(
          s.replace("\\\"id\\\":\\\"rated\\\"", "\\\"id\\\":\\\"" + longId + "\\\"")
              .replace("\\\"rate\\\":1.0", "\\\"rate\\\":5.0E9")
              .replace("PT45M", "PT30H"));
    }
    assertThat(old).isNotEqualTo(format1());
    String oldRecord = new ObjectMapper().readTree(old.get(1)).get("record").asText();
    assertThat(RecordCodec.parseControl(oldRecord).reason())
        .as("today's codec")
        .startsWith("campaign rated-xxx");

    for (List<String> entries : List.of(old, CampaignBook.restore(old).snapshot())) {
      CampaignBook book = CampaignBook.restore(entries);
      CampaignEntry rated = (CampaignEntry) book.entry(longId);
      assertThat(rated.campaign().rate()).isEqualTo(5e9);
      assertThat(rated.lastDecisionAt()).isEqualTo(NOON.plusSeconds(3));
      assertThat(((ReminderEntry) book.entry("nudge")).reminder().afterInactivity())
          .isEqualTo(Duration.ofHours(30));
      assertThat(book.takeWaiting(Instant.parse("2021-06-01T14:00:00Z")))
          .extracting(a -> ((Campaign) a.record()).id())
          .containsExactly("later", longId);
    }
  }

  @Test
  void anEntryOfAFormatNewerThanThisJobFailsNamingTheFormat() {
    String future = "3:{}";

    assertThatThrownBy(() -> CampaignBook.restore(List.of(future)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "campaign book entry of format 3, newer than this job: this job reads formats 1 to 2");
    assertThatThrownBy(() -> CampaignBook.restore(List.of("0:{}")))
        .hasMessage("campaign book entry of format 0: this job reads formats 1 to 2");
    assertThatThrownBy(() -> CampaignBook.restore(List.of("[1,2]")))
        .hasMessage("campaign book entry without a format: '[1,2]'");
  }

  @Test
  void anEntryThatCannotBeReadFailsSayingWhatIsWrong() throws IOException {
    String rated = CampaignBook.restore(format1()).snapshot().get(1);
    assertThat(rated).contains("\"start\"");

    assertThatThrownBy(() -> CampaignBook.restore(List.of(rated.replace("\"start\"", "\"begin\""))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("campaign book entry of format 2 has no 'start'");
    assertThatThrownBy(
            () ->
                CampaignBook.restore(
                    List.of(rated.replace("\"started\":true", "\"started\":\"yes\""))))
        .hasMessage("campaign book entry of format 2 has a 'started' that is not true or false");
    assertThatThrownBy(
            () ->
                CampaignBook.restore(
                    List.of(format1().get(1).replace("\\\"id\\\":\\\"rated\\\",", ""))))
        .hasMessage(
            "campaign book entry of format 1 holds a record that cannot be read: missing required"
                + " field 'id'");
  }
}
