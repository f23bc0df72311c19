package dev.herald.schema;

import static dev.herald.schema.Bounds.Strings.NAME;
import static dev.herald.schema.Bounds.Strings.REFERENCE;
import static dev.herald.schema.Bounds.Strings.TEXT;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.channel.MessagingChannel;
import dev.herald.schema.ControlRecord.AccountStatus;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Cancel;
import dev.herald.schema.ControlRecord.Reminder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the records of the {@code campaigns} topic (spec/EVENTS.md, "Campaign records") from JSON,
 * with the cross-field checks no JSON Schema expresses (an end after the start, a reminder delay
 * under 24 hours) and the channel's rules ({@link MessagingChannel}).
 */
final class ControlRecordReader {

  private ControlRecordReader() {}

  /** The campaign record of {@code type} in {@code node}. */
  static ControlRecord read(ObjectNode node, String type) {
    return switch (type) {
      case "campaign" -> campaign(node);
      case "reminder" -> reminder(node);
      case "cancel" -> cancel(node);
      case "account" -> account(node);
      default -> throw new IllegalStateException("not a campaign record type: " + type);
    };
  }

  /** How reasons name a campaign or reminder: {@code campaign restock-42}. */
  private static String subject(String type, ObjectNode node) {
    String id = Fields.label(node, "id");
    return id != null && !id.isEmpty() ? type + " " + id : type;
  }

  private static Campaign campaign(ObjectNode node) {
    Fields f = new Fields(node, subject("campaign", node));
    String id = f.requiredString("id", NAME);
    Instant at = f.requiredInstant("at");
    Channel channel = f.requiredEnum("channel", Channel.class);
    String account = f.requiredString("account", NAME);
    CampaignKind kind = f.optionalEnum("kind", CampaignKind.class);
    kind = kind == null ? CampaignKind.MESSAGE : kind;
    Instant startAt = f.optionalInstant("startAt");
    Instant endAt = f.optionalInstant("endAt");
    boolean promotional = f.optionalBoolean("promotional", true);
    Audience audience = audience(f);
    Fallback fallback = f.optionalEnum("outsideWindow", Fallback.class);
    fallback = fallback == null ? Fallback.SKIP : fallback;
    MessageTag tag = f.optionalEnum("tag", MessageTag.class);
    String topic = f.optionalString("topic", NAME);
    Frequency frequency = f.optionalEnum("frequency", Frequency.class);
    Template template = null;
    Fields t = f.optionalObject("template");
    if (t != null) {
      template =
          new Template(
              t.requiredString("name", NAME),
              t.requiredString("language", NAME),
              t.requiredEnum("category", Category.class));
    }
    Message message = message(f);
    NotificationType notificationType = f.optionalEnum("notificationType", NotificationType.class);
    Double rate =
        f.optionalNumber(
            "rate", Bounds.MIN_RATE, Bounds.MAX_RATE, "a number of decisions per second");
    boolean dryRun = f.optionalBoolean("dryRun", false);

    // The combinations the JSON Schema also expresses.
    MessagingChannel rules = MessagingChannel.of(channel);
    Set<Fallback> allowed = rules.fallbacks();
    if (!allowed.contains(fallback)) {
      throw f.invalid(
          "outsideWindow "
              + fallback
              + " is not valid on "
              + channel
              + " ("
              + channel
              + " allows "
              + join(allowed)
              + ")");
    }
    if (kind == CampaignKind.OPTIN_REQUEST) {
      if (topic == null) {
        throw f.invalid("an optin_request campaign needs a topic");
      }
      if (frequency == null) {
        throw f.invalid("an optin_request campaign needs a frequency (DAILY, WEEKLY, MONTHLY)");
      }
      if (fallback != Fallback.SKIP) {
        throw f.invalid("an optin_request campaign must have outsideWindow SKIP, not " + fallback);
      }
      if (message.text() == null) {
        throw f.invalid("an optin_request campaign needs message.text (the request itself)");
      }
    }
    switch (fallback) {
      case MESSAGE_TAG -> {
        if (tag == null) {
          throw f.invalid("outsideWindow MESSAGE_TAG needs a tag");
        }
      }
      case OTN, RECURRING -> {
        if (topic == null) {
          throw f.invalid("outsideWindow " + fallback + " needs a topic");
        }
      }
      case TEMPLATE -> {
        if (template == null) {
          throw f.invalid("outsideWindow TEMPLATE needs a template");
        }
      }
      case SKIP -> {}
    }
    // A tag the channel does not allow is invalid whatever the fallback, like an unknown tag.
    if (tag != null && !rules.allowsTag(tag)) {
      throw f.invalid("tag " + tag + " is not valid on " + channel + " (only HUMAN_AGENT)");
    }
    if (template != null && !rules.sendsTemplates()) {
      throw f.invalid("a template is only sent on whatsapp, not on " + channel);
    }
    Category category = promotional ? Category.MARKETING : Category.UTILITY;
    if (template != null && template.category() != category) {
      throw f.invalid(
          "template category "
              + template.category()
              + " does not agree with promotional "
              + promotional
              + " (expected "
              + category
              + ")");
    }
    if (message.text() == null && template == null) {
      throw f.invalid("needs message.text or a template");
    }
    // Cross-field checks no schema expresses.
    Instant start = startAt == null || startAt.isBefore(at) ? at : startAt;
    if (endAt != null && !endAt.isAfter(start)) {
      throw f.invalid(
          "endAt " + Wire.format(endAt) + " must be after the start " + Wire.format(start));
    }
    return new Campaign(
        id,
        at,
        channel,
        account,
        kind,
        startAt,
        endAt,
        promotional,
        audience,
        fallback,
        tag,
        topic,
        frequency,
        template,
        message,
        notificationType == null ? NotificationType.REGULAR : notificationType,
        rate,
        dryRun);
  }

