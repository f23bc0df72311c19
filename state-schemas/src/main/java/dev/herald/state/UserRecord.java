package dev.herald.state;

import dev.herald.schema.UserEvent;
import java.time.Instant;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * All the job keeps for one user key: the user's state, the events that arrived ahead of event time
 * and wait to be applied, the decisions armed for them, and when the next reminder is due.
 *
 * @param state the user's state; {@code null} while the user is unknown (never seen, or erased)
 * @param buffered events not yet applied, by {@code at}, then order of arrival
 * @param decisions armed campaign decisions, by instant, then campaign id
 * @param reminderDue the instant of the next reminder decision, or {@code null}
 */
public record UserRecord(
    UserState state,
    List<UserEvent> buffered,
    List<PendingDecision> decisions,
    Instant reminderDue) {

  /** Nothing known, nothing pending. */
  public static final UserRecord EMPTY = new UserRecord(null, List.of(), List.of(), null);

  public UserRecord {
    buffered = List.copyOf(buffered);
    decisions = List.copyOf(decisions);
  }

  /** Whether there is nothing to keep: the key's storage can be cleared. */
  public boolean isEmpty() {
    return state == null && buffered.isEmpty() && decisions.isEmpty() && reminderDue == null;
  }

  /** The instants at which something is due for this user: one event-time timer each. */
  public NavigableSet<Instant> dueInstants() {
    TreeSet<Instant> due = new TreeSet<>();
    for (UserEvent e : buffered) {
      due.add(e.at());
    }
    for (PendingDecision d : decisions) {
      due.add(d.at());
    }
    if (reminderDue != null) {
      due.add(reminderDue);
    }
    return due;
  }
}
