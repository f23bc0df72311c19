package dev.herald.reference;

import dev.herald.policy.CampaignBook;
import dev.herald.policy.CampaignBook.Rejection;
import dev.herald.policy.Policy;
import dev.herald.policy.Spread;
import dev.herald.policy.UserAgenda;
import dev.herald.policy.Verdict;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Reminder;
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

  private ReferenceEngine(Policy policy) {
    this.agenda = new UserAgenda(policy);
  }

  /** Replays {@code records} (in the order they were written). */
  public static Result run(List<InputRecord> records, Policy policy) {
    ReferenceEngine engine = new ReferenceEngine(policy);
    for (int i = 0; i < records.size(); i++) {
      engine.receive(records.get(i), "record " + (i + 1));
    }
    engine.runToEnd();
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
      book.receive((ControlRecord) r, origin, RecordCodec.write(r));
    }
  }

  private void runToEnd() {
    while (true) {
      Instant next = book.nextInstant();
      fireTimersBefore(next);
      if (next == null) {
        return;
      }
      for (CampaignBook.Arrival r : book.takeWaiting(next)) {
        Rejection rejected = book.apply(r, next);
        if (rejected != null) {
          rejections.add(rejected);
        }
      }
      List<Campaign> starting = book.startingAt(next);
      List<Reminder> arming = book.armingAt(next);
      if (!starting.isEmpty() || !arming.isEmpty()) {
        sweep(next, starting, !arming.isEmpty());
      }
      book.forgetOld(next);
    }
  }

  /** Fires every timer before {@code limit} ({@code null}: all), in event-time order. */
  private void fireTimersBefore(Instant limit) {
    while (!timers.isEmpty() && (limit == null || timers.firstKey().isBefore(limit))) {
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

  private void sweep(Instant t, List<Campaign> starting, boolean reminders) {
    Spread spread = new Spread(t, 1);
    for (UserKey key : new ArrayList<>(users.keySet())) {
      UserRecord before = users.get(key);
      UserAgenda.Step step = agenda.sweep(before, key, t, starting, reminders, spread, book);
      emit(step.verdicts());
      store(key, before, step.record());
    }
    book.markStarted(t, spread.lastDecisions());
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