  private static Reminder reminder(ObjectNode node) {
    Fields f = new Fields(node, subject("reminder", node));
    String id = f.requiredString("id", NAME);
    Instant at = f.requiredInstant("at");
    Channel channel = f.requiredEnum("channel", Channel.class);
    String account = f.requiredString("account", NAME);
    // The reminder rule below bounds it further, in its own words.
    Duration delay = f.requiredDuration("afterInactivity", Bounds.MAX_DURATION);
    Audience audience = audience(f);
    if (f.optionalObject("message") == null) {
      throw f.invalid("missing required field 'message' (a reminder needs message.text)");
    }
    Message message = message(f);
    boolean promotional = f.optionalBoolean("promotional", true);
    if (message.text() == null) {
      throw f.invalid("missing required field 'message.text'");
    }
    if (delay.compareTo(Bounds.MAX_REMINDER_DELAY) >= 0) {
      throw f.invalid(
          "afterInactivity must be less than PT24H (the window), got "
              + Text.bare(f.rawText("afterInactivity")));
    }
    return new Reminder(id, at, channel, account, delay, audience, message, promotional);
  }

  private static Cancel cancel(ObjectNode node) {
    String target = Fields.label(node, "campaign");
    Fields f =
        new Fields(node, target != null && !target.isEmpty() ? "cancel of " + target : "cancel");
    String campaign = f.requiredString("campaign", NAME);
    return new Cancel(campaign, f.requiredInstant("at"));
  }

  private static AccountStatus account(ObjectNode node) {
    String channel = Fields.label(node, "channel");
    String account = Fields.label(node, "account");
    Fields f =
        new Fields(
            node,
            channel != null && account != null ? "account " + channel + "/" + account : "account");
    Instant at = f.requiredInstant("at");
    return new AccountStatus(
        at,
        f.requiredEnum("channel", Channel.class),
        f.requiredString("account", NAME),
        f.requiredEnum("status", AccountState.class));
  }

  private static Audience audience(Fields f) {
    Fields a = f.optionalObject("audience");
    if (a == null) {
      return Audience.EVERYONE;
    }
    return new Audience(
        orEmpty(a.optionalStrings("allTags", NAME, Bounds.MAX_TAGS)),
        orEmpty(a.optionalStrings("anyTags", NAME, Bounds.MAX_TAGS)),
        orEmpty(a.optionalStrings("noneTags", NAME, Bounds.MAX_TAGS)),
        a.optionalDuration("interactedWithin", Bounds.MAX_DURATION),
        a.optionalDuration("inactiveFor", Bounds.MAX_DURATION),
        orEmpty(a.optionalStrings("users", NAME, Bounds.MAX_USERS)));
  }

  private static Message message(Fields f) {
    Fields m = f.optionalObject("message");
    if (m == null) {
      return Message.EMPTY;
    }
    String text = m.optionalString("text", TEXT);
    String resumeAt = m.optionalString("resumeAt", REFERENCE);
    List<Message.Variant> variants = new ArrayList<>();
    List<Fields> items = m.optionalObjects("variants", Bounds.MAX_VARIANTS);
    if (items != null) {
      for (Fields v : items) {
        variants.add(
            new Message.Variant(
                v.requiredString("name", NAME),
                orEmpty(v.optionalStrings("whenTags", NAME, Bounds.MAX_TAGS)),
                v.requiredString("text", TEXT)));
      }
    }
    return new Message(text, resumeAt, variants);
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  private static String join(Set<? extends Enum<?>> values) {
    StringBuilder b = new StringBuilder();
    for (Enum<?> v : values) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(v.name());
    }
    return b.toString();
  }
}
