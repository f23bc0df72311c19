package dev.herald.schema;

import static dev.herald.schema.Bounds.Strings.NAME;
import static dev.herald.schema.Bounds.Strings.REFERENCE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.UserEvent.Consent;
import dev.herald.schema.UserEvent.Delivery;
import dev.herald.schema.UserEvent.Erase;
import dev.herald.schema.UserEvent.Interaction;
import dev.herald.schema.UserEvent.OptinRequest;
import dev.herald.schema.UserEvent.OtnOptin;
import dev.herald.schema.UserEvent.RecurringOptin;
import dev.herald.schema.UserEvent.RecurringStatus;
import dev.herald.schema.UserEvent.Tag;
import java.time.Instant;
import java.util.List;

/** Reads the user events of the wire contract (spec/EVENTS.md, "User events") from JSON. */
final class UserEventReader {

  private UserEventReader() {}

  /** The user event of {@code type} in {@code node}. */
  static UserEvent read(ObjectNode node, String type) {
    Fields f = Fields.namedLazily(node, () -> subject(node, type));
    Instant at = f.requiredInstant("at");
    Channel channel = f.requiredEnum("channel", Channel.class);
    String account = f.requiredString("account", NAME);
    String user = f.requiredString("user", NAME);
    String id = f.optionalString("id", REFERENCE);
    UserKey key = new UserKey(channel, account, user);
    return switch (type) {
      case "interaction" -> {
        InteractionKind kind = f.optionalEnum("kind", InteractionKind.class);
        String interaction = f.optionalString("interaction", REFERENCE);
        boolean breadcrumb = f.optionalBoolean("breadcrumb", false);
        yield new Interaction(
            key, at, id, kind == null ? InteractionKind.MESSAGE : kind, interaction, breadcrumb);
      }
      case "tag" -> {
        List<String> add = f.optionalStrings("add", NAME, Bounds.MAX_TAGS);
        List<String> remove = f.optionalStrings("remove", NAME, Bounds.MAX_TAGS);
        if (add == null && remove == null) {
          throw f.invalid("a tag event needs 'add' or 'remove'");
        }
        yield new Tag(
            key, at, id, add == null ? List.of() : add, remove == null ? List.of() : remove);
      }
      case "otn_optin" ->
          new OtnOptin(
              key, at, id, f.requiredString("topic", NAME), f.requiredString("token", REFERENCE));
      case "recurring_optin" ->
          new RecurringOptin(
              key,
              at,
              id,
              f.requiredString("topic", NAME),
              f.requiredString("token", REFERENCE),
              f.requiredEnum("frequency", Frequency.class),
              f.optionalInstant("expiresAt"));
      case "recurring_status" ->
          new RecurringStatus(
              key,
              at,
              id,
              f.requiredString("topic", NAME),
              f.requiredEnum("status", SubscriptionChange.class));
      case "optin_request" -> new OptinRequest(key, at, id, f.requiredString("topic", NAME));
      case "optin", "optout" ->
          new Consent(
              key, at, id, type.equals("optin"), f.optionalEnum("category", Category.class));
      case "delivery" -> {
        DeliveryStatus status = f.requiredEnum("status", DeliveryStatus.class);
        String requestId = f.optionalString("requestId", Bounds.Strings.REQUEST_ID);
        String campaign = f.optionalString("campaign", NAME);
        PlatformError error = null;
        Fields e = f.optionalObject("error");
        if (e != null) {
          error =
              new PlatformError(
                  e.requiredInteger("code", 0, Bounds.MAX_ERROR_CODE),
                  e.optionalInteger("subcode", 0, Bounds.MAX_ERROR_CODE));
        }
        yield new Delivery(key, at, id, status, requestId, campaign, error);
      }
      case "erase" -> new Erase(key, at, id);
      default -> throw new IllegalStateException("not a user event type: " + type);
    };
  }

  /** How reasons name a user event: {@code interaction for messenger/page-1/u-1}. */
  private static String subject(ObjectNode node, String type) {
    String channel = Fields.label(node, "channel");
    String account = Fields.label(node, "account");
    String user = Fields.label(node, "user");
    if (channel != null && account != null && user != null) {
      return type + " for " + channel + "/" + account + "/" + user;
    }
    return type;
  }
}
