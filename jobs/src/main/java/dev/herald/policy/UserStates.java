package dev.herald.policy;

import dev.herald.channel.MessagingChannel;
import dev.herald.schema.Category;
import dev.herald.schema.Channel;
import dev.herald.schema.DeliveryStatus;
import dev.herald.schema.InteractionKind;
import dev.herald.schema.SubscriptionChange;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserEvent.Consent;
import dev.herald.schema.UserEvent.Delivery;
import dev.herald.schema.UserEvent.Erase;
import dev.herald.schema.UserEvent.Interaction;
import dev.herald.schema.UserEvent.OptinRequest;
import dev.herald.schema.UserEvent.OtnOptin;
import dev.herald.schema.UserEvent.RecurringOptin;
import dev.herald.schema.UserEvent.RecurringStatus;
import dev.herald.schema.UserEvent.Tag;
import dev.herald.state.ConsentMark;
import dev.herald.state.OptinRequestMark;
import dev.herald.state.OtnToken;
import dev.herald.state.Subscription;
import dev.herald.state.UserState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * How user events change a user's state, and how state that no rule can look at any more is
 * dropped. Pure functions.
 */
public final class UserStates {

  private UserStates() {}

  /**
   * The state after {@code event}; {@code null} after an erasure. A {@code null} state is an
   * unknown user, who becomes known with any event but an erasure.
   */
  public static UserState apply(UserState state, UserEvent event) {
    if (event instanceof Erase) {
      return null;
    }
    UserState s = state == null ? UserState.EMPTY : state;
    Instant at = event.at();
    if (event instanceof Interaction i) {
      return interaction(s, i);
    }
    if (event instanceof Tag t) {
      TreeSet<String> tags = new TreeSet<>(s.tags());
      tags.addAll(t.add());
      t.remove().forEach(tags::remove);
      return s.toBuilder().tags(tags).build();
    }
    if (event instanceof OtnOptin o) {
      for (OtnToken held : s.otnTokens()) {
        if (held.token().equals(o.token())) {
          return s; // a token already held unspent is not granted twice
        }
      }
      List<OtnToken> tokens = new ArrayList<>(s.otnTokens());
      tokens.add(new OtnToken(o.topic(), o.token(), at));
      tokens.sort(Comparator.comparing(OtnToken::createdAt)); // stable: arrival order on ties
      TreeSet<String> topics = new TreeSet<>(s.otnTopics());
      topics.add(o.topic());
      return s.toBuilder().otnTokens(tokens).otnTopics(topics).build();
    }
    if (event instanceof RecurringOptin o) {
      Subscription old = s.subscription(o.topic());
      if (old != null && old.statusAt().isAfter(at)) {
        return s; // a later status already stands
      }
      Subscription sub =
          new Subscription(
              o.topic(),
              o.token(),
              o.frequency(),
              at,
              o.expiresAt(),
              false,
              at,
              old == null ? null : old.lastSentAt());
      return withSubscription(s, sub);
    }
    if (event instanceof RecurringStatus r) {
      Subscription old = s.subscription(r.topic());
      if (old == null || old.statusAt().isAfter(at)) {
        return s;
      }
      return withSubscription(s, old.withStatus(r.status() == SubscriptionChange.STOP, at));
    }
    if (event instanceof OptinRequest r) {
      return withOptinRequest(s, new OptinRequestMark(r.topic(), at));
    }
    if (event instanceof Consent c) {
      return consent(s, c.category(), new ConsentMark(c.optIn(), at));
    }
    if (event instanceof Delivery d) {
      return delivery(s, event.key().channel(), d);
    }
    throw new IllegalArgumentException("unknown user event " + event.type());
  }

  private static UserState interaction(UserState s, Interaction i) {
    Instant at = i.at();
    UserState.Builder b = s.toBuilder();
    if (s.lastInteractionAt() == null || at.isAfter(s.lastInteractionAt())) {
      b.lastInteractionAt(at);
    }
    if (i.kind() == InteractionKind.CTM_AD
        && MessagingChannel.of(i.key().channel()).ctmAdOpensLongerWindow()
        && (s.lastCtmAdAt() == null || at.isAfter(s.lastCtmAdAt()))) {
      b.lastCtmAdAt(at);
    }
    if (i.breadcrumb()
        && i.interaction() != null
        && (s.breadcrumbAt() == null || !at.isBefore(s.breadcrumbAt()))) {
      b.breadcrumb(i.interaction(), at);
    }
    if (s.unreachableSince() != null && !at.isBefore(s.unreachableSince())) {
      b.unreachableSince(null); // the user interacted again
    }
    return b.build();
  }

