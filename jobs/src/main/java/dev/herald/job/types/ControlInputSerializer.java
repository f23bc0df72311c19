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
 * Campaign records as the text they were read from (re-parsed on arrival): they are few, and the
 * codec already reads every field of them.
 */
public final class ControlInputSerializer extends ValueSerializer<ControlInput> {

  public static final ControlInputSerializer INSTANCE = new ControlInputSerializer();

  @Override
  public void serialize(ControlInput c, DataOutputView out) throws IOException {
    Binary.writeString(out, RecordCodec.write(c.record()));
    Binary.writeString(out, c.origin());
  }

  @Override
  public ControlInput deserialize(DataInputView in) throws IOException {
    String json = Binary.readString(in);
    Parsed<ControlRecord> parsed = RecordCodec.parseControl(json);
    if (!parsed.isOk()) {
      throw new IOException(
          "a campaign record written by this job no longer parses: " + parsed.reason());
    }
    return new ControlInput(parsed.value(), Binary.readString(in));
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
