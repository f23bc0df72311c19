package dev.herald.job.types;

import dev.herald.schema.AccountState;
import dev.herald.schema.Channel;
import dev.herald.schema.ControlRecord.AccountStatus;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Account status changes (pause, resume) in binary: what the dispatcher receives and keeps as an
 * account's latest status.
 */
public final class AccountStatusSerializer extends ValueSerializer<AccountStatus> {

  public static final AccountStatusSerializer INSTANCE = new AccountStatusSerializer();

  @Override
  public void serialize(AccountStatus s, DataOutputView out) throws IOException {
    Binary.writeInstant(out, s.at());
    Binary.writeEnum(out, s.channel());
    Binary.writeString(out, s.account());
    Binary.writeEnum(out, s.status());
  }

  @Override
  public AccountStatus deserialize(DataInputView in) throws IOException {
    return new AccountStatus(
        Binary.readInstant(in),
        Binary.readEnum(in, Channel.values()),
        Binary.readString(in),
        Binary.readEnum(in, AccountState.values()));
  }

  @Override
  public TypeSerializerSnapshot<AccountStatus> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores this serializer. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<AccountStatus> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
