package dev.herald.schema;

import static dev.herald.schema.Bounds.Strings.NAME;
import static dev.herald.schema.Bounds.Strings.REFERENCE;
import static dev.herald.schema.Bounds.Strings.REQUEST_ID;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a plain, valid user event straight from the tokenizer, in one pass and without building a
 * tree: every record of the {@code user-events} topic goes through here first. A plain event has
 * only the fields of the contract's user events, each once, each of its JSON type or {@code null}.
 *
 * <p>Anything else and it gives up ({@code null}): a field it does not know (ignored by the
 * contract, but rare), a value of another type, a required field missing, any value the contract
 * refuses, anything the tokenizer objects to. The full reader ({@link JsonInput}, {@link
 * UserEventReader}) then reads the record, accepts it or says what is wrong with it, so that
 * reasons and the rare records stay exactly as they were. This reader only ever accepts what the
 * full reader accepts, with the same value: the same checks ({@link Bounds}, {@link Wire}, {@link
 * WireEnum}) in the same words, and a test compares both on every record of the codec's tests and
 * on altered copies of them.
 *
 * <p>Why: building the tree and looking fields up in it was a third of the parse, the parse the
 * largest cost per event at the source (benchmarks/PROFILE.md).
 */
final class UserEventStreamReader {

  /** Gives up: the full reader decides. Thrown without a stack, it costs no more than a return. */
  private static final class GiveUp extends Exception {
    private static final long serialVersionUID = 1L;

    GiveUp() {
      super(null, null, false, false);
    }
  }

  private static final GiveUp GIVE_UP = new GiveUp();

  private UserEventStreamReader() {}

  /** The user event in {@code utf8}, or {@code null} if the full reader must read it. */
  static UserEvent read(byte[] utf8) {
    int n = utf8.length;
    // A byte-order mark (0xEF first) or bad UTF-8: the full reader, which words them.
    if (n == 0 || n > Bounds.MAX_RECORD_BYTES || (utf8[0] & 0xFF) == 0xEF) {
      return null;
    }
    if (Text.firstInvalidUtf8(utf8, 0, n) >= 0) {
      return null;
    }
    try (JsonParser p = JsonInput.FACTORY.createParser(utf8)) {
      return read(p);
    } catch (IOException | GiveUp e) {
      return null;
    }
  }

  /** The user event in {@code json}, or {@code null} if the full reader must read it. */
  static UserEvent read(String json) {
    if (json == null
        || json.isEmpty()
        || json.length() > Bounds.MAX_RECORD_BYTES / 3 // it might be too large: the full reader
        || json.charAt(0) == '\uFEFF') {
      return null;
    }
    try (JsonParser p = JsonInput.FACTORY.createParser(json)) {
      return read(p);
    } catch (IOException | GiveUp e) {
      return null;
    }
  }

  // The known fields, one bit each, to see a field given twice.
  private static final int TYPE = 1;
  private static final int AT = 1 << 1;
  private static final int CHANNEL = 1 << 2;
  private static final int ACCOUNT = 1 << 3;
  private static final int USER = 1 << 4;
  private static final int ID = 1 << 5;
  private static final int KIND = 1 << 6;
  private static final int INTERACTION = 1 << 7;
  private static final int BREADCRUMB = 1 << 8;
  private static final int ADD = 1 << 9;
  private static final int REMOVE = 1 << 10;
  private static final int TOPIC = 1 << 11;
  private static final int TOKEN = 1 << 12;
  private static final int FREQUENCY = 1 << 13;
  private static final int EXPIRES_AT = 1 << 14;
  private static final int STATUS = 1 << 15;
  private static final int CATEGORY = 1 << 16;
  private static final int REQUEST_ID_FIELD = 1 << 17;
  private static final int CAMPAIGN = 1 << 18;
  private static final int ERROR = 1 << 19;

