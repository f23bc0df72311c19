package dev.herald.policy;

import dev.herald.channel.MessagingChannel;
import dev.herald.schema.Basis;
import dev.herald.schema.Bounds;
import dev.herald.schema.Category;
import dev.herald.schema.Channel;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Reminder;
import dev.herald.schema.Decision;
import dev.herald.schema.Frequency;
import dev.herald.schema.Message;
import dev.herald.schema.MessageTag;
import dev.herald.schema.NotificationType;
import dev.herald.schema.SendRequest;
import dev.herald.schema.SkipReason;
import dev.herald.schema.Template;
import dev.herald.schema.UserKey;
import dev.herald.state.ConsentMark;
import dev.herald.state.OptinRequestMark;
import dev.herald.state.OtnToken;
import dev.herald.state.Subscription;
import dev.herald.state.UserState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The delivery rules: whether a message may go to one user at one instant, on what basis, and what
 * sending it spends. Pure: the state and the instant are passed in; nothing is read from a clock.
 *
 * <p>Skip reasons are checked in the order of {@link SkipReason}: cancelled, ended, unreachable,
 * audience changed, opted out, frequency capped, then the window and the campaign's fallback.
 */
public final class Policy {

  /** A message is never released more than this after its decision. */
  public static final Duration MAX_RELEASE_DELAY = Duration.ofHours(24);

  private final PolicyTimeline timeline;
  private final PolicyConfig config;

  public Policy(PolicyTimeline timeline, PolicyConfig config) {
    this.timeline = Objects.requireNonNull(timeline, "timeline");
    this.config = Objects.requireNonNull(config, "config");
  }

  public PolicyTimeline timeline() {
    return timeline;
  }

  public PolicyConfig config() {
    return config;
  }

  // ------------------------------------------------------------------ campaigns

  /**
   * Decides for one user of a campaign at {@code t}. The user was taken into the audience at the
   * campaign's start; {@code cancelledAt} is when the campaign was cancelled, or {@code null}.
   *
   * @param s the user's state as of {@code t}; {@code null} is an unknown user, who can only be
   *     skipped as no longer in the audience
   */
  public Verdict decide(Campaign c, UserKey key, UserState s, Instant t, Instant cancelledAt) {
    if (cancelledAt != null && !cancelledAt.isAfter(t)) {
      return skip(c, key, s, t, SkipReason.CAMPAIGN_CANCELLED);
    }
    if (c.endAt() != null && !t.isBefore(c.endAt())) {
      return skip(c, key, s, t, SkipReason.CAMPAIGN_ENDED);
    }
    if (s != null && isUnreachable(s)) {
      return skip(c, key, s, t, SkipReason.UNREACHABLE);
    }
    if (!Audiences.matches(c, key, s, t)) {
      return skip(c, key, s, t, SkipReason.AUDIENCE_CHANGED);
    }
    if (isOptedOut(s, c.category())) {
      return skip(c, key, s, t, SkipReason.OPTED_OUT);
    }
    if (c.promotional() && isCapped(s, t)) {
      return skip(c, key, s, t, SkipReason.FREQUENCY_CAPPED);
    }
    PolicyRules rules = timeline.rulesAt(t);
    Instant windowEnd = windowEnd(key.channel(), s, rules);
    boolean inWindow = windowEnd != null && t.isBefore(windowEnd);

    if (c.isOptinRequest()) {
      return optinRequest(c, key, s, t, rules, inWindow, windowEnd);
    }
    if (inWindow) {
      boolean templateOnly =
          MessagingChannel.of(key.channel()).sendsTemplates() && c.message().text() == null;
      return send(
          c, key, s, t, templateOnly ? Basis.TEMPLATE : Basis.STANDARD_WINDOW, null, windowEnd, s);
    }
    return fallback(c, key, s, t);
  }

  /**
   * The verdict of the campaign's fallback alone, for a known user outside the window at {@code t};
   * the checks that come before it in {@link #decide} are not made. This is the only way to meet
   * {@code NO_SUBSCRIPTION}: a {@code RECURRING} campaign's audience holds only users who have or
   * had a subscription to its topic.
   */
  public Verdict fallback(Campaign c, UserKey key, UserState s, Instant t) {
    PolicyRules rules = timeline.rulesAt(t);
    return switch (c.outsideWindow()) {
      case SKIP -> skip(c, key, s, t, SkipReason.OUTSIDE_WINDOW);
      case MESSAGE_TAG -> messageTag(c, key, s, t, rules);
      case OTN -> otn(c, key, s, t, rules);
      case RECURRING -> recurring(c, key, s, t, rules);
      case TEMPLATE -> template(c, key, s, t);
    };
  }

