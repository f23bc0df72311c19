package dev.herald.job.types;

import dev.herald.schema.Basis;
import dev.herald.schema.Decision;
import dev.herald.schema.Outcome;
import dev.herald.schema.SkipReason;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Decisions in binary, between the decision operator and the decisions sink. */
public final class DecisionSerializer extends ValueSerializer<Decision> {

  public static final DecisionSerializer INSTANCE = new DecisionSerializer();

  @Override
  public void serialize(Decision d, DataOutputView out) throws IOException {
    Binary.writeString(out, d.campaign());
    Binary.writeKey(out, d.user());
    Binary.writeInstant(out, d.at());
    Binary.writeEnum(out, d.outcome());
    Binary.writeEnum(out, d.basis());
    Binary.writeString(out, d.token());
    Binary.writeString(out, d.variant());
    Binary.writeString(out, d.resumeAt());
    Binary.writeEnum(out, d.reason());
    out.writeBoolean(d.dryRun());
  }

  @Override
  public Decision deserialize(DataInputView in) throws IOException {
    return new Decision(
        Binary.readString(in),
        Binary.readKey(in),
        Binary.readInstant(in),
        Binary.readEnum(in, Outcome.values()),
        Binary.readEnum(in, Basis.values()),
        Binary.readString(in),
        Binary.readString(in),
        Binary.readString(in),
        Binary.readEnum(in, SkipReason.values()),
        in.readBoolean());
  }

  @Override
  public TypeSerializerSnapshot<Decision> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores this serializer. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Decision> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
