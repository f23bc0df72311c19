package dev.herald.connectors.kafka;

import java.util.Arrays;
import java.util.List;

/**
 * The names of Herald's Kafka topics. {@link #DEFAULTS} holds the names the job and the tools use
 * unless told otherwise; a test or a second environment may choose others.
 */
public record TopicNames(
    String userEvents,
    String campaigns,
    String decisions,
    String sendRequests,
    String deadLetters,
    String deliveryOutcomes) {

  public static final String USER_EVENTS = "user-events";
  public static final String CAMPAIGNS = "campaigns";
  public static final String DECISIONS = "decisions";
  public static final String SEND_REQUESTS = "send-requests";
  public static final String DEAD_LETTERS = "dead-letters";
  public static final String DELIVERY_OUTCOMES = "delivery-outcomes";

  /** The default names. */
  public static final TopicNames DEFAULTS =
      new TopicNames(
          USER_EVENTS, CAMPAIGNS, DECISIONS, SEND_REQUESTS, DEAD_LETTERS, DELIVERY_OUTCOMES);

  /**
   * @throws IllegalArgumentException if a name is blank or two topics share a name
   */
  public TopicNames {
    List<String> names =
        Arrays.asList(
            userEvents, campaigns, decisions, sendRequests, deadLetters, deliveryOutcomes);
    for (String n : names) {
      if (n == null || n.isBlank()) {
        throw new IllegalArgumentException("a topic name must not be empty");
      }
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("two topics share a name: " + names);
    }
  }

  /** Every name, in the order of the record's components. */
  public List<String> all() {
    return List.of(userEvents, campaigns, decisions, sendRequests, deadLetters, deliveryOutcomes);
  }
}
