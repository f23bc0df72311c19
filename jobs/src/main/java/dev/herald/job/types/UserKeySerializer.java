package dev.herald.job.types;

import dev.herald.schema.UserKey;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** The state key: channel as one byte, then account and user. Compact, since every key repeats. */
public final class UserKeySerializer extends ValueSerializer<UserKey> {

  public static final UserKeySerializer INSTANCE = new UserKeySerializer();

  @Override
  public void serialize(UserKey key, DataOutputView out) throws IOException {
    Binary.writeKey(out, key);
  }

  @Override
  public UserKey deserialize(DataInputView in) throws IOException {
    return Binary.readKey(in);
  }

  @Override
  public TypeSerializerSnapshot<UserKey> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores this serializer. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<UserKey> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
