package dev.herald.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.ControlRecord.AccountStatus;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Cancel;
import dev.herald.schema.ControlRecord.Reminder;
import dev.herald.schema.UserEvent.Consent;
import dev.herald.schema.UserEvent.Delivery;
import dev.herald.schema.UserEvent.Erase;
import dev.herald.schema.UserEvent.Interaction;
import dev.herald.schema.UserEvent.OptinRequest;
import dev.herald.schema.UserEvent.OtnOptin;
import dev.herald.schema.UserEvent.RecurringOptin;
import dev.herald.schema.UserEvent.RecurringStatus;
import dev.herald.schema.UserEvent.Tag;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes the records of the wire contract as JSON.
 *
 * <p>Parsing checks what the JSON Schemas in {@code schemas/} check (structure, types, required
 * fields, enums, the channel/fallback combinations) plus the cross-field checks no schema can
 * express (an end after the start, a reminder delay under 24 hours). It never throws: a record it
 * cannot use comes back as {@link Parsed.Rejected} with a reason a human can act on, e.g. {@code
 * campaign restock-42: outsideWindow OTN needs a topic}. Unknown fields are ignored; an optional
 * field given as {@code null} is absent.
 */
public final class RecordCodec {

  /** The longest reminder delay, exclusive. */
  public static final Duration MAX_REMINDER_DELAY = Duration.ofHours(24);

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final ObjectReader READER = MAPPER.reader();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private RecordCodec() {}

  // ------------------------------------------------------------------ parsing

  /** Parses any input record: a user event or a campaign record. */
  public static Parsed<InputRecord> parse(String json) {
    return read(json, InputRecord.class);
  }

  /** Parses a record from the {@code user-events} topic: only user events are accepted. */
  public static Parsed<UserEvent> parseUserEvent(String json) {
    return read(json, UserEvent.class);
  }

  /** Parses a record from the {@code campaigns} topic: campaign, reminder, cancel or account. */
  public static Parsed<ControlRecord> parseControl(String json) {
    return read(json, ControlRecord.class);
  }

  /** Parses a record of one of the kinds {@code accepted} stands for. */
  private static <T extends InputRecord> Parsed<T> read(String json, Class<T> accepted) {
    try {
      ObjectNode node = readObject(json);
      String type = typeOf(node);
      boolean userEvent = UserEvent.TYPES.contains(type);
      boolean control = ControlRecord.TYPES.contains(type);
      boolean wanted =
          accepted == UserEvent.class
              ? userEvent
              : accepted == ControlRecord.class ? control : userEvent || control;
      if (!wanted) {
        throw notAccepted(type, accepted, userEvent || control);
      }
      return Parsed.ok(accepted.cast(userEvent ? userEvent(node, type) : control(node, type)));
    } catch (Invalid e) {
      return Parsed.rejected(e.getMessage(), e.problem);
    }
  }