  private Verdict messageTag(Campaign c, UserKey key, UserState s, Instant t, PolicyRules rules) {
    MessageTag tag = c.tag();
    if (c.promotional() || rules.retiredTags().contains(tag)) {
      return skip(c, key, s, t, SkipReason.TAG_NOT_ALLOWED);
    }
    Instant notAfter = timeline.firstAfter(t, r -> r.retiredTags().contains(tag));
    if (tag == MessageTag.HUMAN_AGENT) {
      Instant last = s.lastInteractionAt();
      Instant end = last == null ? null : last.plus(rules.humanAgentWindow());
      if (end == null || !t.isBefore(end)) {
        return skip(c, key, s, t, SkipReason.TAG_NOT_ALLOWED);
      }
      notAfter = earliest(notAfter, end);
    }
    return send(c, key, s, t, Basis.MESSAGE_TAG, null, notAfter, s);
  }

  private Verdict otn(Campaign c, UserKey key, UserState s, Instant t, PolicyRules rules) {
    OtnToken valid = null;
    boolean expired = false;
    for (OtnToken token : s.otnTokens()) {
      if (!token.topic().equals(c.topic()) || token.createdAt().isAfter(t)) {
        continue;
      }
      Instant expiry = token.createdAt().plus(rules.otnValidity());
      if (t.isBefore(expiry)) {
        valid = token; // tokens are kept oldest first: the first valid one is spent
        break;
      }
      if (t.isBefore(expiry.plus(rules.otnRetention()))) {
        expired = true;
      }
    }
    if (valid == null) {
      return skip(c, key, s, t, expired ? SkipReason.TOKEN_EXPIRED : SkipReason.NO_TOKEN);
    }
    List<OtnToken> left = new ArrayList<>(s.otnTokens());
    left.remove(valid);
    UserState spent = s.toBuilder().otnTokens(left).build();
    return send(
        c, key, s, t, Basis.OTN, valid.token(), valid.createdAt().plus(rules.otnValidity()), spent);
  }

  private Verdict recurring(Campaign c, UserKey key, UserState s, Instant t, PolicyRules rules) {
    Subscription sub = s.subscription(c.topic());
    if (sub == null) {
      return skip(c, key, s, t, SkipReason.NO_SUBSCRIPTION);
    }
    if (sub.stopped()) {
      return skip(c, key, s, t, SkipReason.SUBSCRIPTION_STOPPED);
    }
    Instant expiry = expiry(sub, rules);
    if (expiry != null && !t.isBefore(expiry)) {
      return skip(c, key, s, t, SkipReason.SUBSCRIPTION_EXPIRED);
    }
    if (sub.lastSentAt() != null && t.isBefore(nextSlot(sub.lastSentAt(), sub.frequency()))) {
      return skip(c, key, s, t, SkipReason.TOO_SOON);
    }
    if (rules.recurringUserGap() != null) {
      Instant last = lastRecurringMessage(s);
      if (last != null && t.isBefore(last.plus(rules.recurringUserGap()))) {
        return skip(c, key, s, t, SkipReason.TOO_SOON);
      }
    }
    Instant notAfter = sub.expiresAt();
    if (notAfter == null && rules.recurringDerivedExpiry()) {
      Instant derived = derivedExpiry(sub, rules);
      Instant dropped = timeline.firstAfter(t, r -> !r.recurringDerivedExpiry());
      notAfter = dropped == null || derived.isBefore(dropped) ? derived : null;
    }
    UserState spent = UserStates.withSubscription(s, sub.withLastSentAt(t));
    return send(c, key, s, t, Basis.RECURRING, sub.token(), notAfter, spent);
  }

  private Verdict template(Campaign c, UserKey key, UserState s, Instant t) {
    ConsentMark consent = consent(s, c.template().category());
    if (consent == null || !consent.optIn()) {
      return skip(c, key, s, t, SkipReason.NOT_OPTED_IN);
    }
    return send(c, key, s, t, Basis.TEMPLATE, null, null, s);
  }

