package dev.herald.job.types;

import dev.herald.schema.DeadLetter;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Dead letters in binary. */
public final class DeadLetterSerializer extends ValueSerializer<DeadLetter> {

  public static final DeadLetterSerializer INSTANCE = new DeadLetterSerializer();

  @Override
  public void serialize(DeadLetter d, DataOutputView out) throws IOException {
    Binary.writeInstant(out, d.at());
    Binary.writeString(out, d.source());
    Binary.writeString(out, d.reason());
    Binary.writeString(out, d.input());
  }

  @Override
  public DeadLetter deserialize(DataInputView in) throws IOException {
    return new DeadLetter(
        Binary.readInstant(in),
        Binary.readString(in),
        Binary.readString(in),
        Binary.readString(in));
  }

  @Override
  public TypeSerializerSnapshot<DeadLetter> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores this serializer. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<DeadLetter> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
