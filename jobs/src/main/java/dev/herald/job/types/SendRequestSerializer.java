package dev.herald.job.types;

import dev.herald.schema.Basis;
import dev.herald.schema.Category;
import dev.herald.schema.Frequency;
import dev.herald.schema.MessageTag;
import dev.herald.schema.NotificationType;
import dev.herald.schema.SendRequest;
import dev.herald.schema.Template;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Send requests in binary. */
public final class SendRequestSerializer extends ValueSerializer<SendRequest> {

  public static final SendRequestSerializer INSTANCE = new SendRequestSerializer();

  @Override
  public void serialize(SendRequest r, DataOutputView out) throws IOException {
    Binary.writeString(out, r.requestId());
    Binary.writeString(out, r.campaign());
    Binary.writeKey(out, r.user());
    Binary.writeEnum(out, r.basis());
    Binary.writeEnum(out, r.tag());
    Binary.writeString(out, r.token());
    out.writeBoolean(r.template() != null);
    if (r.template() != null) {
      Binary.writeString(out, r.template().name());
      Binary.writeString(out, r.template().language());
      Binary.writeEnum(out, r.template().category());
    }
    Binary.writeString(out, r.text());
    Binary.writeString(out, r.resumeAt());
    Binary.writeEnum(out, r.notificationType());
    Binary.writeInstant(out, r.decidedAt());
    Binary.writeInstant(out, r.notAfter());
    Binary.writeString(out, r.topic());
    Binary.writeEnum(out, r.frequency());
  }

  @Override
  public SendRequest deserialize(DataInputView in) throws IOException {
    String requestId = Binary.readString(in);
    String campaign = Binary.readString(in);
    var user = Binary.readKey(in);
    Basis basis = Binary.readEnum(in, Basis.values());
    MessageTag tag = Binary.readEnum(in, MessageTag.values());
    String token = Binary.readString(in);
    Template template = null;
    if (in.readBoolean()) {
      template =
          new Template(
              Binary.readString(in), Binary.readString(in), Binary.readEnum(in, Category.values()));
    }
    return new SendRequest(
        requestId,
        campaign,
        user,
        basis,
        tag,
        token,
        template,
        Binary.readString(in),
        Binary.readString(in),
        Binary.readEnum(in, NotificationType.values()),
        Binary.readInstant(in),
        Binary.readInstant(in),
        Binary.readString(in),
        Binary.readEnum(in, Frequency.values()));
  }

  @Override
  public TypeSerializerSnapshot<SendRequest> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores this serializer. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<SendRequest> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
