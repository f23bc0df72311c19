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
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * User events in binary: a type byte, the key, {@code at}, the id, then the type's fields. Used on
 * the wire between tasks and for events buffered in state until event time reaches them.
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

  @Override
  public void serialize(UserEvent e, DataOutputView out) throws IOException {
    write(out, e);
  }

  @Override
  public UserEvent deserialize(DataInputView in) throws IOException {
    return read(in);
  }

  static void write(DataOutput out, UserEvent e) throws IOException {
    if (e instanceof Interaction i) {
      head(out, INTERACTION, e);
      Binary.writeEnum(out, i.kind());
      Binary.writeString(out, i.interaction());
      out.writeBoolean(i.breadcrumb());
    } else if (e instanceof Tag t) {
      head(out, TAG, e);
      writeStrings(out, t.add());
      writeStrings(out, t.remove());
    } else if (e instanceof OtnOptin o) {
      head(out, OTN_OPTIN, e);
      Binary.writeString(out, o.topic());
      Binary.writeString(out, o.token());
    } else if (e instanceof RecurringOptin o) {
      head(out, RECURRING_OPTIN, e);
      Binary.writeString(out, o.topic());
      Binary.writeString(out, o.token());
      Binary.writeEnum(out, o.frequency());
      Binary.writeInstant(out, o.expiresAt());
    } else if (e instanceof RecurringStatus s) {
      head(out, RECURRING_STATUS, e);
      Binary.writeString(out, s.topic());
      Binary.writeEnum(out, s.status());
    } else if (e instanceof OptinRequest r) {
      head(out, OPTIN_REQUEST, e);
      Binary.writeString(out, r.topic());
    } else if (e instanceof Consent c) {
      head(out, CONSENT, e);
      out.writeBoolean(c.optIn());
      Binary.writeEnum(out, c.category());
    } else if (e instanceof Delivery d) {
      head(out, DELIVERY, e);
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
    } else if (e instanceof Erase) {
      head(out, ERASE, e);
    } else {
      throw new IOException("unknown user event " + e.getClass());
    }
  }

  static UserEvent read(DataInput in) throws IOException {
    byte type = in.readByte();
    UserKey key = Binary.readKey(in);
    Instant at = Binary.readInstant(in);
    String id = Binary.readString(in);
    switch (type) {
      case INTERACTION:
        return new Interaction(
            key,
            at,
            id,
            Binary.readEnum(in, InteractionKind.values()),
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
            Binary.readEnum(in, Frequency.values()),
            Binary.readInstant(in));
      case RECURRING_STATUS:
        return new RecurringStatus(
            key, at, id, Binary.readString(in), Binary.readEnum(in, SubscriptionChange.values()));
      case OPTIN_REQUEST:
        return new OptinRequest(key, at, id, Binary.readString(in));
      case CONSENT:
        return new Consent(key, at, id, in.readBoolean(), Binary.readEnum(in, Category.values()));
      case DELIVERY:
        DeliveryStatus status = Binary.readEnum(in, DeliveryStatus.values());
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

  private static void head(DataOutput out, byte type, UserEvent e) throws IOException {
    out.writeByte(type);
    Binary.writeKey(out, e.key());
    Binary.writeInstant(out, e.at());
    Binary.writeString(out, e.id());
  }

  static void writeStrings(DataOutput out, List<String> values) throws IOException {
    Binary.writeCount(out, values.size());
    for (String v : values) {
      Binary.writeString(out, v);
    }
  }

  static List<String> readStrings(DataInput in) throws IOException {
    int n = Binary.readCount(in);
    List<String> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      values.add(Binary.readString(in));
    }
    return values;
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
