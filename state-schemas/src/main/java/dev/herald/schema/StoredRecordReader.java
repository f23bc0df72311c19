package dev.herald.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.ControlRecord.AccountStatus;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Cancel;
import dev.herald.schema.ControlRecord.Reminder;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back a campaign record the job itself stored (in a snapshot of its state, or between its
 * tasks): the JSON of {@link RecordWriter}, written by this version of the job or by an earlier
 * one.
 *
 * <p>Structure only. Without a type, the required fields, values of the right JSON kind, instants
 * and durations that read and enum values that exist there is no record to build, so those fail.
 * Nothing else is checked: no {@link Bounds}, no rule of the contract, no channel rule ({@link
 * dev.herald.channel.MessagingChannel}). The record was checked when it entered the job, under the
 * rules of the version that took it; a rule tightened since must not make state already taken
 * unreadable. Absent optional fields take the contract's defaults and unknown fields are ignored,
 * as in {@link ControlRecordReader}, so that what an older writer left out still reads.
 *
 * <p>Never for input: input goes through {@link RecordCodec#parseControl}.
 */
final class StoredRecordReader {

  /** Jackson's own limits only: Herald's limits on input may have changed since it was stored. */
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredRecordReader() {}

  /** The campaign record in {@code json}. */
  static ControlRecord read(String json) {
    if (json != null && json.startsWith("\uFEFF")) {
      json = json.substring(1); // a record's text as written (kept by early books) may have one
    }
    JsonNode root;
    try {
      root = json == null ? null : JSON.readTree(json);
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new Invalid(Problem.NOT_JSON, "not valid JSON: " + Text.bare(String.valueOf(why)));
    }
    if (root == null || root.isMissingNode()) {
      throw new Invalid(Problem.NOT_JSON, "empty record");
    }
    if (!root.isObject()) {
      throw new Invalid(Problem.NOT_JSON, "not a JSON object (got " + Fields.kind(root) + ")");
    }
    Node n = new Node((ObjectNode) root, "");
    String type = n.requiredString("type");
    return switch (type) {
      case "campaign" -> campaign(n);
      case "reminder" -> reminder(n);
      case "cancel" -> new Cancel(n.requiredString("campaign"), n.requiredInstant("at"));
      case "account" ->
          new AccountStatus(
              n.requiredInstant("at"),
              n.requiredEnum("channel", Channel.class),
              n.requiredString("account"),
              n.requiredEnum("status", AccountState.class));
      default ->
          throw new Invalid(
              Problem.UNKNOWN_TYPE,
              "unknown campaign record type "
                  + Text.quote(type)
                  + " (expected one of "
                  + String.join(", ", ControlRecord.TYPES)
                  + ")");
    };
  }

  private static Campaign campaign(Node n) {
    CampaignKind kind = n.optionalEnum("kind", CampaignKind.class);
    Fallback fallback = n.optionalEnum("outsideWindow", Fallback.class);
    NotificationType notificationType = n.optionalEnum("notificationType", NotificationType.class);
    Node t = n.optionalObject("template");
    Template template =
        t == null
            ? null
            : new Template(
                t.requiredString("name"),
                t.requiredString("language"),
                t.requiredEnum("category", Category.class));
    return new Campaign(
        n.requiredString("id"),
        n.requiredInstant("at"),
        n.requiredEnum("channel", Channel.class),
        n.requiredString("account"),
        kind == null ? CampaignKind.MESSAGE : kind,
        n.optionalInstant("startAt"),
        n.optionalInstant("endAt"),
        n.optionalBoolean("promotional", true),
        audience(n),
        fallback == null ? Fallback.SKIP : fallback,
        n.optionalEnum("tag", MessageTag.class),
        n.optionalString("topic"),
        n.optionalEnum("frequency", Frequency.class),
        template,
        message(n),
        notificationType == null ? NotificationType.REGULAR : notificationType,
        n.optionalNumber("rate"),
        n.optionalBoolean("dryRun", false));
  }

  private static Reminder reminder(Node n) {
    return new Reminder(
        n.requiredString("id"),
        n.requiredInstant("at"),
        n.requiredEnum("channel", Channel.class),
        n.requiredString("account"),
        n.requiredDuration("afterInactivity"),
        audience(n),
        message(n),
        n.optionalBoolean("promotional", true));
  }

  private static Audience audience(Node n) {
    Node a = n.optionalObject("audience");
    if (a == null) {
      return Audience.EVERYONE;
    }
    return new Audience(
        a.strings("allTags"),
        a.strings("anyTags"),
        a.strings("noneTags"),
        a.optionalDuration("interactedWithin"),
        a.optionalDuration("inactiveFor"),
        a.strings("users"));
  }

  private static Message message(Node n) {
    Node m = n.optionalObject("message");
    if (m == null) {
      return Message.EMPTY;
    }
    List<Message.Variant> variants = new ArrayList<>();
    for (Node v : m.objects("variants")) {
      variants.add(
          new Message.Variant(
              v.requiredString("name"), v.strings("whenTags"), v.requiredString("text")));
    }
    return new Message(m.optionalString("text"), m.optionalString("resumeAt"), variants);
  }

  /** The fields of one object, read for their structure; {@code path} names them in reasons. */
  private record Node(ObjectNode node, String path) {

    private JsonNode get(String name) {
      JsonNode v = node.get(name);
      return v == null || v.isNull() ? null : v;
    }

    private JsonNode required(String name) {
      JsonNode v = get(name);
      if (v == null) {
        throw new Invalid(Problem.MISSING_FIELD, "missing required field '" + path + name + "'");
      }
      return v;
    }

    private Invalid wrongType(String name, String expected, JsonNode got) {
      return new Invalid(
          Problem.WRONG_TYPE,
          "field '" + path + name + "' must be " + expected + ", got " + Fields.kind(got));
    }

    private Invalid unreadable(String name, String what, String value) {
      return new Invalid(
          Problem.BAD_VALUE,
          "field '" + path + name + "' is not " + what + ": " + Text.quote(value));
    }

    private String text(String name, JsonNode v) {
      if (!v.isTextual()) {
        throw wrongType(name, "a string", v);
      }
      return v.asText();
    }

    String requiredString(String name) {
      return text(name, required(name));
    }

    String optionalString(String name) {
      JsonNode v = get(name);
      return v == null ? null : text(name, v);
    }

    private Instant instant(String name, JsonNode v) {
      String s = text(name, v);
      Instant t = Wire.parseInstant(s);
      if (t == null) {
        throw unreadable(name, "an instant", s);
      }
      return t;
    }

    Instant requiredInstant(String name) {
      return instant(name, required(name));
    }

    Instant optionalInstant(String name) {
      JsonNode v = get(name);
      return v == null ? null : instant(name, v);
    }

    private Duration duration(String name, JsonNode v) {
      String s = text(name, v);
      Duration d = Wire.parseDuration(s);
      if (d == null) {
        throw unreadable(name, "a duration", s);
      }
      return d;
    }

    Duration requiredDuration(String name) {
      return duration(name, required(name));
    }

    Duration optionalDuration(String name) {
      JsonNode v = get(name);
      return v == null ? null : duration(name, v);
    }

    private <E extends Enum<E> & WireEnum> E enumValue(String name, JsonNode v, Class<E> type) {
      String s = text(name, v);
      E e = WireEnum.fromWire(type, s);
      if (e == null) {
        throw unreadable(name, "one of " + WireEnum.spellings(type), s);
      }
      return e;
    }

    <E extends Enum<E> & WireEnum> E requiredEnum(String name, Class<E> type) {
      return enumValue(name, required(name), type);
    }

    <E extends Enum<E> & WireEnum> E optionalEnum(String name, Class<E> type) {
      JsonNode v = get(name);
      return v == null ? null : enumValue(name, v, type);
    }

    boolean optionalBoolean(String name, boolean absent) {
      JsonNode v = get(name);
      if (v == null) {
        return absent;
      }
      if (!v.isBoolean()) {
        throw wrongType(name, "true or false", v);
      }
      return v.booleanValue();
    }

    Double optionalNumber(String name) {
      JsonNode v = get(name);
      if (v == null) {
        return null;
      }
      if (!v.isNumber()) {
        throw wrongType(name, "a number", v);
      }
      return v.doubleValue();
    }

    /** A list of strings; absent is empty. */
    List<String> strings(String name) {
      JsonNode v = get(name);
      if (v == null) {
        return List.of();
      }
      if (!v.isArray()) {
        throw wrongType(name, "an array of strings", v);
      }
      List<String> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        out.add(text(name + "[" + i + "]", v.get(i)));
      }
      return out;
    }

    Node optionalObject(String name) {
      JsonNode v = get(name);
      if (v == null) {
        return null;
      }
      if (!v.isObject()) {
        throw wrongType(name, "an object", v);
      }
      return new Node((ObjectNode) v, path + name + ".");
    }

    /** A list of objects; absent is empty. */
    List<Node> objects(String name) {
      JsonNode v = get(name);
      if (v == null) {
        return List.of();
      }
      if (!v.isArray()) {
        throw wrongType(name, "an array of objects", v);
      }
      List<Node> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = v.get(i);
        if (!item.isObject()) {
          throw wrongType(name + "[" + i + "]", "an object", item);
        }
        out.add(new Node((ObjectNode) item, path + name + "[" + i + "]."));
      }
      return out;
    }
  }
}
