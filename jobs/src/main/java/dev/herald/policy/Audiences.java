package dev.herald.policy;

import dev.herald.schema.Audience;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Reminder;
import dev.herald.schema.Fallback;
import dev.herald.schema.Message;
import dev.herald.schema.UserKey;
import dev.herald.state.UserState;
import java.time.Instant;

/** Who is in an audience at an instant, and which variant of a message a user gets. */
public final class Audiences {

  private Audiences() {}

  /**
   * Whether the user is in the campaign's audience at {@code t}: known, on the campaign's channel
   * and account, matching its filter, and — for an {@code OTN} or {@code RECURRING} fallback —
   * holding or having held a token or subscription for its topic.
   */
  public static boolean matches(Campaign c, UserKey key, UserState s, Instant t) {
    if (s == null || !key.isOn(c.channel(), c.account()) || !matches(c.audience(), key, s, t)) {
      return false;
    }
    if (c.outsideWindow() == Fallback.OTN) {
      return s.otnTopics().contains(c.topic());
    }
    if (c.outsideWindow() == Fallback.RECURRING) {
      return s.subscription(c.topic()) != null;
    }
    return true;
  }

  /** Whether the user is in the reminder's audience at {@code t}. */
  public static boolean matches(Reminder r, UserKey key, UserState s, Instant t) {
    return s != null && key.isOn(r.channel(), r.account()) && matches(r.audience(), key, s, t);
  }

  /** Whether a known user matches an audience filter at {@code t}. */
  public static boolean matches(Audience a, UserKey key, UserState s, Instant t) {
    if (!s.hasAllTags(a.allTags())) {
      return false;
    }
    if (!a.anyTags().isEmpty() && !s.hasAnyTag(a.anyTags())) {
      return false;
    }
    if (!a.noneTags().isEmpty() && s.hasAnyTag(a.noneTags())) {
      return false;
    }
    Instant last = s.lastInteractionAt();
    if (a.interactedWithin() != null
        && (last == null || last.isBefore(t.minus(a.interactedWithin())))) {
      return false;
    }
    if (a.inactiveFor() != null && last != null && last.isAfter(t.minus(a.inactiveFor()))) {
      return false;
    }
    return a.users().isEmpty() || a.users().contains(key.user());
  }

  /** The first variant whose tags the user all has, or {@code null} for the default message. */
  public static Message.Variant variant(Message m, UserState s) {
    for (Message.Variant v : m.variants()) {
      if (s.hasAllTags(v.whenTags())) {
        return v;
      }
    }
    return null;
  }

  /** Where the conversation resumes: the fixed interaction, the user's breadcrumb, or null. */
  public static String resumeAt(Message m, UserState s) {
    return Message.BREADCRUMB.equals(m.resumeAt()) ? s.breadcrumb() : m.resumeAt();
  }
}