  private static UserState delivery(UserState s, Channel channel, Delivery d) {
    if (d.status() != DeliveryStatus.FAILED || d.error() == null) {
      return s;
    }
    switch (MessagingChannel.of(channel).classify(d.error())) {
      case UNREACHABLE:
        if (s.lastInteractionAt() != null && s.lastInteractionAt().isAfter(d.at())) {
          return s; // the user has interacted since
        }
        if (s.unreachableSince() != null && !s.unreachableSince().isAfter(d.at())) {
          return s;
        }
        return s.toBuilder().unreachableSince(d.at()).build();
      case MARKETING_STOPPED:
        return consent(s, Category.MARKETING, new ConsentMark(false, d.at()));
      default:
        return s;
    }
  }

  private static UserState consent(UserState s, Category category, ConsentMark mark) {
    UserState.Builder b = s.toBuilder();
    if (category != Category.UTILITY && isLatest(mark, s.marketing())) {
      b.marketing(mark);
    }
    if (category != Category.MARKETING && isLatest(mark, s.utility())) {
      b.utility(mark);
    }
    return b.build();
  }

  private static boolean isLatest(ConsentMark mark, ConsentMark current) {
    return current == null || !mark.at().isBefore(current.at());
  }

  /** {@code s} with {@code sub} replacing the subscription to its topic. */
  static UserState withSubscription(UserState s, Subscription sub) {
    List<Subscription> subs = new ArrayList<>(s.subscriptions().size() + 1);
    boolean placed = false;
    for (Subscription old : s.subscriptions()) {
      int c = old.topic().compareTo(sub.topic());
      if (c == 0) {
        continue;
      }
      if (c > 0 && !placed) {
        subs.add(sub);
        placed = true;
      }
      subs.add(old);
    }
    if (!placed) {
      subs.add(sub);
    }
    return s.toBuilder().subscriptions(subs).build();
  }

  static UserState withOptinRequest(UserState s, OptinRequestMark mark) {
    List<OptinRequestMark> requests = new ArrayList<>(s.optinRequests());
    requests.add(mark);
    requests.sort(Comparator.comparing(OptinRequestMark::at));
    return s.toBuilder().optinRequests(requests).build();
  }

  /**
   * {@code s} without what no rule can look at from {@code now} on: one-time tokens past their
   * retention, opt-in requests and capped sends older than their rolling periods. Spent tokens are
   * never kept (their topic is remembered).
   */
  public static UserState prune(
      UserState s, Instant now, PolicyRules rules, FrequencyCap frequencyCap) {
    if (s == null) {
      return null;
    }
    List<OtnToken> tokens = s.otnTokens();
    Instant tokenCutoff = now.minus(rules.otnValidity()).minus(rules.otnRetention());
    if (!tokens.isEmpty() && !tokens.get(0).createdAt().isAfter(tokenCutoff)) {
      tokens = new ArrayList<>(tokens);
      tokens.removeIf(t -> !t.createdAt().isAfter(tokenCutoff));
    }
    List<OptinRequestMark> requests = s.optinRequests();
    Instant requestCutoff = now.minus(rules.optinRequestHistory());
    if (!requests.isEmpty() && !requests.get(0).at().isAfter(requestCutoff)) {
      requests = new ArrayList<>(requests);
      requests.removeIf(r -> !r.at().isAfter(requestCutoff));
    }
    List<Instant> sends = s.capSends();
    if (!sends.isEmpty()) {
      Instant capCutoff = frequencyCap == null ? Instant.MAX : now.minus(frequencyCap.per());
      if (!sends.get(0).isAfter(capCutoff)) {
        sends = new ArrayList<>(sends);
        sends.removeIf(t -> !t.isAfter(capCutoff));
      }
    }
    if (tokens == s.otnTokens() && requests == s.optinRequests() && sends == s.capSends()) {
      return s;
    }
    return s.toBuilder().otnTokens(tokens).optinRequests(requests).capSends(sends).build();
  }
}
