package dev.herald.job;

import dev.herald.job.types.Types;
import dev.herald.job.types.UserRecordSerializer;
import dev.herald.policy.Agenda;
import dev.herald.policy.CampaignBook;
import dev.herald.policy.CampaignBook.Arrival;
import dev.herald.policy.CampaignBook.Rejection;
import dev.herald.policy.Policy;
import dev.herald.policy.PolicyConfig;
import dev.herald.policy.PolicyTimeline;
import dev.herald.policy.Spread;
import dev.herald.policy.UserAgenda;
import dev.herald.policy.Verdict;
import dev.herald.schema.Bounds;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Reminder;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.Decision;
import dev.herald.schema.Outcome;
import dev.herald.schema.Problem;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.SendRequest;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.schema.Wire;
import dev.herald.state.PendingDecision;
import dev.herald.state.UserRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Keeps every user's state and decides for them at the instant of sending.
 *
 * <p>Input 1 is the user events, keyed by user; input 2 the campaign records, broadcast to every
 * subtask. Per user the operator keeps one {@link UserRecord} in RocksDB and one event-time timer
 * per instant at which something is due for the user; the {@link UserAgenda} decides what happens
 * then. The operator only loads state, calls the core, stores state and emits.
 *
 * <p>Event time: user events wait in state until the watermark reaches their {@code at}, so a
 * decision at {@code T} sees exactly the events with {@code at ≤ T}. When the watermark passes an
 * instant at which a campaign record applies or a campaign starts, the operator first fires the
 * timers before that instant, then applies the records, then walks the keys of its key groups to
 * arm the campaign's audience (and decides at once what is due then), and only then goes on. A
 * record that arrives behind the watermark is applied on arrival (a campaign starts at the
 * watermark).
 *
 * <p>Outputs: decisions (main), send requests and dead letters (side outputs).
 *
 * <p>No record stops it. Should a step of the core still throw on one user (a defect: the codec
 * admits only values the core handles), that step is set aside instead: the records it involved go
 * to the dead letters with the exception, counted under {@link Metrics#DEFECTS}, and the operator
 * goes on with the next user.
 */
public final class UserDecisionOperator extends AbstractStreamOperator<Decision>
    implements TwoInputStreamOperator<UserEvent, ControlInput, Decision>,
        Triggerable<UserKey, VoidNamespace> {

  private static final long serialVersionUID = 1L;

  /** Messages released for sending. */
  public static final OutputTag<SendRequest> SEND_REQUESTS =
      new OutputTag<>("send-requests", Types.SEND_REQUEST);

  /** Campaign records the book rejected (a repeated id, a cancel of an unknown id). */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("decision-dead-letters", Types.DEAD_LETTER);

  /** The name of the per-user state; the sweep walks the keys that have it. */
  static final String USER_STATE = "user-record";

  private static final String BOOK_STATE = "campaign-book";

  /** Where a dead letter of this operator comes from, when the record's origin is not known. */
  static final String SOURCE = "user-decisions";

  /** Makes the core's steps; tests give one that fails on purpose. */
  @FunctionalInterface
  interface AgendaFactory extends java.io.Serializable {
    Agenda create(Policy policy);
  }

  private final PolicyConfig policyConfig;
  private final AgendaFactory agendaFactory;

  private transient ValueState<UserRecord> records;
  private transient InternalTimerService<VoidNamespace> timers;
  private transient ListState<String> bookState;
  private transient CampaignBook book;
  private transient Agenda agenda;
  private transient long watermark;
  private transient int subtask;
  private transient int parallelism;

  private transient Metrics.Counters decisions;
  private transient Metrics.Counters sendRequests;
  private transient Metrics.Counters deadLetters;
  private transient Counter lateEvents;
  private transient Counter sweptUsers;
  private transient Counter defects;
  private transient Counter defectLetters;

  public UserDecisionOperator(PolicyConfig policyConfig) {
    this(policyConfig, UserAgenda::new);
  }

  UserDecisionOperator(PolicyConfig policyConfig, AgendaFactory agendaFactory) {
    this.policyConfig = Objects.requireNonNull(policyConfig, "policyConfig");
    this.agendaFactory = Objects.requireNonNull(agendaFactory, "agendaFactory");
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    // Union state: every subtask holds the same definitions; on restore each gets all copies and
    // merges them by id (see CampaignBook.restore).
    bookState =
        context
            .getOperatorStateStore()
            .getUnionListState(new ListStateDescriptor<>(BOOK_STATE, StringSerializer.INSTANCE));
    book = context.isRestored() ? CampaignBook.restore(bookState.get()) : new CampaignBook();
  }

  @Override
  public void open() throws Exception {
    super.open();
    records =
        getPartitionedState(new ValueStateDescriptor<>(USER_STATE, UserRecordSerializer.INSTANCE));
    timers = getInternalTimerService("user-agenda", VoidNamespaceSerializer.INSTANCE, this);
    agenda = agendaFactory.create(new Policy(PolicyTimeline.standard(), policyConfig));
    watermark = Long.MIN_VALUE;
    subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    decisions = new Metrics.Counters(getMetricGroup(), Metrics.DECISIONS);
    sendRequests = new Metrics.Counters(getMetricGroup(), Metrics.SEND_REQUESTS);
    deadLetters =
        new Metrics.Counters(
            getMetricGroup().addGroup(Metrics.STAGE, "campaign-book"), Metrics.DEAD_LETTERS);
    var stage = getMetricGroup().addGroup(Metrics.STAGE, SOURCE);
    defects = stage.counter(Metrics.DEFECTS);
    defectLetters =
        stage.addGroup(Metrics.PROBLEM, Problem.DEFECT.name()).counter(Metrics.DEAD_LETTERS);
    lateEvents = getMetricGroup().counter(Metrics.LATE_EVENTS);
    sweptUsers = getMetricGroup().counter(Metrics.SWEPT_USERS);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    bookState.update(book.snapshot());
  }

  // ------------------------------------------------------------------ input

  @Override
  public void processElement1(StreamRecord<UserEvent> element) throws Exception {
    UserEvent event = element.getValue();
    UserRecord before = load();
    try {
      UserRecord after;
      if (event.at().toEpochMilli() <= watermark) {
        lateEvents.inc();
        after = agenda.applyLate(before, event, book, now());
      } else {
        after = agenda.buffer(before, event);
      }
      store(event.key(), before, after, Long.MIN_VALUE);
    } catch (RuntimeException e) {
      defect(
          event.at(),
          Metrics.defect("applying the " + event.type() + " for " + event.key(), e),
          RecordCodec.write(event));
    }
  }

  @Override
  public void processElement2(StreamRecord<ControlInput> element) throws Exception {
    ControlInput input = element.getValue();
    book.receive(input.record(), input.origin(), input.raw());
    if (input.record().at().toEpochMilli() <= watermark) {
      // Behind event time: applies now; a campaign starts at the watermark.
      step(now());
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    long target = mark.getTimestamp();
    if (target > watermark) {
      Instant next;
      while ((next = book.nextInstant()) != null && next.toEpochMilli() <= target) {
        long at = next.toEpochMilli();
        if (at - 1 > watermark) {
          advanceTimers(at - 1);
        }
        step(next);
      }
      advanceTimers(target);
    }
    output.emitWatermark(mark);
  }

  /** Event time now: the watermark, or the end of time once the watermark is past it. */
  private Instant now() {
    return Bounds.capped(Instant.ofEpochMilli(watermark));
  }

  private void advanceTimers(long to) throws Exception {
    timeServiceManager.advanceWatermark(new Watermark(to));
    watermark = Math.max(watermark, to);
  }

  /** Applies what the book has at {@code t}: its records, then the starts and reminder arming. */
  private void step(Instant t) throws Exception {
    for (Arrival arrival : book.takeWaiting(t)) {
      Rejection rejected;
      try {
        rejected = book.apply(arrival, t);
      } catch (RuntimeException e) {
        if (subtask == 0) { // every subtask sees it: report it once
          defect(
              arrival.record().at(),
              arrival.origin(),
              Metrics.defect("applying the " + arrival.record().type() + " record", e),
              arrival.raw());
        }
        continue;
      }
      if (rejected != null && subtask == 0) { // every subtask sees it: report it once
        deadLetters.get(Metrics.PROBLEM, rejected.problem().name()).inc();
        output.collect(
            DEAD_LETTERS,
            new StreamRecord<>(
                DeadLetter.of(
                    rejected.record().at(), rejected.origin(), rejected.reason(), rejected.raw()),
                t.toEpochMilli()));
      }
    }
    List<Campaign> starting = book.startingAt(t);
    List<Reminder> arming = book.armingAt(t);
    if (!starting.isEmpty() || !arming.isEmpty()) {
      sweep(t, starting, !arming.isEmpty());
    }
    book.forgetOld(t);
  }

  /** Walks the users of this subtask: arms starting campaigns and reminders. */
  private void sweep(Instant t, List<Campaign> starting, boolean reminders) throws Exception {
    Spread spread = new Spread(t, parallelism);
    KeyedStateBackend<UserKey> backend = getKeyedStateBackend();
    try (Stream<UserKey> keys = backend.getKeys(USER_STATE, VoidNamespace.INSTANCE)) {
      for (UserKey key : (Iterable<UserKey>) keys::iterator) {
        setCurrentKey(key);
        sweptUsers.inc();
        UserRecord before = records.value();
        try {
          UserAgenda.Step step = agenda.sweep(before, key, t, starting, reminders, spread, book);
          store(key, before, step.record(), Long.MIN_VALUE);
          emit(step.verdicts());
        } catch (RuntimeException e) {
          // The user is left as they were: not in these audiences, not armed for reminders.
          String what = starting.isEmpty() ? "reminders" : "campaigns " + ids(starting);
          defect(
              t,
              Metrics.defect("taking " + key + " into the " + what + " at " + Wire.format(t), e),
              key.toString());
        }
      }
    }
    book.markStarted(t, spread.lastDecisions());
  }

  @Override
  public void onEventTime(InternalTimer<UserKey, VoidNamespace> timer) throws Exception {
    UserKey key = timer.getKey();
    UserRecord before = load();
    Instant t = Instant.ofEpochMilli(timer.getTimestamp());
    try {
      UserAgenda.Step step = agenda.advance(before, key, t, book);
      store(key, before, step.record(), timer.getTimestamp());
      emit(step.verdicts());
    } catch (RuntimeException e) {
      setAside(key, before, t, e);
    }
  }

  /**
   * The step of {@code key} at {@code t} threw: its records go to the dead letters (the events due
   * by {@code t}, the campaigns due at {@code t}) and the user is stored without them, so that the
   * step is not tried again and the user's later steps go on.
   */
  private void setAside(UserKey key, UserRecord before, Instant t, RuntimeException e)
      throws Exception {
    String reason = Metrics.defect("advancing " + key + " to " + Wire.format(t), e);
    List<UserEvent> left = new ArrayList<>();
    for (UserEvent ev : before.buffered()) {
      if (ev.at().isAfter(t)) {
        left.add(ev);
      } else {
        defect(ev.at(), reason, RecordCodec.write(ev));
      }
    }
    List<PendingDecision> pending = new ArrayList<>();
    for (PendingDecision p : before.decisions()) {
      if (p.at().equals(t)) {
        defect(
            t,
            reason + " (the decision of " + p.campaign() + " is not made)",
            campaignText(p.campaign()));
      } else {
        pending.add(p);
      }
    }
    Instant reminder = before.reminderDue();
    if (reminder != null && !reminder.isAfter(t)) {
      defect(t, reason + " (the reminders due then are not decided)", key.toString());
      reminder = null;
    }
    store(key, before, new UserRecord(before.state(), left, pending, reminder), t.toEpochMilli());
  }

  private String campaignText(String id) {
    CampaignBook.Entry e = book.entry(id);
    if (e instanceof CampaignBook.CampaignEntry c) {
      return RecordCodec.write(c.campaign());
    }
    return id;
  }

  private static String ids(List<Campaign> campaigns) {
    List<String> ids = new ArrayList<>(campaigns.size());
    for (Campaign c : campaigns) {
      ids.add(c.id());
    }
    return String.join(", ", ids);
  }

  /** A record set aside because a step threw on it: counted, and written as a dead letter. */
  private void defect(Instant at, String reason, String input) {
    defect(at, SOURCE, reason, input);
  }

  private void defect(Instant at, String source, String reason, String input) {
    defects.inc();
    defectLetters.inc();
    output.collect(
        DEAD_LETTERS,
        new StreamRecord<>(DeadLetter.of(at, source, reason, input), at.toEpochMilli()));
  }

  @Override
  public void onProcessingTime(InternalTimer<UserKey, VoidNamespace> timer) {
    // no processing-time timers: everything happens in event time
  }

  // ------------------------------------------------------------------ state and output

  /** How many users have a stored record; for tests. */
  long storedUsers() throws Exception {
    KeyedStateBackend<UserKey> backend = getKeyedStateBackend();
    try (Stream<UserKey> keys = backend.getKeys(USER_STATE, VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }

  /** The stored record of {@code key}, or {@code null}; for tests. */
  UserRecord storedRecord(UserKey key) throws Exception {
    setCurrentKey(key);
    return records.value();
  }

  private UserRecord load() throws Exception {
    UserRecord r = records.value();
    return r == null ? UserRecord.EMPTY : r;
  }

  /**
   * Stores the user's record and keeps exactly one timer per due instant. {@code fired} is the
   * timer being handled (already removed by Flink), or {@code Long.MIN_VALUE}.
   */
  private void store(UserKey key, UserRecord before, UserRecord after, long fired)
      throws Exception {
    if (before == null) {
      before = UserRecord.EMPTY;
    }
    NavigableSet<Instant> had = before.dueInstants();
    NavigableSet<Instant> has = after.dueInstants();
    // The record first: should writing it fail, the timers still match the stored record.
    if (after.isEmpty()) {
      records.clear();
    } else if (!after.equals(before)) {
      records.update(after);
    }
    for (Instant t : had) {
      if (!has.contains(t) && t.toEpochMilli() != fired) {
        timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, t.toEpochMilli());
      }
    }
    for (Instant t : has) {
      if (!had.contains(t) || t.toEpochMilli() == fired) {
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, t.toEpochMilli());
      }
    }
  }

  private void emit(List<Verdict> verdicts) {
    for (Verdict v : verdicts) {
      Decision d = v.decision();
      long ts = d.at().toEpochMilli();
      output.collect(new StreamRecord<>(d, ts));
      String channel = d.user().channel().wire();
      String account = d.user().account();
      boolean sent = d.outcome() == Outcome.SEND;
      decisions
          .get(
              Metrics.CHANNEL,
              channel,
              Metrics.ACCOUNT,
              account,
              Metrics.OUTCOME,
              d.outcome().name(),
              sent ? Metrics.BASIS : Metrics.REASON,
              sent ? d.basis().name() : d.reason().name())
          .inc();
      if (v.request() != null) {
        sendRequests.get(Metrics.CHANNEL, channel, Metrics.ACCOUNT, account).inc();
        output.collect(SEND_REQUESTS, new StreamRecord<>(v.request(), ts));
      }
    }
  }
}
