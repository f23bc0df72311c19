package dev.herald.job;

import dev.herald.job.types.Types;
import dev.herald.job.types.UserKeySerializer;
import dev.herald.job.types.UserRecordSerializer;
import dev.herald.policy.Agenda;
import dev.herald.policy.CampaignBook;
import dev.herald.policy.CampaignBook.Arrival;
import dev.herald.policy.CampaignBook.Rejection;
import dev.herald.policy.Policy;
import dev.herald.policy.PolicyConfig;
import dev.herald.policy.PolicyTimeline;
import dev.herald.policy.Sequencer;
import dev.herald.policy.Spread;
import dev.herald.policy.UserAgenda;
import dev.herald.policy.Verdict;
import dev.herald.schema.ControlRecord.Campaign;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.CheckpointableKeyedStateBackend;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
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
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  /** At most this many users per chunk of a sweep... */
  static final int CHUNK_USERS = 2_000;

  /** ...and a chunk ends at the first multiple of 64 users after this long. */
  static final long CHUNK_NANOS = 20_000_000L;

  /**
   * When input was waiting during the last chunk, the next chunk waits this long (processing time),
   * so that the input, and a checkpoint barrier behind it, is not starved: between two mails Flink
   * takes one record only.
   */
  static final long PAUSE_MILLIS = 5;

  private static final String PROGRESS_STATE = "sweep-progress";

  /** How many users' records {@link #recent} holds. */
  private static final int RECENT_USERS = 4_096;

  private static final Logger LOG = LoggerFactory.getLogger(UserDecisionOperator.class);

  private final PolicyConfig policyConfig;
  private final AgendaFactory agendaFactory;
  private int chunkUsers = CHUNK_USERS;

  private transient ValueState<UserRecord> records;

  /**
   * The records of the users stored last, as stored (write-through): a user's events come in
   * bursts, and a timer often fires soon after its event was buffered, so a read of a user just
   * written costs no RocksDB get. Records are immutable; only this operator writes the state.
   */
  private transient Map<UserKey, UserRecord> recent;

  private transient InternalTimerService<VoidNamespace> timers;
  private transient ListState<String> bookState;
  private transient ListState<String> progressState;
  private transient List<SweepProgress> restoredProgress;
  private transient CampaignBook book;
  private transient Agenda agenda;
  private transient Sequencer sequencer;
  private transient int subtask;
  private transient int parallelism;
  private transient int maxParallelism;
  private transient KeyGroupRange keyGroups;
  private transient MailboxExecutor mailbox;

  /** The latest watermark received and not yet passed on (event time has not reached it yet). */
  private transient Watermark pendingMark;

  /** Whether the next chunk of a sweep is in the mailbox. */
  private transient boolean chunkQueued;

  /** Input records and watermarks taken since the last chunk. */
  private transient long inputSinceChunk;

  private transient boolean closed;

  /** The last user the sweep under way visited, or {@code null}. */
  private transient UserKey cursor;

  /**
   * For a sweep resumed from a checkpoint: how far each key group was walked; else {@code null}.
   */
  private transient SweepProgress.Walk resumedWalk;

  private transient long sweepStartNanos;
  private transient long sweepChunks;

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

  /** Chunks of at most {@code users} users; for tests. */
  UserDecisionOperator withChunk(int users) {
    if (users < 1) {
      throw new IllegalArgumentException("chunk: at least one user, was " + users);
    }
    this.chunkUsers = users;
    return this;
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
    progressState =
        context
            .getOperatorStateStore()
            .getUnionListState(
                new ListStateDescriptor<>(PROGRESS_STATE, StringSerializer.INSTANCE));
    restoredProgress = new ArrayList<>();
    if (context.isRestored()) {
      for (String p : progressState.get()) {
        restoredProgress.add(SweepProgress.read(p));
      }
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    records =
        getPartitionedState(new ValueStateDescriptor<>(USER_STATE, UserRecordSerializer.INSTANCE));
    timers = getInternalTimerService("user-agenda", VoidNamespaceSerializer.INSTANCE, this);
    recent =
        new LinkedHashMap<>(RECENT_USERS * 2, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<UserKey, UserRecord> eldest) {
            return size() > RECENT_USERS;
          }
        };
    agenda = agendaFactory.create(new Policy(PolicyTimeline.standard(), policyConfig));
    subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
    keyGroups = ((CheckpointableKeyedStateBackend<?>) getKeyedStateBackend()).getKeyGroupRange();
    mailbox =
        getContainingTask().getMailboxExecutorFactory().createExecutor(TaskMailbox.MIN_PRIORITY);
    sequencer = new Sequencer(book, new Host());
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
    resumeSweep();
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    bookState.update(book.snapshot());
    progressState.update(List.of(progress().write()));
  }

  @Override
  public void finish() throws Exception {
    // The end of the input: whatever sweep is under way is walked to its end now.
    sequencer.runToTarget();
    emitPendingMark();
    super.finish();
  }

  @Override
  public void close() throws Exception {
    closed = true;
    if (sequencer != null) {
      sequencer.close();
    }
    super.close();
  }

  // ------------------------------------------------------------------ input

  @Override
  public void processElement1(StreamRecord<UserEvent> element) throws Exception {
    inputSinceChunk++;
    UserEvent event = element.getValue();
    UserRecord before = load();
    try {
      UserRecord after;
      if (event.at().toEpochMilli() <= sequencer.watermark()) {
        lateEvents.inc();
        after = agenda.applyLate(before, event, book, sequencer.now());
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
    inputSinceChunk++;
    ControlInput input = element.getValue();
    sequencer.receive(input.record(), input.origin(), input.raw());
    drive(); // behind event time: applies now; a campaign starts at event time
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    inputSinceChunk++;
    sequencer.advance(mark.getTimestamp());
    pendingMark = mark;
    drive();
  }

  /**
   * Moves event time on by one chunk; if a sweep is still under way, the next chunk goes to the
   * mailbox, behind whatever input (a checkpoint barrier) is waiting. The watermark is passed on
   * once event time has reached it.
   */
  private void drive() throws Exception {
    drive(false);
  }

  /**
   * @param inputWaiting whether input went in since the last chunk (so more is waiting)
   */
  private void drive(boolean inputWaiting) throws Exception {
    if (chunkQueued || closed) {
      return; // the queued chunk goes on from where the sweep stands
    }
    boolean caughtUp = sequencer.run(chunkUsers, System.nanoTime() + CHUNK_NANOS);
    inputSinceChunk = 0;
    if (caughtUp) {
      emitPendingMark();
    } else {
      queueChunk(inputWaiting);
    }
  }

  private void queueChunk(boolean inputWaiting) {
    chunkQueued = true;
    sweepChunks++;
    if (inputWaiting) {
      // Let the input in for a moment: between two mails Flink takes one record only.
      ProcessingTimeService time = getProcessingTimeService();
      time.registerTimer(time.getCurrentProcessingTime() + PAUSE_MILLIS, ts -> nextChunk());
    } else {
      mailbox.execute(this::nextChunk, "sweep chunk");
    }
  }

  private void nextChunk() throws Exception {
    chunkQueued = false;
    drive(inputSinceChunk > 0);
  }

  private void emitPendingMark() {
    if (pendingMark != null) {
      output.emitWatermark(pendingMark);
      pendingMark = null;
    }
  }

  /** The operator's side of the event-time protocol: users in RocksDB, timers in Flink's. */
  private final class Host implements Sequencer.Host {

    @Override
    public void advanceTimers(long to) throws Exception {
      timeServiceManager.advanceWatermark(new Watermark(to));
    }

    @Override
    public Sequencer.Keys keys(Sequencer.Sweep sweep) {
      cursor = null;
      sweepStartNanos = System.nanoTime();
      sweepChunks = 0;
      KeyedStateBackend<UserKey> backend = getKeyedStateBackend();
      Stream<UserKey> stream = backend.getKeys(USER_STATE, VoidNamespace.INSTANCE);
      Iterator<UserKey> keys = stream.iterator();
      SweepProgress.Walk resumed = resumedWalk;
      Iterator<UserKey> it = resumed == null ? keys : new Unwalked(keys, resumed);
      return new Sequencer.Keys() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public UserKey next() {
          return it.next();
        }

        @Override
        public void close() {
          stream.close();
        }
      };
    }

    @Override
    public void visit(UserKey key, Sequencer.Sweep sweep) throws Exception {
      cursor = key;
      setCurrentKey(key);
      sweptUsers.inc();
      UserRecord before = records.value();
      Instant t = sweep.at();
      try {
        UserAgenda.Step step =
            agenda.sweep(before, key, t, sweep.starting(), sweep.reminders(), sweep.spread(), book);
        store(key, before, step.record(), Long.MIN_VALUE);
        emit(step.verdicts());
      } catch (RuntimeException e) {
        // The user is left as they were: not in these audiences, not armed for reminders.
        String what =
            sweep.starting().isEmpty() ? "reminders" : "campaigns " + ids(sweep.starting());
        defect(
            t,
            Metrics.defect("taking " + key + " into the " + what + " at " + Wire.format(t), e),
            key.toString());
      }
    }

    @Override
    public void swept(Sequencer.Sweep sweep) {
      resumedWalk = null;
      cursor = null;
      LOG.info(
          "sweep at {} on subtask {}: {} users in {} ms, {} chunks ({})",
          Wire.format(sweep.at()),
          subtask,
          sweep.visited(),
          (System.nanoTime() - sweepStartNanos) / 1_000_000,
          sweepChunks + 1,
          sweep.starting().isEmpty() ? "reminders" : "campaigns " + ids(sweep.starting()));
    }

    @Override
    public int parallelism() {
      return parallelism;
    }

    @Override
    public void rejected(Rejection rejected, Instant t) {
      if (subtask != 0) {
        return; // every subtask sees it: report it once
      }
      deadLetters.get(Metrics.PROBLEM, rejected.problem().name()).inc();
      output.collect(
          DEAD_LETTERS,
          new StreamRecord<>(
              DeadLetter.of(
                  rejected.record().at(), rejected.origin(), rejected.reason(), rejected.raw()),
              t.toEpochMilli()));
    }

    @Override
    public void applyFailed(Arrival arrival, Instant t, RuntimeException e) {
      if (subtask == 0) { // every subtask sees it: report it once
        defect(
            arrival.record().at(),
            arrival.origin(),
            Metrics.defect("applying the " + arrival.record().type() + " record", e),
            arrival.raw());
      }
    }
  }

  /** The keys of a resumed sweep that it has not visited yet. */
  private final class Unwalked implements Iterator<UserKey> {
    private final Iterator<UserKey> keys;
    private final SweepProgress.Walk walk;
    private UserKey next;

    Unwalked(Iterator<UserKey> keys, SweepProgress.Walk walk) {
      this.keys = keys;
      this.walk = walk;
    }

    @Override
    public boolean hasNext() {
      while (next == null && keys.hasNext()) {
        UserKey k = keys.next();
        if (!walked(walk, k)) {
          next = k;
        }
      }
      return next != null;
    }

    @Override
    public UserKey next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      UserKey k = next;
      next = null;
      return k;
    }
  }

  // ------------------------------------------------------------------ sweep progress

  /** Where this subtask stands, for the checkpoint. */
  private SweepProgress progress() throws IOException {
    Sequencer.Sweep sweep = sequencer.sweep();
    SweepProgress.Walk walk = null;
    if (sweep != null) {
      BitSet done = new BitSet();
      Map<Integer, byte[]> partial = new HashMap<>();
      int at =
          cursor == null ? -1 : KeyGroupRangeAssignment.assignToKeyGroup(cursor, maxParallelism);
      for (int kg = keyGroups.getStartKeyGroup(); kg <= keyGroups.getEndKeyGroup(); kg++) {
        if (kg < at) {
          done.set(kg);
        } else if (kg == at) {
          partial.put(kg, keyBytes(cursor));
        } else if (resumedWalk != null) {
          switch (resumedWalk.state(kg)) {
            case DONE -> done.set(kg);
            case PARTIAL -> partial.put(kg, resumedWalk.partial().get(kg));
            case TO_WALK -> {}
          }
        }
      }
      Map<String, SweepProgress.Slots> slots = new HashMap<>();
      Spread spread = sweep.spread();
      for (Campaign c : sweep.starting()) {
        slots.put(
            c.id(),
            new SweepProgress.Slots(
                spread.taken().getOrDefault(c.id(), 0L), spread.lastDecisions().get(c.id())));
      }
      walk =
          new SweepProgress.Walk(
              sweep.at(),
              idList(sweep.starting()),
              sweep.reminders(),
              parallelism,
              slots,
              done,
              partial);
    }
    return new SweepProgress(
        keyGroups.getStartKeyGroup(),
        keyGroups.getEndKeyGroup(),
        sequencer.now().toEpochMilli(),
        walk);
  }

  /** Whether a resumed sweep has already visited {@code key}. */
  private boolean walked(SweepProgress.Walk walk, UserKey key) {
    int kg = KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
    return switch (walk.state(kg)) {
      case DONE -> true;
      case TO_WALK -> false;
      case PARTIAL -> {
        try {
          yield SweepProgress.compareBytes(keyBytes(key), walk.partial().get(kg)) <= 0;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  private static byte[] keyBytes(UserKey key) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    UserKeySerializer.INSTANCE.serialize(key, out);
    return out.getCopyOfBuffer();
  }

  /**
   * Resumes the sweep that was under way at the checkpoint, if any: for each of this subtask's key
   * groups, from where its subtask then stood. Without a rescale that is exactly where this subtask
   * was, with its slots; after one, a rated campaign's slots go on after the last slot any subtask
   * gave, at the new parallelism, so that the rate holds.
   */
  private void resumeSweep() throws Exception {
    List<SweepProgress> walking = new ArrayList<>();
    for (SweepProgress p : restoredProgress) {
      if (p.walk != null) {
        walking.add(p);
      }
    }
    List<SweepProgress> all = restoredProgress;
    restoredProgress = null;
    if (walking.isEmpty()) {
      return;
    }
    walking.sort(Comparator.comparing(p -> p.walk.at()));
    Instant t = walking.get(0).walk.at();
    SweepProgress first = walking.get(0);
    if (!walking.get(walking.size() - 1).walk.at().equals(t)) {
      LOG.warn(
          "the checkpoint holds sweeps at different instants ({} to {}); the sweep at {} is"
              + " resumed, the later ones start again when event time reaches them",
          Wire.format(t),
          Wire.format(walking.get(walking.size() - 1).walk.at()),
          Wire.format(t));
    }
    BitSet done = new BitSet();
    Map<Integer, byte[]> partial = new HashMap<>();
    SweepProgress only = null; // the one old subtask all of this one's key groups come from
    boolean single = true;
    for (int kg = keyGroups.getStartKeyGroup(); kg <= keyGroups.getEndKeyGroup(); kg++) {
      SweepProgress owner = null;
      for (SweepProgress p : all) {
        if (p.covers(kg)) {
          owner = p;
          break;
        }
      }
      if (owner == null) {
        continue; // no subtask held it: nothing stored there, nothing to walk
      }
      if (only == null) {
        only = owner;
      } else if (only != owner) {
        single = false;
      }
      if (owner.walk != null && owner.walk.at().equals(t)) {
        switch (owner.walk.state(kg)) {
          case DONE -> done.set(kg);
          case PARTIAL -> partial.put(kg, owner.walk.partial().get(kg));
          case TO_WALK -> {}
        }
      } else if (owner.walk != null || owner.eventTime >= t.toEpochMilli()) {
        done.set(kg); // its subtask was past this sweep
      }
    }
    List<Campaign> starting = new ArrayList<>();
    Map<String, Long> taken = new HashMap<>();
    Map<String, Instant> last = new HashMap<>();
    boolean same =
        single
            && only != null
            && only.walk != null
            && only.walk.parallelism() == parallelism
            && only.kgStart == keyGroups.getStartKeyGroup()
            && only.kgEnd == keyGroups.getEndKeyGroup();
    for (String id : first.walk.campaigns()) {
      if (!(book.entry(id) instanceof CampaignBook.CampaignEntry e)) {
        continue;
      }
      Campaign c = e.campaign();
      starting.add(c);
      if (same) {
        SweepProgress.Slots s = only.walk.slots().get(id);
        if (s != null) {
          taken.put(id, s.taken());
          if (s.last() != null) {
            last.put(id, s.last());
          }
        }
        continue;
      }
      Instant latest = e.lastDecisionAt();
      for (SweepProgress p : walking) {
        SweepProgress.Slots s = p.walk.slots().get(id);
        if (s != null && s.last() != null && (latest == null || s.last().isAfter(latest))) {
          latest = s.last();
        }
      }
      if (latest != null) {
        last.put(id, latest);
        if (c.rate() != null) {
          // A second after the last slot given: a window of one second then holds old slots or
          // new ones, never both, so it never holds more than the rate.
          taken.put(id, Spread.resumeAfter(t, latest.plusMillis(999), parallelism, c.rate()));
        }
      }
    }
    resumedWalk =
        new SweepProgress.Walk(
            t,
            first.walk.campaigns(),
            first.walk.reminders(),
            parallelism,
            Map.of(),
            done,
            partial);
    LOG.info(
        "resuming the sweep at {} on subtask {} ({} of key groups {}-{} already walked)",
        Wire.format(t),
        subtask,
        done.cardinality(),
        keyGroups.getStartKeyGroup(),
        keyGroups.getEndKeyGroup());
    sequencer.resume(
        new Sequencer.Sweep(
            t, starting, first.walk.reminders(), new Spread(t, parallelism, taken, last)));
    queueChunk(false); // the walk goes on through the mailbox, as it did before the checkpoint
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
    return String.join(", ", idList(campaigns));
  }

  private static List<String> idList(List<Campaign> campaigns) {
    List<String> ids = new ArrayList<>(campaigns.size());
    for (Campaign c : campaigns) {
      ids.add(c.id());
    }
    return ids;
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
    UserKey key = (UserKey) getCurrentKey();
    UserRecord r = recent.get(key);
    if (r == null) {
      r = records.value();
      if (r == null) {
        r = UserRecord.EMPTY;
      }
      recent.put(key, r);
    }
    return r;
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
    recent.remove(key); // until it is written
    if (after.isEmpty()) {
      records.clear();
      recent.put(key, UserRecord.EMPTY);
    } else if (!after.equals(before)) {
      records.update(after);
      recent.put(key, after);
    } else {
      recent.put(key, before); // as stored
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
