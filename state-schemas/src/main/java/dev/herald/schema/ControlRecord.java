package dev.herald.schema;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A record from the {@code campaigns} topic: campaign, reminder, cancel or account status. */
public sealed interface ControlRecord extends InputRecord {

  /** The type names of campaign records. */
  List<String> TYPES = List.of("campaign", "reminder", "cancel", "account");

  /**
   * A broadcast: who ({@code audience}), what ({@code message}), when ({@code startAt}, {@code
   * endAt}, {@code rate}) and on what basis outside the window ({@code outsideWindow}).
   */
  record Campaign(
      String id,
      Instant at,
      Channel channel,
      String account,
      CampaignKind kind,
      Instant startAt,
      Instant endAt,
      boolean promotional,
      Audience audience,
      Fallback outsideWindow,
      MessageTag tag,
      String topic,
      Frequency frequency,
      Template template,
      Message message,
      NotificationType notificationType,
      Double rate,
      boolean dryRun)
      implements ControlRecord {

    public Campaign {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(audience, "audience");
      Objects.requireNonNull(outsideWindow, "outsideWindow");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(notificationType, "notificationType");
    }

    @Override
    public String type() {
      return "campaign";
    }

    /** The instant the campaign starts: {@code max(startAt, at)}. */
    public Instant start() {
      return startAt == null || startAt.isBefore(at) ? at : startAt;
    }

    /** The category of its messages: {@code MARKETING} when promotional, else {@code UTILITY}. */
    public Category category() {
      return promotional ? Category.MARKETING : Category.UTILITY;
    }

    /** Whether it is an opt-in request. */
    public boolean isOptinRequest() {
      return kind == CampaignKind.OPTIN_REQUEST;
    }
  }

  /** A standing rule: message a user {@code afterInactivity} after their last interaction. */
  record Reminder(
      String id,
      Instant at,
      Channel channel,
      String account,
      Duration afterInactivity,
      Audience audience,
      Message message,
      boolean promotional)
      implements ControlRecord {

    public Reminder {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(afterInactivity, "afterInactivity");
      Objects.requireNonNull(audience, "audience");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String type() {
      return "reminder";
    }

    /** The category of its messages: {@code MARKETING} when promotional, else {@code UTILITY}. */
    public Category category() {
      return promotional ? Category.MARKETING : Category.UTILITY;
    }
  }

  /** Stops the campaign or reminder {@code campaign}. */
  record Cancel(String campaign, Instant at) implements ControlRecord {
    @Override
    public String type() {
      return "cancel";
    }
  }

  /** Pauses or resumes releasing messages to an account. */
  record AccountStatus(Instant at, Channel channel, String account, AccountState status)
      implements ControlRecord {
    @Override
    public String type() {
      return "account";
    }
  }
}