  private static int bit(String name) {
    return switch (name) {
      case "type" -> TYPE;
      case "at" -> AT;
      case "channel" -> CHANNEL;
      case "account" -> ACCOUNT;
      case "user" -> USER;
      case "id" -> ID;
      case "kind" -> KIND;
      case "interaction" -> INTERACTION;
      case "breadcrumb" -> BREADCRUMB;
      case "add" -> ADD;
      case "remove" -> REMOVE;
      case "topic" -> TOPIC;
      case "token" -> TOKEN;
      case "frequency" -> FREQUENCY;
      case "expiresAt" -> EXPIRES_AT;
      case "status" -> STATUS;
      case "category" -> CATEGORY;
      case "requestId" -> REQUEST_ID_FIELD;
      case "campaign" -> CAMPAIGN;
      case "error" -> ERROR;
      default -> 0;
    };
  }

  /** The fields of one record as written: strings, the flag, the lists, the error. */
  private static final class Written {
    String type;
    String at;
    String channel;
    String account;
    String user;
    String id;
    String kind;
    String interaction;
    Boolean breadcrumb;
    List<String> add;
    List<String> remove;
    String topic;
    String token;
    String frequency;
    String expiresAt;
    String status;
    String category;
    String requestId;
    String campaign;
    boolean error;
    Long code;
    Long subcode;
  }