  private static Invalid notAccepted(String type, Class<?> accepted, boolean known) {
    if (known) {
      return new Invalid(
          Problem.WRONG_INPUT,
          accepted == UserEvent.class
              ? "a " + type + " record is not a user event"
              : "a user event (" + type + ") is not a campaign record");
    }
    List<String> types =
        accepted == UserEvent.class
            ? UserEvent.TYPES
            : accepted == ControlRecord.class
                ? ControlRecord.TYPES
                : concat(UserEvent.TYPES, ControlRecord.TYPES);
    String what =
        accepted == UserEvent.class
            ? "unknown user event type"
            : accepted == ControlRecord.class ? "unknown campaign record type" : "unknown type";
    return new Invalid(
        Problem.UNKNOWN_TYPE,
        what + " '" + type + "' (expected one of " + String.join(", ", types) + ")");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static ObjectNode readObject(String json) {
    if (json == null || json.isBlank()) {
      throw new Invalid(Problem.NOT_JSON, "empty record");
    }
    JsonNode node;
    try {
      node = READER.readTree(json);
    } catch (JsonProcessingException e) {
      String message = e.getOriginalMessage();
      int newline = message.indexOf('\n');
      throw new Invalid(
          Problem.NOT_JSON,
          "not valid JSON: " + (newline < 0 ? message : message.substring(0, newline)));
    } catch (IOException e) {
      throw new Invalid(Problem.NOT_JSON, "not valid JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new Invalid(
          Problem.NOT_JSON,
          "not a JSON object (a record is one object, got "
              + kind(node == null ? null : node)
              + ")");
    }
    return (ObjectNode) node;
  }

  private static String typeOf(ObjectNode node) {
    Fields f = new Fields(node, null);
    return f.requiredString("type");
  }

  private static UserEvent userEvent(ObjectNode node, String type) {
    Fields f = new Fields(node, userEventSubject(node, type));
    Instant at = f.requiredInstant("at");
    Channel channel = f.requiredEnum("channel", Channel.class);
    String account = f.requiredString("account");
    String user = f.requiredString("user");
    String id = f.optionalString("id");
    UserKey key = new UserKey(channel, account, user);
    return switch (type) {
      case "interaction" -> {
        InteractionKind kind = f.optionalEnum("kind", InteractionKind.class);
        String interaction = f.optionalString("interaction");
        boolean breadcrumb = f.optionalBoolean("breadcrumb", false);
        yield new Interaction(
            key, at, id, kind == null ? InteractionKind.MESSAGE : kind, interaction, breadcrumb);
      }
      case "tag" -> {
        List<String> add = f.optionalStrings("add");
        List<String> remove = f.optionalStrings("remove");
        if (add == null && remove == null) {
          throw f.invalid("a tag event needs 'add' or 'remove'");
        }
        yield new Tag(
            key, at, id, add == null ? List.of() : add, remove == null ? List.of() : remove);
      }
      case "otn_optin" ->
          new OtnOptin(key, at, id, f.requiredString("topic"), f.requiredString("token"));
      case "recurring_optin" ->
          new RecurringOptin(
              key,
              at,
              id,
              f.requiredString("topic"),
              f.requiredString("token"),
              f.requiredEnum("frequency", Frequency.class),
              f.optionalInstant("expiresAt"));
      case "recurring_status" ->
          new RecurringStatus(
              key,
              at,
              id,
              f.requiredString("topic"),
              f.requiredEnum("status", SubscriptionChange.class));
      case "optin_request" -> new OptinRequest(key, at, id, f.requiredString("topic"));
      case "optin", "optout" ->
          new Consent(
              key, at, id, type.equals("optin"), f.optionalEnum("category", Category.class));
      case "delivery" -> {
        DeliveryStatus status = f.requiredEnum("status", DeliveryStatus.class);
        String requestId = f.optionalString("requestId");
        String campaign = f.optionalString("campaign");
        PlatformError error = null;
        Fields e = f.optionalObject("error");
        if (e != null) {
          error = new PlatformError(e.requiredInteger("code"), e.optionalInteger("subcode"));
        }
        yield new Delivery(key, at, id, status, requestId, campaign, error);
      }
      case "erase" -> new Erase(key, at, id);
      default -> throw new IllegalStateException("not a user event type: " + type);
    };
  }

  private static String userEventSubject(ObjectNode node, String type) {
    JsonNode channel = node.get("channel");
    JsonNode account = node.get("account");
    JsonNode user = node.get("user");
    if (channel != null && channel.isTextual() && account != null && account.isTextual()) {
      if (user != null && user.isTextual()) {
        return type + " for " + channel.asText() + "/" + account.asText() + "/" + user.asText();
      }
    }
    return type;
  }

  private static ControlRecord control(ObjectNode node, String type) {
    return switch (type) {
      case "campaign" -> campaign(node);
      case "reminder" -> reminder(node);
      case "cancel" -> {
        JsonNode target = node.get("campaign");
        Fields f =
            new Fields(
                node,
                target != null && target.isTextual() && !target.asText().isEmpty()
                    ? "cancel of " + target.asText()
                    : "cancel");
        String campaign = f.requiredString("campaign");
        yield new Cancel(campaign, f.requiredInstant("at"));
      }
      case "account" -> {
        JsonNode channel = node.get("channel");
        JsonNode account = node.get("account");
        Fields f =
            new Fields(
                node,
                channel != null && channel.isTextual() && account != null && account.isTextual()
                    ? "account " + channel.asText() + "/" + account.asText()
                    : "account");
        Instant at = f.requiredInstant("at");
        yield new AccountStatus(
            at,
            f.requiredEnum("channel", Channel.class),
            f.requiredString("account"),
            f.requiredEnum("status", AccountState.class));
      }
      default -> throw new IllegalStateException("not a campaign record type: " + type);
    };
  }

  private static String subject(String type, ObjectNode node) {
    JsonNode id = node.get("id");
    return id != null && id.isTextual() && !id.asText().isEmpty() ? type + " " + id.asText() : type;
  }

  private static Campaign campaign(ObjectNode node) {
    Fields f = new Fields(node, subject("campaign", node));
    String id = f.requiredString("id");
    Instant at = f.requiredInstant("at");
    Channel channel = f.requiredEnum("channel", Channel.class);
    String account = f.requiredString("account");
    CampaignKind kind = f.optionalEnum("kind", CampaignKind.class);
    kind = kind == null ? CampaignKind.MESSAGE : kind;
    Instant startAt = f.optionalInstant("startAt");
    Instant endAt = f.optionalInstant("endAt");
    boolean promotional = f.optionalBoolean("promotional", true);
    Audience audience = audience(f);
    Fallback fallback = f.optionalEnum("outsideWindow", Fallback.class);
    fallback = fallback == null ? Fallback.SKIP : fallback;
    MessageTag tag = f.optionalEnum("tag", MessageTag.class);
    String topic = f.optionalString("topic");
    Frequency frequency = f.optionalEnum("frequency", Frequency.class);
    Template template = null;
    Fields t = f.optionalObject("template");
    if (t != null) {
      template =
          new Template(
              t.requiredString("name"),
              t.requiredString("language"),
              t.requiredEnum("category", Category.class));
    }
    Message message = message(f);
    NotificationType notificationType = f.optionalEnum("notificationType", NotificationType.class);
    Double rate = f.optionalNumber("rate");
    boolean dryRun = f.optionalBoolean("dryRun", false);

    // The combinations the JSON Schema also expresses.
    Set<Fallback> allowed = fallbacksOn(channel);
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
      case OTN -> {
        if (topic == null) {
          throw f.invalid("outsideWindow OTN needs a topic");
        }
      }
      case RECURRING -> {
        if (topic == null) {
          throw f.invalid("outsideWindow RECURRING needs a topic");
        }
      }
      case TEMPLATE -> {
        if (template == null) {
          throw f.invalid("outsideWindow TEMPLATE needs a template");
        }
      }
      case SKIP -> {}
    }
    // A tag Instagram does not allow is invalid whatever the fallback, like an unknown tag.
    if (channel == Channel.INSTAGRAM && tag != null && tag != MessageTag.HUMAN_AGENT) {
      throw f.invalid("tag " + tag + " is not valid on instagram (only HUMAN_AGENT)");
    }
    if (template != null && channel != Channel.WHATSAPP) {
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
    if (rate != null && !(rate > 0 && Double.isFinite(rate))) {
      throw f.invalid("rate must be a positive number of decisions per second, got " + rate);
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
    String id = f.requiredString("id");
    Instant at = f.requiredInstant("at");
    Channel channel = f.requiredEnum("channel", Channel.class);
    String account = f.requiredString("account");
    Duration delay = f.requiredDuration("afterInactivity");
    Audience audience = audience(f);
    if (f.optionalObject("message") == null) {
      throw f.invalid("missing required field 'message' (a reminder needs message.text)");
    }
    Message message = message(f);
    boolean promotional = f.optionalBoolean("promotional", true);
    if (message.text() == null) {
      throw f.invalid("missing required field 'message.text'");
    }
    if (delay.compareTo(MAX_REMINDER_DELAY) >= 0) {
      throw f.invalid(
          "afterInactivity must be less than PT24H (the window), got "
              + node.get("afterInactivity").asText());
    }
    return new Reminder(id, at, channel, account, delay, audience, message, promotional);
  }

  private static Audience audience(Fields f) {
    Fields a = f.optionalObject("audience");
    if (a == null) {
      return Audience.EVERYONE;
    }
    return new Audience(
        orEmpty(a.optionalStrings("allTags")),
        orEmpty(a.optionalStrings("anyTags")),
        orEmpty(a.optionalStrings("noneTags")),
        a.optionalDuration("interactedWithin"),
        a.optionalDuration("inactiveFor"),
        orEmpty(a.optionalStrings("users")));
  }

  private static Message message(Fields f) {
    Fields m = f.optionalObject("message");
    if (m == null) {
      return Message.EMPTY;
    }
    String text = m.optionalString("text");
    String resumeAt = m.optionalString("resumeAt");
    List<Message.Variant> variants = new ArrayList<>();
    List<Fields> items = m.optionalObjects("variants");
    if (items != null) {
      for (Fields v : items) {
        variants.add(
            new Message.Variant(
                v.requiredString("name"),
                orEmpty(v.optionalStrings("whenTags")),
                v.requiredString("text")));
      }
    }
    return new Message(text, resumeAt, variants);
  }

  /** The fallbacks valid on a channel. */
  public static Set<Fallback> fallbacksOn(Channel channel) {
    return switch (channel) {
      case MESSENGER ->
          EnumSet.of(Fallback.SKIP, Fallback.MESSAGE_TAG, Fallback.OTN, Fallback.RECURRING);
      case INSTAGRAM -> EnumSet.of(Fallback.SKIP, Fallback.MESSAGE_TAG);
      case WHATSAPP -> EnumSet.of(Fallback.SKIP, Fallback.TEMPLATE);
    };
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

  private static String kind(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isArray()) {
      return "array";
    }
    return "object";
  }

  /** A check that failed; caught at the top of every parse and turned into a reason. */
  private static final class Invalid extends RuntimeException {
    final Problem problem;

    Invalid(Problem problem, String message) {
      super(message, null, false, false);
      this.problem = problem;
    }
  }

  /** Typed access to the fields of one JSON object, with errors naming the field. */
  private static final class Fields {
    private final ObjectNode node;
    private final String subject;
    private final String path;

    Fields(ObjectNode node, String subject) {
      this(node, subject, "");
    }

    private Fields(ObjectNode node, String subject, String path) {
      this.node = node;
      this.subject = subject;
      this.path = path;
    }

    /** Fields that contradict each other. */
    Invalid invalid(String problem) {
      return invalid(Problem.CONTRADICTION, problem);
    }

    Invalid invalid(Problem kind, String problem) {
      return new Invalid(kind, subject == null ? problem : subject + ": " + problem);
    }

    private JsonNode get(String name) {
      JsonNode v = node.get(name);
      return v == null || v.isNull() ? null : v;
    }

    private JsonNode required(String name) {
      JsonNode v = get(name);
      if (v == null) {
        throw invalid(Problem.MISSING_FIELD, "missing required field '" + path + name + "'");
      }
      return v;
    }

    private Invalid wrongType(String name, String expected, JsonNode got) {
      return invalid(
          Problem.WRONG_TYPE,
          "field '" + path + name + "' must be " + expected + ", got " + kind(got));
    }

    private String text(String name, JsonNode v) {
      if (!v.isTextual()) {
        throw wrongType(name, "a string", v);
      }
      String s = v.asText();
      if (s.isEmpty()) {
        throw invalid(Problem.BAD_VALUE, "field '" + path + name + "' must not be empty");
      }
      return s;
    }

    String requiredString(String name) {
      return text(name, required(name));
    }

    String optionalString(String name) {
      JsonNode v = get(name);
      return v == null ? null : text(name, v);
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

    private long integer(String name, JsonNode v) {
      if (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue())) {
        // e.g. 1e400: read as infinity, which has no decimal value to check.
        throw invalid(Problem.BAD_VALUE, "field '" + path + name + "' is out of range");
      }
      boolean integral =
          v.isIntegralNumber()
              || (v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0);
      if (!integral) {
        throw wrongType(name, "an integer", v);
      }
      if (!v.canConvertToLong()) {
        throw invalid(Problem.BAD_VALUE, "field '" + path + name + "' is out of range");
      }
      return v.longValue();
    }

    long requiredInteger(String name) {
      return integer(name, required(name));
    }

    Long optionalInteger(String name) {
      JsonNode v = get(name);
      return v == null ? null : integer(name, v);
    }

    private Instant instant(String name, JsonNode v) {
      String s = text(name, v);
      Instant instant = Wire.parseInstant(s);
      if (instant == null) {
        throw invalid(
            Problem.BAD_VALUE,
            "field '"
                + path
                + name
                + "' is not an RFC 3339 instant (e.g. 2021-05-01T09:12:00Z): '"
                + s
                + "'");
      }
      return instant;
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
        throw invalid(
            Problem.BAD_VALUE,
            "field '"
                + path
                + name
                + "' is not a duration in days, hours, minutes and seconds (e.g. PT30M, P7D): '"
                + s
                + "'");
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
      if (!v.isTextual()) {
        throw wrongType(name, "one of " + WireEnum.spellings(type), v);
      }
      E e = WireEnum.fromWire(type, v.asText());
      if (e == null) {
        throw invalid(
            Problem.BAD_VALUE,
            "field '"
                + path
                + name
                + "' must be one of "
                + WireEnum.spellings(type)
                + ", got '"
                + v.asText()
                + "'");
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

    List<String> optionalStrings(String name) {
      JsonNode v = get(name);
      if (v == null) {
        return null;
      }
      if (!v.isArray()) {
        throw wrongType(name, "an array of strings", v);
      }
      List<String> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = v.get(i);
        if (item == null || !item.isTextual()) {
          throw wrongType(name + "[" + i + "]", "a string", item);
        }
        if (item.asText().isEmpty()) {
          throw invalid(
              Problem.BAD_VALUE, "field '" + path + name + "[" + i + "]' must not be empty");
        }
        out.add(item.asText());
      }
      return out;
    }

    Fields optionalObject(String name) {
      JsonNode v = get(name);
      if (v == null) {
        return null;
      }
      if (!v.isObject()) {
        throw wrongType(name, "an object", v);
      }
      return new Fields((ObjectNode) v, subject, path + name + ".");
    }

    List<Fields> optionalObjects(String name) {
      JsonNode v = get(name);
      if (v == null) {
        return null;
      }
      if (!v.isArray()) {
        throw wrongType(name, "an array of objects", v);
      }
      List<Fields> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = v.get(i);
        if (item == null || !item.isObject()) {
          throw wrongType(name + "[" + i + "]", "an object", item);
        }
        out.add(new Fields((ObjectNode) item, subject, path + name + "[" + i + "]."));
      }
      return out;
    }
  }

  // ------------------------------------------------------------------ writing

  /** A decision as one line of JSON, fields in the order of the wire contract. */
  public static String write(Decision d) {
    return json(
        g -> {
          g.writeStringField("campaign", d.campaign());
          writeKey(g, d.user());
          g.writeStringField("at", Wire.format(d.at()));
          g.writeStringField("outcome", d.outcome().name());
          writeEnum(g, "basis", d.basis());
          g.writeStringField("token", d.token());
          g.writeStringField("variant", d.variant());
          g.writeStringField("resumeAt", d.resumeAt());
          writeEnum(g, "reason", d.reason());
          if (d.dryRun()) {
            g.writeBooleanField("dryRun", true);
          }
        });
  }

  /** A send request as one line of JSON. */
  public static String write(SendRequest r) {
    return json(
        g -> {
          g.writeStringField("requestId", r.requestId());
          g.writeStringField("campaign", r.campaign());
          writeKey(g, r.user());
          writeEnum(g, "basis", r.basis());
          writeEnum(g, "tag", r.tag());
          g.writeStringField("token", r.token());
          if (r.template() == null) {
            g.writeNullField("template");
          } else {
            g.writeObjectFieldStart("template");
            g.writeStringField("name", r.template().name());
            g.writeStringField("language", r.template().language());
            g.writeStringField("category", r.template().category().name());
            g.writeEndObject();
          }
          g.writeStringField("text", r.text());
          g.writeStringField("resumeAt", r.resumeAt());
          writeEnum(g, "notificationType", r.notificationType());
          g.writeStringField("decidedAt", Wire.format(r.decidedAt()));
          g.writeStringField("notAfter", Wire.format(r.notAfter()));
          if (r.topic() != null) {
            g.writeStringField("topic", r.topic());
          }
          if (r.frequency() != null) {
            g.writeStringField("frequency", r.frequency().name());
          }
        });
  }

  /** A dead letter as one line of JSON. */
  public static String write(DeadLetter d) {
    return json(
        g -> {
          if (d.at() == null) {
            g.writeNullField("at");
          } else {
            g.writeStringField("at", Wire.format(d.at()));
          }
          g.writeStringField("source", d.source());
          g.writeStringField("reason", d.reason());
          g.writeStringField("input", d.input());
        });
  }

  /** An input record as one line of JSON, every default written out; {@link #parse} reads it. */
  public static String write(InputRecord record) {
    return json(
        g -> {
          g.writeStringField("type", record.type());
          g.writeStringField("at", Wire.format(record.at()));
          if (record instanceof UserEvent e) {
            writeUserEvent(g, e);
          } else if (record instanceof Campaign c) {
            writeCampaign(g, c);
          } else if (record instanceof Reminder r) {
            g.writeStringField("id", r.id());
            g.writeStringField("channel", r.channel().wire());
            g.writeStringField("account", r.account());
            g.writeStringField("afterInactivity", Wire.format(r.afterInactivity()));
            writeAudience(g, r.audience());
            writeMessage(g, r.message());
            g.writeBooleanField("promotional", r.promotional());
          } else if (record instanceof Cancel c) {
            g.writeStringField("campaign", c.campaign());
          } else if (record instanceof AccountStatus a) {
            g.writeStringField("channel", a.channel().wire());
            g.writeStringField("account", a.account());
            g.writeStringField("status", a.status().name());
          }
        });
  }

  private static void writeUserEvent(JsonGenerator g, UserEvent e) throws IOException {
    writeKey(g, e.key());
    if (e.id() != null) {
      g.writeStringField("id", e.id());
    }
    if (e instanceof Interaction i) {
      g.writeStringField("kind", i.kind().wire());
      if (i.interaction() != null) {
        g.writeStringField("interaction", i.interaction());
      }
      g.writeBooleanField("breadcrumb", i.breadcrumb());
    } else if (e instanceof Tag t) {
      writeStrings(g, "add", t.add());
      writeStrings(g, "remove", t.remove());
    } else if (e instanceof OtnOptin o) {
      g.writeStringField("topic", o.topic());
      g.writeStringField("token", o.token());
    } else if (e instanceof RecurringOptin o) {
      g.writeStringField("topic", o.topic());
      g.writeStringField("token", o.token());
      g.writeStringField("frequency", o.frequency().name());
      if (o.expiresAt() != null) {
        g.writeStringField("expiresAt", Wire.format(o.expiresAt()));
      }
    } else if (e instanceof RecurringStatus s) {
      g.writeStringField("topic", s.topic());
      g.writeStringField("status", s.status().name());
    } else if (e instanceof OptinRequest r) {
      g.writeStringField("topic", r.topic());
    } else if (e instanceof Consent c) {
      if (c.category() != null) {
        g.writeStringField("category", c.category().name());
      }
    } else if (e instanceof Delivery d) {
      g.writeStringField("status", d.status().wire());
      if (d.requestId() != null) {
        g.writeStringField("requestId", d.requestId());
      }
      if (d.campaign() != null) {
        g.writeStringField("campaign", d.campaign());
      }
      if (d.error() != null) {
        g.writeObjectFieldStart("error");
        g.writeNumberField("code", d.error().code());
        if (d.error().subcode() != null) {
          g.writeNumberField("subcode", d.error().subcode());
        }
        g.writeEndObject();
      }
    }
  }

  private static void writeCampaign(JsonGenerator g, Campaign c) throws IOException {
    g.writeStringField("id", c.id());
    g.writeStringField("channel", c.channel().wire());
    g.writeStringField("account", c.account());
    g.writeStringField("kind", c.kind().wire());
    if (c.startAt() != null) {
      g.writeStringField("startAt", Wire.format(c.startAt()));
    }
    if (c.endAt() != null) {
      g.writeStringField("endAt", Wire.format(c.endAt()));
    }
    g.writeBooleanField("promotional", c.promotional());
    writeAudience(g, c.audience());
    g.writeStringField("outsideWindow", c.outsideWindow().name());
    if (c.tag() != null) {
      g.writeStringField("tag", c.tag().name());
    }
    if (c.topic() != null) {
      g.writeStringField("topic", c.topic());
    }
    if (c.frequency() != null) {
      g.writeStringField("frequency", c.frequency().name());
    }
    if (c.template() != null) {
      g.writeObjectFieldStart("template");
      g.writeStringField("name", c.template().name());
      g.writeStringField("language", c.template().language());
      g.writeStringField("category", c.template().category().name());
      g.writeEndObject();
    }
    writeMessage(g, c.message());
    g.writeStringField("notificationType", c.notificationType().name());
    if (c.rate() != null) {
      g.writeNumberField("rate", c.rate());
    }
    g.writeBooleanField("dryRun", c.dryRun());
  }

  private static void writeAudience(JsonGenerator g, Audience a) throws IOException {
    g.writeObjectFieldStart("audience");
    writeStrings(g, "allTags", a.allTags());
    writeStrings(g, "anyTags", a.anyTags());
    writeStrings(g, "noneTags", a.noneTags());
    if (a.interactedWithin() != null) {
      g.writeStringField("interactedWithin", Wire.format(a.interactedWithin()));
    }
    if (a.inactiveFor() != null) {
      g.writeStringField("inactiveFor", Wire.format(a.inactiveFor()));
    }
    writeStrings(g, "users", a.users());
    g.writeEndObject();
  }

  private static void writeMessage(JsonGenerator g, Message m) throws IOException {
    g.writeObjectFieldStart("message");
    if (m.text() != null) {
      g.writeStringField("text", m.text());
    }
    if (m.resumeAt() != null) {
      g.writeStringField("resumeAt", m.resumeAt());
    }
    g.writeArrayFieldStart("variants");
    for (Message.Variant v : m.variants()) {
      g.writeStartObject();
      g.writeStringField("name", v.name());
      writeStrings(g, "whenTags", v.whenTags());
      g.writeStringField("text", v.text());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeStrings(JsonGenerator g, String name, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private static void writeKey(JsonGenerator g, UserKey key) throws IOException {
    g.writeStringField("channel", key.channel().wire());
    g.writeStringField("account", key.account());
    g.writeStringField("user", key.user());
  }

  private static void writeEnum(JsonGenerator g, String name, Enum<?> value) throws IOException {
    if (value == null) {
      g.writeNullField(name);
    } else {
      g.writeStringField(name, value.name());
    }
  }

  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String json(Body body) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    return out.toString();
  }
}
