package dev.herald.policy;

import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.UserRecord;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The steps of one user through event time, as the job drives them: {@link UserAgenda} is the one
 * implementation. The job depends on this interface so that its handling of a step that throws can
 * be tested with a step that does.
 */
public interface Agenda {

  /** Keeps an event that is ahead of event time until event time reaches its {@code at}. */
  UserRecord buffer(UserRecord r, UserEvent e);

  /** Applies an event that arrived behind event time ({@code now}) at once. */
  UserRecord applyLate(UserRecord r, UserEvent e, CampaignBook book, Instant now);

  /** Event time has reached {@code t} for this user: applies what is due and decides. */
  UserAgenda.Step advance(UserRecord r, UserKey key, Instant t, CampaignBook book);

  /** A campaign start or reminder definition at {@code t} visits this user. */
  UserAgenda.Step sweep(
      UserRecord r,
      UserKey key,
      Instant t,
      List<Campaign> starting,
      boolean reminders,
      Function<Campaign, Instant> slot,
      CampaignBook book);
}
