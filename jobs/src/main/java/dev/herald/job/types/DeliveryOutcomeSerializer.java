package dev.herald.job.types;

import dev.herald.schema.DeliveryOutcome;
import dev.herald.schema.DeliveryStatus;
import dev.herald.schema.PlatformError;
import dev.herald.schema.UserKey;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Delivery outcomes (sent, failed, expired) in binary. */
public final class DeliveryOutcomeSerializer extends ValueSerializer<DeliveryOutcome> {

  public static final DeliveryOutcomeSerializer INSTANCE = new DeliveryOutcomeSerializer();

  @Override
  public void serialize(DeliveryOutcome o, DataOutputView out) throws IOException {
    Binary.writeKey(out, o.user());
    Binary.writeInstant(out, o.at());
    Binary.writeEnum(out, o.status());
    Binary.writeString(out, o.requestId());
    Binary.writeString(out, o.campaign());
    Binary.writeString(out, o.messageId());
    PlatformError error = o.error();
    out.writeBoolean(error != null);
    if (error != null) {
      out.writeLong(error.code());
      out.writeBoolean(error.subcode() != null);
      if (error.subcode() != null) {
        out.writeLong(error.subcode());
      }
    }
    Binary.writeString(out, o.reason());
  }

  @Override
  public DeliveryOutcome deserialize(DataInputView in) throws IOException {
    UserKey user = Binary.readKey(in);
    Instant at = Binary.readInstant(in);
    DeliveryStatus status = Binary.readEnum(in, DeliveryStatus.values());
    String requestId = Binary.readString(in);
    String campaign = Binary.readString(in);
    String messageId = Binary.readString(in);
    PlatformError error = null;
    if (in.readBoolean()) {
      long code = in.readLong();
      error = new PlatformError(code, in.readBoolean() ? in.readLong() : null);
    }
    return new DeliveryOutcome(
        user, at, status, requestId, campaign, messageId, error, Binary.readString(in));
  }

  @Override
  public TypeSerializerSnapshot<DeliveryOutcome> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores this serializer. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<DeliveryOutcome> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
