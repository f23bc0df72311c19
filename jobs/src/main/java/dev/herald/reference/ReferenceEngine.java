package dev.herald.reference;

import dev.herald.policy.CampaignBook;
import dev.herald.policy.CampaignBook.Rejection;
import dev.herald.policy.Policy;
import dev.herald.policy.Sequencer;
import dev.herald.policy.UserAgenda;
import dev.herald.policy.Verdict;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.Decision;
import dev.herald.schema.InputRecord;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.SendRequest;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.UserRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Replays a whole input through the policy core in one thread, without Flink: every record is read
 * first, then event time runs from the earliest instant to the last, exactly as the job runs a
 * bounded replay on one subtask. Used to check the core against worked scenarios and, later, as the
 * model the job is compared with.
 */
public final class ReferenceEngine {

  /** Everything a replay produced. */
  public record Result(
      List<Decision> decisions, List<SendRequest> requests, List<Rejection> rejections) {}

  /** By channel, account and user: as text, account p with user a/b would read as p/a with b. */
  private static final Comparator<UserKey> KEY_ORDER =
      Comparator.comparing((UserKey k) -> k.channel().wire())
          .thenComparing(UserKey::account)
          .thenComparing(UserKey::user);

  private final UserAgenda agenda;
  private final CampaignBook book = new CampaignBook();
  private final TreeMap<UserKey, UserRecord> users = new TreeMap<>(KEY_ORDER);
  private final TreeMap<Instant, Set<UserKey>> timers = new TreeMap<>();
  private final List<Decision> decisions = new ArrayList<>();
  private final List<SendRequest> requests = new ArrayList<>();
  private final List<Rejection> rejections = new ArrayList<>();
  private final Sequencer sequencer = new Sequencer(book, new Host());

  private ReferenceEngine(Policy policy) {
    this.agenda = new UserAgenda(policy);
  }

  /** Replays {@code records} (in the order they were written). */
  public static Result run(List<InputRecord> records, Policy policy) {
    return run(records, policy, Long.MAX_VALUE);
  }

  /**
   * Replays {@code records}, walking sweeps in chunks of {@code chunk} users, as the job does: the
   * result is the same for every chunk size.
   */
  public static Result run(List<InputRecord> records, Policy policy, long chunk) {
    ReferenceEngine engine = new ReferenceEngine(policy);
    for (int i = 0; i < records.size(); i++) {
      engine.receive(records.get(i), "record " + (i + 1));
    }
    engine.sequencer.advance(Long.MAX_VALUE);
    try {
      while (!engine.sequencer.run(chunk, Long.MAX_VALUE)) {
        // the next chunk
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new Result(
        List.copyOf(engine.decisions),
        List.copyOf(engine.requests),
        List.copyOf(engine.rejections));
  }

  private void receive(InputRecord r, String origin) {
    if (r instanceof UserEvent e) {
      UserRecord before = users.getOrDefault(e.key(), UserRecord.EMPTY);
      store(e.key(), before, agenda.buffer(before, e));
    } else {
      sequencer.receive((ControlRecord) r, origin, RecordCodec.write(r));
    }
  }

  /** The engine's side of the protocol: users in a sorted map, timers in another. */
  private final class Host implements Sequencer.Host {

    /** Fires every timer at or before {@code to}, in event-time order. */
    @Override
    public void advanceTimers(long to) {
      while (!timers.isEmpty() && timers.firstKey().toEpochMilli() <= to) {
        Map.Entry<Instant, Set<UserKey>> due = timers.pollFirstEntry();
        Instant t = due.getKey();
        for (UserKey key : due.getValue()) {
          UserRecord before = users.get(key);
          UserAgenda.Step step = agenda.advance(before, key, t, book);
          emit(step.verdicts());
          store(key, before, step.record());
        }
      }
    }

    @Override
    public Sequencer.Keys keys(Sequencer.Sweep sweep) {
      Iterator<UserKey> it = new ArrayList<>(users.keySet()).iterator();
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
        public void close() {}
      };
    }

    @Override
    public void visit(UserKey key, Sequencer.Sweep sweep) {
      UserRecord before = users.get(key);
      UserAgenda.Step step =
          agenda.sweep(
              before, key, sweep.at(), sweep.starting(), sweep.reminders(), sweep.spread(), book);
      emit(step.verdicts());
      store(key, before, step.record());
    }

    @Override
    public void swept(Sequencer.Sweep sweep) {}

    @Override
    public int parallelism() {
      return 1;
    }

    @Override
    public void rejected(Rejection rejection, Instant at) {
      rejections.add(rejection);
    }

    @Override
    public void applyFailed(CampaignBook.Arrival arrival, Instant at, RuntimeException e) {
      throw e;
    }
  }

  private void emit(List<Verdict> verdicts) {
    for (Verdict v : verdicts) {
      decisions.add(v.decision());
      if (v.request() != null) {
        requests.add(v.request());
      }
    }
  }

  private void store(UserKey key, UserRecord before, UserRecord after) {
    NavigableSet<Instant> old = before == null ? new TreeSet<>() : before.dueInstants();
    NavigableSet<Instant> now = after.dueInstants();
    for (Instant t : old) {
      if (!now.contains(t)) {
        Set<UserKey> keys = timers.get(t);
        if (keys != null) {
          keys.remove(key);
          if (keys.isEmpty()) {
            timers.remove(t);
          }
        }
      }
    }
    for (Instant t : now) {
      timers.computeIfAbsent(t, x -> new TreeSet<>(KEY_ORDER)).add(key);
    }
    if (after.isEmpty()) {
      users.remove(key);
    } else {
      users.put(key, after);
    }
  }
}