  private Verdict optinRequest(
      Campaign c,
      UserKey key,
      UserState s,
      Instant t,
      PolicyRules rules,
      boolean inWindow,
      Instant windowEnd) {
    if (!inWindow) {
      return skip(c, key, s, t, SkipReason.OUTSIDE_WINDOW);
    }
    Subscription sub = s.subscription(c.topic());
    if (sub != null && isActive(sub, t, rules)) {
      return skip(c, key, s, t, SkipReason.ALREADY_SUBSCRIBED);
    }
    PolicyRules.Limit perTopic = rules.optinRequestPerTopic();
    if (countRequests(s, c.topic(), t, perTopic.per()) >= perTopic.max()) {
      return skip(c, key, s, t, SkipReason.REQUEST_LIMIT_TOPIC);
    }
    for (PolicyRules.Limit limit : rules.optinRequestLimits()) {
      if (countRequests(s, null, t, limit.per()) >= limit.max()) {
        return skip(c, key, s, t, SkipReason.REQUEST_LIMIT);
      }
    }
    UserState counted = UserStates.withOptinRequest(s, new OptinRequestMark(c.topic(), t));
    return send(c, key, s, t, Basis.STANDARD_WINDOW, null, windowEnd, counted);
  }

  // ------------------------------------------------------------------ reminders

  /**
   * Decides one cycle of a reminder for a user in its audience at {@code t} (the caller checks the
   * audience with {@link Audiences#matches(Reminder, UserKey, UserState, Instant)}: a user outside
   * it gets no decision at all).
   */
  public Verdict decide(Reminder r, UserKey key, UserState s, Instant t) {
    Objects.requireNonNull(s, "a reminder decides only for known users");
    if (isUnreachable(s)) {
      return skip(r.id(), key, s, t, SkipReason.UNREACHABLE, false);
    }
    if (isOptedOut(s, r.category())) {
      return skip(r.id(), key, s, t, SkipReason.OPTED_OUT, false);
    }
    Instant windowEnd = windowEnd(key.channel(), s, timeline.rulesAt(t));
    if (windowEnd == null || !t.isBefore(windowEnd)) {
      return skip(r.id(), key, s, t, SkipReason.OUTSIDE_WINDOW, false);
    }
    Message.Variant variant = Audiences.variant(r.message(), s);
    String resumeAt = Audiences.resumeAt(r.message(), s);
    Decision d =
        Decision.send(
            r.id(),
            key,
            t,
            Basis.STANDARD_WINDOW,
            null,
            variant == null ? null : variant.name(),
            resumeAt,
            false);
    SendRequest request =
        new SendRequest(
            SendRequest.idOf(r.id(), key, t),
            r.id(),
            key,
            Basis.STANDARD_WINDOW,
            null,
            null,
            null,
            variant == null ? r.message().text() : variant.text(),
            resumeAt,
            NotificationType.REGULAR,
            t,
            notAfter(windowEnd, t),
            null,
            null);
    return new Verdict(d, s, request);
  }

  // ------------------------------------------------------------------ the rules

  /**
   * The end of the user's window under {@code rules}: the latest of the last interaction plus the
   * standard window and, on a channel with a longer ad window (Messenger), the last {@code ctm_ad}
   * interaction plus its longer window; {@code null} if the user never interacted. The window is
   * open while {@code T < end}.
   */
  public static Instant windowEnd(Channel channel, UserState s, PolicyRules rules) {
    if (s == null || s.lastInteractionAt() == null) {
      return null;
    }
    Instant end = s.lastInteractionAt().plus(rules.standardWindow());
    if (MessagingChannel.of(channel).ctmAdOpensLongerWindow() && s.lastCtmAdAt() != null) {
      Instant ctm = s.lastCtmAdAt().plus(rules.ctmAdWindow());
      if (ctm.isAfter(end)) {
        end = ctm;
      }
    }
    return end;
  }

  private static boolean isUnreachable(UserState s) {
    return s.unreachableSince() != null;
  }

  private static ConsentMark consent(UserState s, Category category) {
    return category == Category.MARKETING ? s.marketing() : s.utility();
  }

  private static boolean isOptedOut(UserState s, Category category) {
    ConsentMark consent = consent(s, category);
    return consent != null && !consent.optIn();
  }

  private boolean isCapped(UserState s, Instant t) {
    FrequencyCap cap = config.frequencyCap();
    if (cap == null) {
      return false;
    }
    Instant from = t.minus(cap.per());
    int count = 0;
    for (Instant sent : s.capSends()) {
      if (sent.isAfter(from) && !sent.isAfter(t)) {
        count++;
      }
    }
    return count >= cap.max();
  }