  private static UserEvent read(JsonParser p) throws IOException, GiveUp {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw GIVE_UP;
    }
    Written w = new Written();
    int seen = 0;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      int bit = bit(name);
      if (bit == 0 || (seen & bit) != 0) {
        throw GIVE_UP; // unknown, or twice
      }
      seen |= bit;
      JsonToken v = p.nextToken();
      switch (bit) {
        case TYPE -> w.type = string(p, v);
        case AT -> w.at = string(p, v);
        case CHANNEL -> w.channel = string(p, v);
        case ACCOUNT -> w.account = string(p, v);
        case USER -> w.user = string(p, v);
        case ID -> w.id = string(p, v);
        case KIND -> w.kind = string(p, v);
        case INTERACTION -> w.interaction = string(p, v);
        case BREADCRUMB -> w.breadcrumb = flag(v);
        case ADD -> w.add = strings(p, v);
        case REMOVE -> w.remove = strings(p, v);
        case TOPIC -> w.topic = string(p, v);
        case TOKEN -> w.token = string(p, v);
        case FREQUENCY -> w.frequency = string(p, v);
        case EXPIRES_AT -> w.expiresAt = string(p, v);
        case STATUS -> w.status = string(p, v);
        case CATEGORY -> w.category = string(p, v);
        case REQUEST_ID_FIELD -> w.requestId = string(p, v);
        case CAMPAIGN -> w.campaign = string(p, v);
        default -> error(p, v, w);
      }
    }
    if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
      throw GIVE_UP; // not closed, or more after the object
    }
    return build(w);
  }

  private static String string(JsonParser p, JsonToken v) throws IOException, GiveUp {
    if (v == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (v == JsonToken.VALUE_NULL) {
      return null; // an optional field given as null is absent
    }
    throw GIVE_UP;
  }

  private static Boolean flag(JsonToken v) throws GiveUp {
    return switch (v) {
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw GIVE_UP;
    };
  }

  private static List<String> strings(JsonParser p, JsonToken v) throws IOException, GiveUp {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.START_ARRAY) {
      throw GIVE_UP;
    }
    List<String> items = new ArrayList<>(4);
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
      items.add(p.getText());
      if (items.size() > Bounds.MAX_TAGS) {
        throw GIVE_UP;
      }
    }
    if (t != JsonToken.END_ARRAY) {
      throw GIVE_UP;
    }
    return items;
  }

  /** A delivery's {@code error}: {@code code} and an optional {@code subcode}, integers. */
  private static void error(JsonParser p, JsonToken v, Written w) throws IOException, GiveUp {
    if (v == JsonToken.VALUE_NULL) {
      return;
    }
    if (v != JsonToken.START_OBJECT) {
      throw GIVE_UP;
    }
    w.error = true;
    boolean code = false;
    boolean subcode = false;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken n = p.nextToken();
      if (name.equals("code") && !code) {
        code = true;
        w.code = integer(p, n);
      } else if (name.equals("subcode") && !subcode) {
        subcode = true;
        w.subcode = integer(p, n);
      } else {
        throw GIVE_UP;
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw GIVE_UP;
    }
  }

  /** An integer written as one, within the bounds of an error code; {@code null} for null. */
  private static Long integer(JsonParser p, JsonToken n) throws IOException, GiveUp {
    if (n == JsonToken.VALUE_NULL) {
      return null;
    }
    if (n != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw GIVE_UP; // 10.0, 1e3 and big numbers: the full reader's rules
    }
    long value = p.getLongValue();
    if (value < 0 || value > Bounds.MAX_ERROR_CODE) {
      throw GIVE_UP;
    }
    return value;
  }

  // ------------------------------------------------------------------ the checks of the contract
  // As UserEventReader and Fields make them; any failure gives up, and the full reader words it.

  private static UserEvent build(Written w) throws GiveUp {
    String type = w.type;
    if (type == null || !UserEvent.TYPES.contains(type)) {
      throw GIVE_UP;
    }
    Instant at = instant(required(w.at));
    Channel channel = value(Channel.class, required(w.channel));
    UserKey key =
        new UserKey(channel, text(required(w.account), NAME), text(required(w.user), NAME));
    String id = optional(w.id, REFERENCE);
    return switch (type) {
      case "interaction" -> {
        InteractionKind kind =
            w.kind == null ? InteractionKind.MESSAGE : value(InteractionKind.class, w.kind);
        yield new Interaction(
            key,
            at,
            id,
            kind,
            optional(w.interaction, REFERENCE),
            w.breadcrumb != null && w.breadcrumb);
      }
      case "tag" -> {
        if (w.add == null && w.remove == null) {
          throw GIVE_UP;
        }
        yield new Tag(key, at, id, names(w.add), names(w.remove));
      }
      case "otn_optin" ->
          new OtnOptin(
              key, at, id, text(required(w.topic), NAME), text(required(w.token), REFERENCE));
      case "recurring_optin" ->
          new RecurringOptin(
              key,
              at,
              id,
              text(required(w.topic), NAME),
              text(required(w.token), REFERENCE),
              value(Frequency.class, required(w.frequency)),
              w.expiresAt == null ? null : instant(w.expiresAt));
      case "recurring_status" ->
          new RecurringStatus(
              key,
              at,
              id,
              text(required(w.topic), NAME),
              value(SubscriptionChange.class, required(w.status)));
      case "optin_request" -> new OptinRequest(key, at, id, text(required(w.topic), NAME));
      case "optin", "optout" ->
          new Consent(
              key,
              at,
              id,
              type.equals("optin"),
              w.category == null ? null : value(Category.class, w.category));
      case "delivery" -> {
        DeliveryStatus status = value(DeliveryStatus.class, required(w.status));
        String requestId = optional(w.requestId, REQUEST_ID);
        String campaign = optional(w.campaign, NAME);
        PlatformError error = null;
        if (w.error) {
          if (w.code == null) {
            throw GIVE_UP;
          }
          error = new PlatformError(w.code, w.subcode);
        }
        yield new Delivery(key, at, id, status, requestId, campaign, error);
      }
      case "erase" -> new Erase(key, at, id);
      default -> throw GIVE_UP;
    };
  }

  private static String required(String s) throws GiveUp {
    if (s == null) {
      throw GIVE_UP;
    }
    return s;
  }

  private static String text(String s, Bounds.Strings kind) throws GiveUp {
    if (s.isEmpty() || kind.problem(s) != null) {
      throw GIVE_UP;
    }
    return s;
  }

  private static String optional(String s, Bounds.Strings kind) throws GiveUp {
    return s == null ? null : text(s, kind);
  }

  private static List<String> names(List<String> items) throws GiveUp {
    if (items == null) {
      return List.of();
    }
    for (String s : items) {
      text(s, NAME);
    }
    return items;
  }

  private static Instant instant(String s) throws GiveUp {
    Instant t = s.isEmpty() ? null : Wire.parseInstant(s);
    if (t == null || !Bounds.isWithin(t)) {
      throw GIVE_UP;
    }
    return t;
  }

  private static <E extends Enum<E> & WireEnum> E value(Class<E> type, String s) throws GiveUp {
    E e = WireEnum.fromWire(type, s);
    if (e == null) {
      throw GIVE_UP;
    }
    return e;
  }
}
