package dev.herald.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Set;

/**
 * Checks a send call's JSON body the way the platforms do, for the subset of their APIs that
 * Herald's sink uses, and reduces a valid one to a {@link SendCall}. A body the platform would
 * refuse throws {@link InvalidPayload} with the platform's kind of message.
 */
final class Payloads {

  static final int MESSENGER_TEXT_LIMIT = 2000;
  static final int WHATSAPP_TEXT_LIMIT = 4096;

  static final Set<String> MESSAGING_TYPES = Set.of("RESPONSE", "UPDATE", "MESSAGE_TAG");
  static final Set<String> NOTIFICATION_TYPES = Set.of("REGULAR", "SILENT_PUSH", "NO_PUSH");

  /** Every tag the Send API has had; whether one is still in force is the referee's question. */
  static final Set<String> TAGS =
      Set.of("CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE", "HUMAN_AGENT");

  /** The template attachments that ask a user to opt in (recurring, one-time). */
  static final Set<String> OPT_IN_TEMPLATES = Set.of("notification_messages", "one_time_notif_req");

  private static final ObjectMapper JSON = new ObjectMapper();

  private Payloads() {}

  /** The body the platform would refuse, and why. */
  static final class InvalidPayload extends Exception {
    InvalidPayload(String message) {
      super("(#100) " + message, null, false, false);
    }
  }

  static SendCall read(Api api, String account, String requestId, byte[] body)
      throws InvalidPayload {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new InvalidPayload("The request body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidPayload("The request body must be a JSON object");
    }
    return api == Api.MESSENGER
        ? messenger(account, requestId, root)
        : whatsapp(account, requestId, root);
  }

  private static SendCall messenger(String account, String requestId, JsonNode root)
      throws InvalidPayload {
    JsonNode recipient = root.get("recipient");
    if (recipient == null || !recipient.isObject()) {
      throw new InvalidPayload("param recipient must be an object");
    }
    String id = text(recipient, "id", "recipient.id");
    String otn = text(recipient, "one_time_notif_token", "recipient.one_time_notif_token");
    String recurring =
        text(recipient, "notification_messages_token", "recipient.notification_messages_token");
    int given = (id != null ? 1 : 0) + (otn != null ? 1 : 0) + (recurring != null ? 1 : 0);
    if (given != 1) {
      throw new InvalidPayload(
          "param recipient must have exactly one of id, one_time_notif_token,"
              + " notification_messages_token");
    }

    JsonNode message = root.get("message");
    if (message == null || !message.isObject()) {
      throw new InvalidPayload("param message must be an object");
    }
    String text = text(message, "text", "message.text");
    JsonNode attachment = message.get("attachment");
    if ((text == null) == (attachment == null || attachment.isNull())) {
      throw new InvalidPayload("param message must have either text or attachment");
    }
    boolean optInRequest = false;
    if (text != null) {
      if (text.isEmpty()) {
        throw new InvalidPayload("param message.text must be non-empty");
      }
      if (text.codePointCount(0, text.length()) > MESSENGER_TEXT_LIMIT) {
        throw new InvalidPayload(
            "param message.text must be at most " + MESSENGER_TEXT_LIMIT + " characters");
      }
    } else {
      optInRequest = isOptInRequest(attachment);
    }

    String messagingType = text(root, "messaging_type", "messaging_type");
    if (messagingType != null && !MESSAGING_TYPES.contains(messagingType)) {
      throw new InvalidPayload("param messaging_type must be one of " + MESSAGING_TYPES);
    }
    if (id != null && messagingType == null) {
      throw new InvalidPayload("param messaging_type is required with recipient.id");
    }
    String tag = text(root, "tag", "tag");
    boolean tagged = "MESSAGE_TAG".equals(messagingType);
    if (tagged && tag == null) {
      throw new InvalidPayload("param tag is required with messaging_type MESSAGE_TAG");
    }
    if (!tagged && tag != null) {
      throw new InvalidPayload("param tag is only allowed with messaging_type MESSAGE_TAG");
    }
    if (tag != null && !TAGS.contains(tag)) {
      throw new InvalidPayload("param tag must be one of " + TAGS);
    }
    String notificationType = text(root, "notification_type", "notification_type");
    if (notificationType != null && !NOTIFICATION_TYPES.contains(notificationType)) {
      throw new InvalidPayload("param notification_type must be one of " + NOTIFICATION_TYPES);
    }
    return new SendCall(
        Api.MESSENGER,
        account,
        requestId,
        id,
        otn,
        recurring,
        messagingType,
        tag,
        optInRequest,
        false);
  }

  private static boolean isOptInRequest(JsonNode attachment) throws InvalidPayload {
    if (!attachment.isObject()) {
      throw new InvalidPayload("param message.attachment must be an object");
    }
    String type = text(attachment, "type", "message.attachment.type");
    if (type == null) {
      throw new InvalidPayload("param message.attachment.type is required");
    }
    JsonNode payload = attachment.get("payload");
    if (payload == null || !payload.isObject()) {
      throw new InvalidPayload("param message.attachment.payload must be an object");
    }
    if (!"template".equals(type)) {
      return false;
    }
    String templateType =
        text(payload, "template_type", "message.attachment.payload.template_type");
    if (templateType == null) {
      throw new InvalidPayload("param message.attachment.payload.template_type is required");
    }
    return OPT_IN_TEMPLATES.contains(templateType);
  }

  private static SendCall whatsapp(String account, String requestId, JsonNode root)
      throws InvalidPayload {
    if (!"whatsapp".equals(text(root, "messaging_product", "messaging_product"))) {
      throw new InvalidPayload("param messaging_product must be whatsapp");
    }
    String recipientType = text(root, "recipient_type", "recipient_type");
    if (recipientType != null && !"individual".equals(recipientType)) {
      throw new InvalidPayload("param recipient_type must be individual");
    }
    String to = text(root, "to", "to");
    if (to == null || to.isBlank()) {
      throw new InvalidPayload("param to is required");
    }
    // The Cloud API sends text when type is absent.
    String type = text(root, "type", "type");
    boolean template;
    if (type == null || type.equals("text")) {
      JsonNode text = root.get("text");
      String body = text == null || !text.isObject() ? null : text(text, "body", "text.body");
      if (body == null || body.isEmpty()) {
        throw new InvalidPayload("param text.body is required for type text");
      }
      if (body.codePointCount(0, body.length()) > WHATSAPP_TEXT_LIMIT) {
        throw new InvalidPayload(
            "param text.body must be at most " + WHATSAPP_TEXT_LIMIT + " characters");
      }
      template = false;
    } else if (type.equals("template")) {
      JsonNode t = root.get("template");
      if (t == null || !t.isObject()) {
        throw new InvalidPayload("param template must be an object for type template");
      }
      String name = text(t, "name", "template.name");
      JsonNode language = t.get("language");
      String code =
          language == null || !language.isObject()
              ? null
              : text(language, "code", "template.language.code");
      if (name == null || name.isBlank() || code == null || code.isBlank()) {
        throw new InvalidPayload("param template needs name and language.code");
      }
      template = true;
    } else {
      throw new InvalidPayload("param type must be text or template, not " + type);
    }
    return new SendCall(
        Api.WHATSAPP, account, requestId, to, null, null, null, null, false, template);
  }

  /** The string at {@code field}, {@code null} when absent or null; another type is invalid. */
  private static String text(JsonNode node, String field, String path) throws InvalidPayload {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidPayload("param " + path + " must be a string");
    }
    return value.asText();
  }
}