  private static int countRequests(UserState s, String topic, Instant t, Duration per) {
    Instant from = t.minus(per);
    int count = 0;
    for (OptinRequestMark r : s.optinRequests()) {
      if ((topic == null || r.topic().equals(topic))
          && r.at().isAfter(from)
          && !r.at().isAfter(t)) {
        count++;
      }
    }
    return count;
  }

  /** When the subscription expires under {@code rules}, or {@code null} if it does not. */
  public static Instant expiry(Subscription sub, PolicyRules rules) {
    if (sub.expiresAt() != null) {
      return sub.expiresAt();
    }
    return rules.recurringDerivedExpiry() ? derivedExpiry(sub, rules) : null;
  }

  private static Instant derivedExpiry(Subscription sub, PolicyRules rules) {
    int months = rules.recurringValidityMonths().get(sub.frequency());
    return sub.optedInAt().atOffset(ZoneOffset.UTC).plusMonths(months).toInstant();
  }

  /** Whether the subscription is active at {@code t}: not stopped and not expired. */
  public static boolean isActive(Subscription sub, Instant t, PolicyRules rules) {
    Instant expiry = expiry(sub, rules);
    return !sub.stopped() && (expiry == null || t.isBefore(expiry));
  }

  /** The earliest instant of the next recurring message on a topic sent at {@code last}. */
  public static Instant nextSlot(Instant last, Frequency frequency) {
    return switch (frequency) {
      case DAILY -> last.plus(Duration.ofHours(24));
      case WEEKLY -> last.plus(Duration.ofDays(7));
      case MONTHLY -> last.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
    };
  }

  private static Instant lastRecurringMessage(UserState s) {
    Instant last = null;
    for (Subscription sub : s.subscriptions()) {
      if (sub.lastSentAt() != null && (last == null || sub.lastSentAt().isAfter(last))) {
        last = sub.lastSentAt();
      }
    }
    return last;
  }

  // ------------------------------------------------------------------ outcomes

  private Verdict skip(Campaign c, UserKey key, UserState s, Instant t, SkipReason reason) {
    return skip(c.id(), key, s, t, reason, c.dryRun());
  }

  private static Verdict skip(
      String id, UserKey key, UserState s, Instant t, SkipReason reason, boolean dryRun) {
    return new Verdict(Decision.skip(id, key, t, reason, dryRun), s, null);
  }

  /**
   * A {@code SEND}: the decision, the state with the spend applied (unless a dry run) and the
   * request to release (unless a dry run).
   */
  private Verdict send(
      Campaign c,
      UserKey key,
      UserState s,
      Instant t,
      Basis basis,
      String token,
      Instant basisEnd,
      UserState spent) {
    Message.Variant variant = Audiences.variant(c.message(), s);
    String resumeAt = Audiences.resumeAt(c.message(), s);
    Decision d =
        Decision.send(
            c.id(),
            key,
            t,
            basis,
            token,
            variant == null ? null : variant.name(),
            resumeAt,
            c.dryRun());
    if (c.dryRun()) {
      return new Verdict(d, s, null);
    }
    UserState after = spent;
    if (c.promotional() && config.frequencyCap() != null) {
      List<Instant> sends = new ArrayList<>(after.capSends());
      sends.add(t);
      after = after.toBuilder().capSends(sends).build();
    }
    Instant notAfter = notAfter(earliest(basisEnd, c.endAt()), t);
    Template template = basis == Basis.TEMPLATE ? c.template() : null;
    SendRequest request =
        new SendRequest(
            SendRequest.idOf(c.id(), key),
            c.id(),
            key,
            basis,
            basis == Basis.MESSAGE_TAG ? c.tag() : null,
            token,
            template,
            variant == null ? c.message().text() : variant.text(),
            resumeAt,
            c.notificationType(),
            t,
            notAfter,
            c.isOptinRequest() ? c.topic() : null,
            c.isOptinRequest() ? c.frequency() : null);
    return new Verdict(d, after, request);
  }

  /**
   * The {@code notAfter} of a send decided at {@code t} whose basis ends at {@code end} ({@code
   * null}: never): never more than a day after {@code t}, and never after the end of time ({@link
   * Bounds#LATEST}), the last instant the wire format writes.
   */
  private static Instant notAfter(Instant end, Instant t) {
    return Bounds.capped(earliest(end, t.plus(MAX_RELEASE_DELAY)));
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }
}
