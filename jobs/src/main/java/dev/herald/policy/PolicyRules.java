package dev.herald.policy;

import dev.herald.schema.Frequency;
import dev.herald.schema.MessageTag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The delivery rules in force over one period of the {@link PolicyTimeline}.
 *
 * @param standardWindow how long an interaction keeps the window open
 * @param ctmAdWindow how long a Messenger {@code ctm_ad} interaction keeps it open
 * @param humanAgentWindow how long after the last interaction {@code HUMAN_AGENT} may be used
 * @param retiredTags message tags no longer allowed
 * @param otnValidity how long a one-time-notification token is valid after its grant
 * @param otnRetention how long an expired, unspent token is remembered past its expiry
 * @param recurringValidityMonths a subscription's derived validity, in calendar months
 * @param recurringDerivedExpiry whether the derived validity applies at all
 * @param recurringUserGap the least time between two recurring messages to one user, on any topic;
 *     {@code null} if no such rule
 * @param optinRequestPerTopic the opt-in request limit per topic
 * @param optinRequestLimits the opt-in request limits over all topics together
 */
public record PolicyRules(
    Duration standardWindow,
    Duration ctmAdWindow,
    Duration humanAgentWindow,
    Set<MessageTag> retiredTags,
    Duration otnValidity,
    Duration otnRetention,
    Map<Frequency, Integer> recurringValidityMonths,
    boolean recurringDerivedExpiry,
    Duration recurringUserGap,
    Limit optinRequestPerTopic,
    List<Limit> optinRequestLimits) {

  /** At most {@code max} in any rolling {@code per}: counted over {@code (T − per, T]}. */
  public record Limit(int max, Duration per) {}

  public PolicyRules {
    retiredTags = Set.copyOf(retiredTags);
    recurringValidityMonths = Map.copyOf(recurringValidityMonths);
    optinRequestLimits = List.copyOf(optinRequestLimits);
  }

  /** The longest rolling period of the opt-in request limits: how long requests are kept. */
  public Duration optinRequestHistory() {
    Duration longest = optinRequestPerTopic.per();
    for (Limit l : optinRequestLimits) {
      if (l.per().compareTo(longest) > 0) {
        longest = l.per();
      }
    }
    return longest;
  }
}
