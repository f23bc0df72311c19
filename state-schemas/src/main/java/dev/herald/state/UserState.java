package dev.herald.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Everything the delivery rules look at for one known user: interactions, breadcrumb, tags, consent
 * and the consent tokens, and the histories the rolling limits count. Immutable; every change makes
 * a new value through {@link #toBuilder()}.
 *
 * <p>The window is not stored: it is derived at decision time from {@code lastInteractionAt} and
 * {@code lastCtmAdAt} with the rules in force then. Lists are kept in a canonical order (tags and
 * topics sorted, histories by time) so that equal states serialize to equal bytes.
 *
 * @param lastInteractionAt the latest interaction; {@code null} if the user never interacted
 * @param lastCtmAdAt the latest Messenger {@code ctm_ad} interaction, {@code null} if none
 * @param breadcrumb the interaction of the latest breadcrumb, {@code null} if none
 * @param breadcrumbAt when {@code breadcrumb} was set
 * @param unreachableSince when the platform reported the user unreachable; {@code null} if
 *     reachable
 * @param tags the user's tags, sorted
 * @param marketing the latest consent event for {@code MARKETING}, {@code null} if none
 * @param utility the latest consent event for {@code UTILITY}, {@code null} if none
 * @param otnTokens unspent one-time-notification tokens, oldest first
 * @param otnTopics every topic the user ever held a one-time-notification token for, sorted
 * @param subscriptions recurring subscriptions, sorted by topic
 * @param optinRequests opt-in requests still inside the longest rolling limit, oldest first
 * @param capSends promotional sends still inside the frequency cap's period, oldest first
 */
public record UserState(
    Instant lastInteractionAt,
    Instant lastCtmAdAt,
    String breadcrumb,
    Instant breadcrumbAt,
    Instant unreachableSince,
    List<String> tags,
    ConsentMark marketing,
    ConsentMark utility,
    List<OtnToken> otnTokens,
    List<String> otnTopics,
    List<Subscription> subscriptions,
    List<OptinRequestMark> optinRequests,
    List<Instant> capSends) {

  /** A known user of whom nothing else is known yet. */
  public static final UserState EMPTY =
      new UserState(
          null, null, null, null, null, List.of(), null, null, List.of(), List.of(), List.of(),
          List.of(), List.of());

  public UserState {
    tags = List.copyOf(tags);
    otnTokens = List.copyOf(otnTokens);
    otnTopics = List.copyOf(otnTopics);
    subscriptions = List.copyOf(subscriptions);
    optinRequests = List.copyOf(optinRequests);
    capSends = List.copyOf(capSends);
  }

  /** The subscription to {@code topic}, or {@code null}. */
  public Subscription subscription(String topic) {
    for (Subscription s : subscriptions) {
      if (s.topic().equals(topic)) {
        return s;
      }
    }
    return null;
  }

  /** Whether the user has every one of {@code required}. */
  public boolean hasAllTags(Collection<String> required) {
    for (String t : required) {
      if (!tags.contains(t)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the user has at least one of {@code any}. */
  public boolean hasAnyTag(Collection<String> any) {
    for (String t : any) {
      if (tags.contains(t)) {
        return true;
      }
    }
    return false;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a changed copy of a state. */
  public static final class Builder {
    private Instant lastInteractionAt;
    private Instant lastCtmAdAt;
    private String breadcrumb;
    private Instant breadcrumbAt;
    private Instant unreachableSince;
    private List<String> tags;
    private ConsentMark marketing;
    private ConsentMark utility;
    private List<OtnToken> otnTokens;
    private List<String> otnTopics;
    private List<Subscription> subscriptions;
    private List<OptinRequestMark> optinRequests;
    private List<Instant> capSends;

    private Builder(UserState s) {
      lastInteractionAt = s.lastInteractionAt;
      lastCtmAdAt = s.lastCtmAdAt;
      breadcrumb = s.breadcrumb;
      breadcrumbAt = s.breadcrumbAt;
      unreachableSince = s.unreachableSince;
      tags = s.tags;
      marketing = s.marketing;
      utility = s.utility;
      otnTokens = s.otnTokens;
      otnTopics = s.otnTopics;
      subscriptions = s.subscriptions;
      optinRequests = s.optinRequests;
      capSends = s.capSends;
    }

    public Builder lastInteractionAt(Instant v) {
      lastInteractionAt = v;
      return this;
    }

    public Builder lastCtmAdAt(Instant v) {
      lastCtmAdAt = v;
      return this;
    }

    public Builder breadcrumb(String interaction, Instant at) {
      breadcrumb = interaction;
      breadcrumbAt = at;
      return this;
    }

    public Builder unreachableSince(Instant v) {
      unreachableSince = v;
      return this;
    }

    /** Sets the tags, sorted and without duplicates. */
    public Builder tags(Collection<String> v) {
      tags = new ArrayList<>(new TreeSet<>(v));
      return this;
    }

    public Builder marketing(ConsentMark v) {
      marketing = v;
      return this;
    }

    public Builder utility(ConsentMark v) {
      utility = v;
      return this;
    }

    public Builder otnTokens(List<OtnToken> v) {
      otnTokens = v;
      return this;
    }

    /** Sets the remembered token topics, sorted and without duplicates. */
    public Builder otnTopics(Collection<String> v) {
      otnTopics = new ArrayList<>(new TreeSet<>(v));
      return this;
    }

    public Builder subscriptions(List<Subscription> v) {
      subscriptions = v;
      return this;
    }

    public Builder optinRequests(List<OptinRequestMark> v) {
      optinRequests = v;
      return this;
    }

    public Builder capSends(List<Instant> v) {
      capSends = v;
      return this;
    }

    public UserState build() {
      return new UserState(
          lastInteractionAt,
          lastCtmAdAt,
          breadcrumb,
          breadcrumbAt,
          unreachableSince,
          Objects.requireNonNull(tags),
          marketing,
          utility,
          otnTokens,
          otnTopics,
          subscriptions,
          optinRequests,
          capSends);
    }
  }
}
