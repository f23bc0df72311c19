package dev.herald.schema;

import java.time.Instant;
import java.util.List;

/** Something that happened to one user, from the {@code user-events} topic. */
public sealed interface UserEvent extends InputRecord {

  /** Whose state the event changes. */
  UserKey key();

  /** The optional event id given upstream, or {@code null}. */
  String id();

  /** The user did something that opens the window. */
  record Interaction(
      UserKey key,
      Instant at,
      String id,
      InteractionKind kind,
      String interaction,
      boolean breadcrumb)
      implements UserEvent {
    @Override
    public String type() {
      return "interaction";
    }
  }

  /** Tags added, then removed. */
  record Tag(UserKey key, Instant at, String id, List<String> add, List<String> remove)
      implements UserEvent {
    public Tag {
      add = List.copyOf(add);
      remove = List.copyOf(remove);
    }

    @Override
    public String type() {
      return "tag";
    }
  }

  /** The user asked to be notified once about {@code topic}. */
  record OtnOptin(UserKey key, Instant at, String id, String topic, String token)
      implements UserEvent {
    @Override
    public String type() {
      return "otn_optin";
    }
  }

  /** The user subscribed to recurring notifications on {@code topic}. */
  record RecurringOptin(
      UserKey key,
      Instant at,
      String id,
      String topic,
      String token,
      Frequency frequency,
      Instant expiresAt)
      implements UserEvent {
    @Override
    public String type() {
      return "recurring_optin";
    }
  }

  /** The user stopped or resumed a recurring subscription. */
  record RecurringStatus(
      UserKey key, Instant at, String id, String topic, SubscriptionChange status)
      implements UserEvent {
    @Override
    public String type() {
      return "recurring_status";
    }
  }

  /** The bot itself asked the user to subscribe to {@code topic}; counts toward request limits. */
  record OptinRequest(UserKey key, Instant at, String id, String topic) implements UserEvent {
    @Override
    public String type() {
      return "optin_request";
    }
  }

  /**
   * The user gave ({@code optin}) or withdrew ({@code optout}) consent for a category, or for both
   * when {@code category} is {@code null}.
   */
  record Consent(UserKey key, Instant at, String id, boolean optIn, Category category)
      implements UserEvent {
    @Override
    public String type() {
      return optIn ? "optin" : "optout";
    }
  }

  /** What the platform answered to a message. */
  record Delivery(
      UserKey key,
      Instant at,
      String id,
      DeliveryStatus status,
      String requestId,
      String campaign,
      PlatformError error)
      implements UserEvent {
    @Override
    public String type() {
      return "delivery";
    }
  }

  /** Delete everything known about the user. */
  record Erase(UserKey key, Instant at, String id) implements UserEvent {
    @Override
    public String type() {
      return "erase";
    }
  }

  /** The type names of user events, in the order of the wire contract. */
  List<String> TYPES =
      List.of(
          "interaction",
          "tag",
          "otn_optin",
          "recurring_optin",
          "recurring_status",
          "optin_request",
          "optin",
          "optout",
          "delivery",
          "erase");
}
