package dev.herald.job.types;

import dev.herald.schema.Category;
import dev.herald.schema.DeliveryStatus;
import dev.herald.schema.Frequency;
import dev.herald.schema.InteractionKind;
import dev.herald.schema.PlatformError;
import dev.herald.schema.SubscriptionChange;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserEvent.Consent;
import dev.herald.schema.UserEvent.Delivery;
import dev.herald.schema.UserEvent.Erase;
import dev.herald.schema.UserEvent.Interaction;
import dev.herald.schema.UserEvent.OptinRequest;
import dev.herald.schema.UserEvent.OtnOptin;
import dev.herald.schema.UserEvent.RecurringOptin;
import dev.herald.schema.UserEvent.RecurringStatus;
import dev.herald.schema.UserEvent.Tag;
import dev.herald.schema.UserKey;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * User events in binary: a type byte, the key, {@code at}, the id, then the type's fields. Used on
 * the wire between tasks, and for events buffered in state until event time reaches them: there
 * (user record format 2, {@link #writeInRecord}) without the key and with {@code at} relative to
 * the record's base instant; format-1 records carry the whole event.
 */
public final class UserEventSerializer extends ValueSerializer<UserEvent> {

  public static final UserEventSerializer INSTANCE = new UserEventSerializer();

  private static final byte INTERACTION = 0;
  private static final byte TAG = 1;
  private static final byte OTN_OPTIN = 2;
  private static final byte RECURRING_OPTIN = 3;
  private static final byte RECURRING_STATUS = 4;
  private static final byte OPTIN_REQUEST = 5;
  private static final byte CONSENT = 6;
  private static final byte DELIVERY = 7;
  private static final byte ERASE = 8;

  // values() copies its array on every call; these are read once.
  private static final InteractionKind[] INTERACTION_KINDS = InteractionKind.values();
  private static final Frequency[] FREQUENCIES = Frequency.values();
  private static final SubscriptionChange[] SUBSCRIPTION_CHANGES = SubscriptionChange.values();
  private static final Category[] CATEGORIES = Category.values();
  private static final DeliveryStatus[] DELIVERY_STATUSES = DeliveryStatus.values();

  @Override
  public void serialize(UserEvent e, DataOutputView out) throws IOException {
    write(out, e);
  }

  @Override
  public UserEvent deserialize(DataInputView in) throws IOException {
    return read(in);
  }

  static void write(DataOutput out, UserEvent e) throws IOException {
    out.writeByte(typeOf(e));
    Binary.writeKey(out, e.key());
    Binary.writeInstant(out, e.at());
    Binary.writeString(out, e.id());
    writeFields(out, e);
  }

  static UserEvent read(DataInput in) throws IOException {
    byte type = in.readByte();
    UserKey key = Binary.readKey(in);
    Instant at = Binary.readInstant(in);
    String id = Binary.readString(in);
    return readFields(in, type, key, at, id);
  }

  /**
   * An event kept in a user record (format 2 of {@link UserRecordSerializer}): without its key,
   * which the record writes once for all its events, and with {@code at} as a distance from the
   * record's base instant.
   */
  static void writeInRecord(DataOutput out, UserEvent e, long base) throws IOException {
    out.writeByte(typeOf(e));
    Binary.writeInstant(out, e.at(), base);
    Binary.writeString(out, e.id());
    writeFields(out, e);
  }

  /** Reads what {@link #writeInRecord} wrote, for the record's {@code key}. */
  static UserEvent readInRecord(DataInput in, UserKey key, long base) throws IOException {
    byte type = in.readByte();
    Instant at = Binary.readInstant(in, base);
    String id = Binary.readString(in);
    return readFields(in, type, key, at, id);
  }

  private static byte typeOf(UserEvent e) throws IOException {
    if (e instanceof Interaction) {
      return INTERACTION;
    } else if (e instanceof Tag) {
      return TAG;
    } else if (e instanceof OtnOptin) {
      return OTN_OPTIN;
    } else if (e instanceof RecurringOptin) {
      return RECURRING_OPTIN;
    } else if (e instanceof RecurringStatus) {
      return RECURRING_STATUS;
    } else if (e instanceof OptinRequest) {
      return OPTIN_REQUEST;
    } else if (e instanceof Consent) {
      return CONSENT;
    } else if (e instanceof Delivery) {
      return DELIVERY;
    } else if (e instanceof Erase) {
      return ERASE;
    }
    throw new IOException("unknown user event " + e.getClass());
  }

  /** The fields of the event's type, after the head. */
  private static void writeFields(DataOutput out, UserEvent e) throws IOException {
    if (e instanceof Interaction i) {
      Binary.writeEnum(out, i.kind());
      Binary.writeString(out, i.interaction());
      out.writeBoolean(i.breadcrumb());
    } else if (e instanceof Tag t) {
      writeStrings(out, t.add());
      writeStrings(out, t.remove());
    } else if (e instanceof OtnOptin o) {
      Binary.writeString(out, o.topic());
      Binary.writeString(out, o.token());
    } else if (e instanceof RecurringOptin o) {
      Binary.writeString(out, o.topic());
      Binary.writeString(out, o.token());
      Binary.writeEnum(out, o.frequency());
      Binary.writeInstant(out, o.expiresAt());
    } else if (e instanceof RecurringStatus s) {
      Binary.writeString(out, s.topic());
      Binary.writeEnum(out, s.status());
    } else if (e instanceof OptinRequest r) {
      Binary.writeString(out, r.topic());
    } else if (e instanceof Consent c) {
      out.writeBoolean(c.optIn());
      Binary.writeEnum(out, c.category());
    } else if (e instanceof Delivery d) {
      Binary.writeEnum(out, d.status());
      Binary.writeString(out, d.requestId());
      Binary.writeString(out, d.campaign());
      out.writeBoolean(d.error() != null);
      if (d.error() != null) {
        out.writeLong(d.error().code());
        out.writeBoolean(d.error().subcode() != null);
        if (d.error().subcode() != null) {
          out.writeLong(d.error().subcode());
        }
      }
    }
  }

  private static UserEvent readFields(DataInput in, byte type, UserKey key, Instant at, String id)
      throws IOException {
    switch (type) {
      case INTERACTION:
        return new Interaction(
            key,
            at,
            id,
            Binary.readEnum(in, INTERACTION_KINDS),
            Binary.readString(in),
            in.readBoolean());
      case TAG:
        return new Tag(key, at, id, readStrings(in), readStrings(in));
      case OTN_OPTIN:
        return new OtnOptin(key, at, id, Binary.readString(in), Binary.readString(in));
      case RECURRING_OPTIN:
        return new RecurringOptin(
            key,
            at,
            id,
            Binary.readString(in),
            Binary.readString(in),
            Binary.readEnum(in, FREQUENCIES),
            Binary.readInstant(in));
      case RECURRING_STATUS:
        return new RecurringStatus(
            key, at, id, Binary.readString(in), Binary.readEnum(in, SUBSCRIPTION_CHANGES));
      case OPTIN_REQUEST:
        return new OptinRequest(key, at, id, Binary.readString(in));
      case CONSENT:
        return new Consent(key, at, id, in.readBoolean(), Binary.readEnum(in, CATEGORIES));
      case DELIVERY:
        DeliveryStatus status = Binary.readEnum(in, DELIVERY_STATUSES);
        String requestId = Binary.readString(in);
        String campaign = Binary.readString(in);
        PlatformError error = null;
        if (in.readBoolean()) {
          long code = in.readLong();
          Long subcode = in.readBoolean() ? in.readLong() : null;
          error = new PlatformError(code, subcode);
        }
        return new Delivery(key, at, id, status, requestId, campaign, error);
      case ERASE:
        return new Erase(key, at, id);
      default:
        throw new IOException("unknown user event type byte " + type);
    }
  }

  static void writeStrings(DataOutput out, List<String> values) throws IOException {
    Binary.writeCount(out, values.size());
    for (String v : values) {
      Binary.writeString(out, v);
    }
  }

  /** The strings as an immutable list, which the records' constructors keep without copying. */
  static List<String> readStrings(DataInput in) throws IOException {
    int n = Binary.readCount(in);
    switch (n) {
      case 0:
        return List.of();
      case 1:
        return List.of(Binary.readString(in));
      case 2:
        return List.of(Binary.readString(in), Binary.readString(in));
      default:
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
          values[i] = Binary.readString(in);
        }
        return List.of(values);
    }
  }

  @Override
  public TypeSerializerSnapshot<UserEvent> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores this serializer. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<UserEvent> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
