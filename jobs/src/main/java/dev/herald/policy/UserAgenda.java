package dev.herald.policy;

import dev.herald.policy.CampaignBook.CampaignEntry;
import dev.herald.policy.CampaignBook.Entry;
import dev.herald.policy.CampaignBook.ReminderEntry;
import dev.herald.schema.Bounds;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Reminder;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.PendingDecision;
import dev.herald.state.UserRecord;
import dev.herald.state.UserState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What happens to one user at one instant of event time: events applied in order, then the
 * decisions due, campaign by campaign in id order (reminders by their id among them). The {@link
 * UserRecord} it works on is what the job stores per key; the job's only other task is to hold one
 * event-time timer per {@link UserRecord#dueInstants() due instant}.
 *
 * <p>Plain Java, used by the Flink operator and by the Flink-free {@code ReferenceEngine} alike.
 */
public final class UserAgenda implements Agenda {

  /** A user's record after a step, and the decisions made in it, in order. */
  public record Step(UserRecord record, List<Verdict> verdicts) {}

  private static final Comparator<UserEvent> BY_AT = Comparator.comparing(UserEvent::at);

  private final Policy policy;

  public UserAgenda(Policy policy) {
    this.policy = policy;
  }

  public Policy policy() {
    return policy;
  }

  /** Keeps an event that is ahead of event time until event time reaches its {@code at}. */
  @Override
  public UserRecord buffer(UserRecord r, UserEvent e) {
    List<UserEvent> buffered = new ArrayList<>(r.buffered().size() + 1);
    buffered.addAll(r.buffered());
    buffered.add(e);
    buffered.sort(BY_AT); // stable: events at one instant keep their order of arrival
    return new UserRecord(r.state(), buffered, r.decisions(), r.reminderDue());
  }

  /**
   * Applies an event that arrived behind event time ({@code now}) at once. Decisions already made
   * stand; reminders are re-armed from the new state.
   */
  @Override
  public UserRecord applyLate(UserRecord r, UserEvent e, CampaignBook book, Instant now) {
    UserState s = UserStates.apply(r.state(), e);
    List<PendingDecision> decisions = s == null ? List.of() : r.decisions();
    return new UserRecord(s, r.buffered(), decisions, nextReminder(e.key(), s, book, now, true));
  }

  /**
   * Event time has reached {@code t} for this user: applies the buffered events with {@code at ≤
   * t}, then makes every decision due at {@code t}.
   */
  @Override
  public Step advance(UserRecord r, UserKey key, Instant t, CampaignBook book) {
    r = catchUp(r, key, t, book);
    UserState s = r.state();
    List<Verdict> verdicts = new ArrayList<>();
    List<Due> due = dueAt(r, key, t, book);
    for (Due d : due) {
      Verdict v = null;
      if (d.entry() instanceof CampaignEntry c) {
        v = policy.decide(c.campaign(), key, s, t, c.cancelledAt());
      } else if (d.entry() instanceof ReminderEntry re
          && Audiences.matches(re.reminder(), key, s, t)) {
        v = policy.decide(re.reminder(), key, s, t);
      }
      if (v != null) {
        verdicts.add(v);
        s = v.after();
      }
    }
    s = UserStates.prune(s, t, policy.timeline().rulesAt(t), policy.config().frequencyCap());
    List<PendingDecision> left = new ArrayList<>(r.decisions().size());
    for (PendingDecision p : r.decisions()) {
      if (p.at().isAfter(t)) {
        left.add(p);
      }
    }
    Instant reminder = r.reminderDue();
    if (reminder != null && !reminder.isAfter(t)) {
      reminder = nextReminder(key, s, book, t, false);
    }
    return new Step(new UserRecord(s, r.buffered(), left, reminder), verdicts);
  }

  /**
   * A campaign start or reminder definition at {@code t} visits this user: catches the user up to
   * {@code t}, arms a decision for each starting campaign whose audience the user is in (at the
   * instant {@code slot} gives), arms reminders, and makes whatever is then due at {@code t}.
   */
  @Override
  public Step sweep(
      UserRecord r,
      UserKey key,
      Instant t,
      List<Campaign> starting,
      boolean reminders,
      Function<Campaign, Instant> slot,
      CampaignBook book) {
    r = catchUp(r, key, t, book);
    UserState s = r.state();
    if (s == null) {
      return new Step(r, List.of());
    }
    List<PendingDecision> decisions = null;
    for (Campaign c : starting) {
      if (Audiences.matches(c, key, s, t)) {
        if (decisions == null) {
          decisions = new ArrayList<>(r.decisions());
        }
        decisions.add(new PendingDecision(slot.apply(c), c.id()));
      }
    }
    if (decisions != null) {
      decisions.sort(PendingDecision.ORDER);
    }
    Instant reminder = reminders ? nextReminder(key, s, book, t, true) : r.reminderDue();
    if (decisions == null && Objects.equals(reminder, r.reminderDue())) {
      return new Step(r, List.of());
    }
    r = new UserRecord(s, r.buffered(), decisions == null ? r.decisions() : decisions, reminder);
    if (r.dueInstants().contains(t)) {
      return advance(r, key, t, book);
    }
    return new Step(r, List.of());
  }

  /** Applies the buffered events with {@code at ≤ t}, in order. */
  private UserRecord catchUp(UserRecord r, UserKey key, Instant t, CampaignBook book) {
    if (r.buffered().isEmpty() || r.buffered().get(0).at().isAfter(t)) {
      return r;
    }
    UserState s = r.state();
    List<PendingDecision> decisions = r.decisions();
    int applied = 0;
    for (UserEvent e : r.buffered()) {
      if (e.at().isAfter(t)) {
        break;
      }
      s = UserStates.apply(s, e);
      if (s == null) {
        decisions = List.of(); // erased: nothing more is decided for this user
      }
      applied++;
    }
    List<UserEvent> left = r.buffered().subList(applied, r.buffered().size());
    // Re-arm from the new state: an interaction starts a new cycle; an erasure clears it.
    return new UserRecord(s, left, decisions, nextReminder(key, s, book, t, true));
  }

  /** What is due for this user at {@code t}, in id order. */
  private List<Due> dueAt(UserRecord r, UserKey key, Instant t, CampaignBook book) {
    List<Due> due = new ArrayList<>();
    for (PendingDecision p : r.decisions()) {
      if (p.at().equals(t)) {
        Entry e = book.entry(p.campaign());
        if (e instanceof CampaignEntry) {
          due.add(new Due(p.campaign(), e));
        }
      }
    }
    UserState s = r.state();
    if (s != null && s.lastInteractionAt() != null && t.equals(r.reminderDue())) {
      for (ReminderEntry re : book.reminders(key.channel(), key.account(), t)) {
        Reminder rem = re.reminder();
        if (s.lastInteractionAt().plus(rem.afterInactivity()).equals(t) && t.isAfter(rem.at())) {
          due.add(new Due(rem.id(), re));
        }
      }
    }
    due.sort(Comparator.comparing(Due::id));
    return due;
  }

  private record Due(String id, Entry entry) {}

  /**
   * The next instant from {@code after} (included or not) at which a reminder of the user's account
   * decides for the cycle of their last interaction, or {@code null}. A reminder decides only for
   * cycles ending strictly after its own {@code at}, and none ending after {@link Bounds#LATEST}.
   */
  private static Instant nextReminder(
      UserKey key, UserState s, CampaignBook book, Instant after, boolean inclusive) {
    if (s == null || s.lastInteractionAt() == null) {
      return null;
    }
    Instant next = null;
    for (ReminderEntry re : book.reminders(key.channel(), key.account(), after)) {
      Reminder rem = re.reminder();
      Instant due = s.lastInteractionAt().plus(rem.afterInactivity());
      boolean ahead = inclusive ? !due.isBefore(after) : due.isAfter(after);
      if (due.isAfter(rem.at())
          && ahead
          && !due.isAfter(Bounds.LATEST) // a cycle ending after the end of time never ends
          && (next == null || due.isBefore(next))) {
        next = due;
      }
    }
    return next;
  }
}
