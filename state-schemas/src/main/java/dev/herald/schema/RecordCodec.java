package dev.herald.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the records of the wire contract as JSON: the one entry point.
 *
 * <p>Reading is total. Raw bytes or text become either a record every later step can use, or a
 * {@link Parsed.Rejected} with a reason a human can act on ({@code campaign restock-42:
 * outsideWindow OTN needs a topic}) and the kind of problem; it never throws. The work is split by
 * job: {@link UserEventStreamReader} reads a plain, valid user event in one pass and leaves every
 * other record to the full reader; there {@link JsonInput} reads strict JSON, {@link Fields} reads
 * typed fields within {@link Bounds}, {@link UserEventReader} and {@link ControlRecordReader} build
 * the records with the checks of the contract and the channel rules ({@link
 * dev.herald.channel.MessagingChannel}), {@link RecordWriter} writes. What the job wrote and kept
 * itself is read back by {@link StoredRecordReader}, structure only ({@link #readStoredControl}).
 *
 * <p>Checks the JSON Schemas in {@code schemas/} express too: structure, types, required fields,
 * enums, sizes, the channel/fallback combinations. Checks only the codec makes: an end after the
 * start, a reminder delay under 24 hours, the range of an instant once its offset is applied, the
 * longest audience duration, lone surrogates, well-formed UTF-8, the size and nesting of the whole
 * record, a field given twice. Unknown fields are ignored; an optional field given as {@code null}
 * is absent.
 */
public final class RecordCodec {

  /** Finds the {@code at} of a record that is not JSON, for its dead letter. */
  private static final Pattern AT = Pattern.compile("\"at\"\\s*:\\s*\"([^\"\\\\]{1,64})\"");

  private static final int AT_SCAN_BYTES = 4096;

  private RecordCodec() {}

  /** Which records an input accepts. */
  private enum Accepts {
    USER_EVENTS,
    CAMPAIGNS,
    ANY
  }

  // ------------------------------------------------------------------ reading

  /** Parses any input record: a user event or a campaign record. */
  public static Parsed<InputRecord> parse(String json) {
    return read(json, null, Accepts.ANY);
  }

  /** Parses any input record from its raw bytes (UTF-8). */
  public static Parsed<InputRecord> parse(byte[] utf8) {
    return read(null, utf8, Accepts.ANY);
  }

  /** Parses a record from the {@code user-events} topic: only user events are accepted. */
  public static Parsed<UserEvent> parseUserEvent(String json) {
    return read(json, null, Accepts.USER_EVENTS);
  }

  /** Parses a record of the {@code user-events} topic from its raw bytes. */
  public static Parsed<UserEvent> parseUserEvent(byte[] utf8) {
    return read(null, utf8, Accepts.USER_EVENTS);
  }

  /** Parses a record from the {@code campaigns} topic: campaign, reminder, cancel or account. */
  public static Parsed<ControlRecord> parseControl(String json) {
    return read(json, null, Accepts.CAMPAIGNS);
  }

  /** Parses a record of the {@code campaigns} topic from its raw bytes. */
  public static Parsed<ControlRecord> parseControl(byte[] utf8) {
    return read(null, utf8, Accepts.CAMPAIGNS);
  }

  /**
   * The event time of a raw record, its {@code at} in epoch milliseconds, without reading the rest
   * of it; {@link Long#MIN_VALUE} if it has no valid {@code at}. Never throws. For watermarks at a
   * source, before the record is parsed; whether the record is valid is still decided by {@link
   * #parse}.
   */
  public static long eventTime(byte[] utf8) {
    Instant at = JsonInput.peekAt(utf8);
    return at == null ? Long.MIN_VALUE : at.toEpochMilli();
  }

  /**
   * Reads back a campaign record the job itself wrote with {@link #write(InputRecord)} and kept (in
   * the state of a snapshot, or on its way between tasks), by this version or an earlier one.
   *
   * <p>Structure only ({@link StoredRecordReader}): a record that was valid when it entered stays
   * readable whatever rule was tightened since; the bounds and rules of the contract are not
   * checked again. Never for input, which {@link #parseControl} reads. Total like the parsers: a
   * record that cannot be built (not JSON, a required field missing, an unknown enum value) comes
   * back {@link Parsed.Rejected} with the reason.
   */
  public static Parsed<ControlRecord> readStoredControl(String json) {
    try {
      return Parsed.ok(StoredRecordReader.read(json));
    } catch (Invalid e) {
      return Parsed.rejected(Text.reason(e.getMessage()), e.problem, null);
    }
  }

  /** Reads {@code text} or, if it is {@code null}, {@code bytes}. */
  @SuppressWarnings("unchecked")
  private static <T extends InputRecord> Parsed<T> read(
      String text, byte[] bytes, Accepts accepts) {
    if (accepts != Accepts.CAMPAIGNS) {
      // A plain user event in one pass; anything else (null) is the full reader's.
      UserEvent e =
          text != null || bytes == null
              ? UserEventStreamReader.read(text)
              : UserEventStreamReader.read(bytes);
      if (e != null) {
        return Parsed.ok((T) e);
      }
    }
    return readTree(text, bytes, accepts);
  }

  /** The full reader: the record as a tree, then its fields, every reason in Herald's words. */
  @SuppressWarnings("unchecked")
  private static <T extends InputRecord> Parsed<T> readTree(
      String text, byte[] bytes, Accepts accepts) {
    ObjectNode node = null;
    try {
      node = text != null || bytes == null ? JsonInput.read(text) : JsonInput.read(bytes);
      String type = typeOf(node);
      boolean userEvent = UserEvent.TYPES.contains(type);
      boolean control = ControlRecord.TYPES.contains(type);
      boolean wanted =
          switch (accepts) {
            case USER_EVENTS -> userEvent;
            case CAMPAIGNS -> control;
            case ANY -> userEvent || control;
          };
      if (!wanted) {
        throw notAccepted(type, accepts, userEvent || control);
      }
      InputRecord record =
          userEvent ? UserEventReader.read(node, type) : ControlRecordReader.read(node, type);
      return Parsed.ok((T) record);
    } catch (Invalid e) {
      Instant at = node != null ? Fields.atOf(node) : scanAt(text, bytes);
      return Parsed.rejected(Text.reason(e.getMessage()), e.problem, at);
    }
  }

  /** A user event read by the full reader alone; for the test that compares both readers. */
  static Parsed<UserEvent> parseUserEventWithTree(String json) {
    return readTree(json, null, Accepts.USER_EVENTS);
  }

  /** A user event read from bytes by the full reader alone; for the same test. */
  static Parsed<UserEvent> parseUserEventWithTree(byte[] utf8) {
    return readTree(null, utf8, Accepts.USER_EVENTS);
  }

  private static String typeOf(ObjectNode node) {
    return new Fields(node, null).requiredString("type", Bounds.Strings.NAME);
  }

  private static Invalid notAccepted(String type, Accepts accepts, boolean known) {
    if (known) {
      return new Invalid(
          Problem.WRONG_INPUT,
          accepts == Accepts.USER_EVENTS
              ? "a " + type + " record is not a user event"
              : "a user event (" + type + ") is not a campaign record");
    }
    List<String> types =
        switch (accepts) {
          case USER_EVENTS -> UserEvent.TYPES;
          case CAMPAIGNS -> ControlRecord.TYPES;
          case ANY -> concat(UserEvent.TYPES, ControlRecord.TYPES);
        };
    String what =
        switch (accepts) {
          case USER_EVENTS -> "unknown user event type";
          case CAMPAIGNS -> "unknown campaign record type";
          case ANY -> "unknown type";
        };
    return new Invalid(
        Problem.UNKNOWN_TYPE,
        what + " " + Text.quote(type) + " (expected one of " + String.join(", ", types) + ")");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * The {@code at} written at the start of a record that is not JSON (cut, say), if one can be read
   * there; else {@code null}.
   */
  private static Instant scanAt(String text, byte[] bytes) {
    String head;
    if (text != null) {
      head = text.length() > AT_SCAN_BYTES ? text.substring(0, AT_SCAN_BYTES) : text;
    } else if (bytes != null) {
      head = new String(bytes, 0, Math.min(bytes.length, AT_SCAN_BYTES), StandardCharsets.UTF_8);
    } else {
      return null;
    }
    Matcher m = AT.matcher(head);
    if (!m.find()) {
      return null;
    }
    Instant t = Wire.parseInstant(m.group(1));
    return t != null && Bounds.isWithin(t) ? t : null;
  }

  // ------------------------------------------------------------------ writing

  /** A decision as one line of JSON, fields in the order of the wire contract. */
  public static String write(Decision d) {
    return RecordWriter.write(d);
  }

  /** A send request as one line of JSON. */
  public static String write(SendRequest r) {
    return RecordWriter.write(r);
  }

  /** A dead letter as one line of JSON. */
  public static String write(DeadLetter d) {
    return RecordWriter.write(d);
  }

  /**
   * A delivery outcome as one line of JSON, in {@code user-events} form: {@link #parseUserEvent}
   * reads it as a {@code delivery} event ({@code messageId} and {@code reason} are extra fields it
   * ignores).
   */
  public static String write(DeliveryOutcome o) {
    return RecordWriter.write(o);
  }

  /** An input record as one line of JSON, every default written out; {@link #parse} reads it. */
  public static String write(InputRecord record) {
    return RecordWriter.write(record);
  }
}
