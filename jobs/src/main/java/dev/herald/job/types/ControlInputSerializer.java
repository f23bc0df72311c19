package dev.herald.job.types;

import dev.herald.job.ControlInput;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Campaign records as their canonical text (read back on arrival: they are few, and the codec
 * already reads every field of them), their origin, and the text as it was written when that
 * differs, for the dead letter should the decision operator reject the record.
 *
 * <p>The text is read back by its structure only ({@link RecordCodec#readStoredControl}), not
 * checked again: the record was checked when it was read, and records in flight in an unaligned
 * checkpoint are read after a restore by whatever version of the job restores it, whose rules may
 * be stricter.
 */
public final class ControlInputSerializer extends ValueSerializer<ControlInput> {

  public static final ControlInputSerializer INSTANCE = new ControlInputSerializer();

  @Override
  public void serialize(ControlInput c, DataOutputView out) throws IOException {
    String canonical = RecordCodec.write(c.record());
    Binary.writeString(out, canonical);
    Binary.writeString(out, c.origin());
    boolean asWritten = c.raw() != null && !c.raw().equals(canonical);
    out.writeBoolean(asWritten);
    if (asWritten) {
      Binary.writeString(out, c.raw());
    }
  }

  @Override
  public ControlInput deserialize(DataInputView in) throws IOException {
    String json = Binary.readString(in);
    Parsed<ControlRecord> parsed = RecordCodec.readStoredControl(json);
    if (!parsed.isOk()) {
      throw new IOException(
          "a campaign record written by this job cannot be read: " + parsed.reason());
    }
    String origin = Binary.readString(in);
    String raw = in.readBoolean() ? Binary.readString(in) : json;
    return new ControlInput(parsed.value(), origin, raw);
  }

  @Override
  public TypeSerializerSnapshot<ControlInput> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores this serializer. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<ControlInput> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
