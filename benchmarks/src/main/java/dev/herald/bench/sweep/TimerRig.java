package dev.herald.bench.sweep;

import dev.herald.bench.Population;
import dev.herald.job.types.Types;
import dev.herald.schema.Channel;
import dev.herald.schema.UserKey;
import java.time.Instant;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The limit of the decisions figure: timer firing alone. The same keys as the users a campaign
 * decides, each with one value of a user record's size in RocksDB and one event-time timer at the
 * campaign's start; firing a timer reads the value and does nothing else. Same backend, same
 * memory, same timer service (RocksDB's) as the decision operator.
 */
public final class TimerRig implements AutoCloseable {

  private final KeyedOneInputStreamOperatorTestHarness<UserKey, UserKey, Void> harness;
  private final ReadOnTimer operator;
  private final UserKey[] keys;

  private TimerRig(UserKey[] keys, int valueBytes, MemorySize rocksdbMemory) throws Exception {
    this.keys = keys;
    operator = new ReadOnTimer(valueBytes);
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(operator, k -> k, Types.USER_KEY, 128, 1, 0);
    EmbeddedRocksDBStateBackend rocksdb = new EmbeddedRocksDBStateBackend();
    rocksdb.getMemoryConfiguration().setFixedMemoryPerSlot(rocksdbMemory);
    harness.setStateBackend(rocksdb);
    harness.setup();
    harness.open();
  }

  /**
   * The keys of the users the benchmark campaign takes (every second user of {@code population}),
   * each holding {@code valueBytes} bytes.
   */
  public static TimerRig forAudience(
      Population population, int valueBytes, MemorySize rocksdbMemory) throws Exception {
    UserKey[] keys = new UserKey[population.matching()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new UserKey(Channel.MESSENGER, Population.ACCOUNT, Population.user(2 * i));
    }
    return new TimerRig(keys, valueBytes, rocksdbMemory);
  }

  public int keys() {
    return keys.length;
  }

  /** Every key gets a timer at {@code t} (and its value, the first time). */
  public void arm(Instant t) throws Exception {
    long at = t.toEpochMilli();
    for (UserKey key : keys) {
      harness.processElement(key, at);
    }
  }

  /** The watermark {@code t}: fires the timers due; returns how many fired. */
  public long fire(Instant t) throws Exception {
    long before = operator.fired;
    harness.processWatermark(new Watermark(t.toEpochMilli()));
    harness.getOutput().clear();
    return operator.fired - before;
  }

  @Override
  public void close() throws Exception {
    harness.close();
  }

  /** Stores a value per key, arms a timer per record, reads the value when the timer fires. */
  private static final class ReadOnTimer extends AbstractStreamOperator<Void>
      implements OneInputStreamOperator<UserKey, Void>, Triggerable<UserKey, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    private final int valueBytes;
    private transient ValueState<byte[]> values;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient long fired;

    ReadOnTimer(int valueBytes) {
      this.valueBytes = valueBytes;
    }

    @Override
    public void open() throws Exception {
      super.open();
      values =
          getPartitionedState(
              new ValueStateDescriptor<>("value", BytePrimitiveArraySerializer.INSTANCE));
      timers = getInternalTimerService("timers", VoidNamespaceSerializer.INSTANCE, this);
    }

    @Override
    public void processElement(StreamRecord<UserKey> element) throws Exception {
      if (values.value() == null) {
        byte[] v = new byte[valueBytes];
        v[0] = (byte) element.getValue().hashCode();
        values.update(v);
      }
      timers.registerEventTimeTimer(VoidNamespace.INSTANCE, element.getTimestamp());
    }

    @Override
    public void onEventTime(InternalTimer<UserKey, VoidNamespace> timer) throws Exception {
      if (values.value() == null) {
        throw new IllegalStateException("no value for " + timer.getKey());
      }
      fired++;
    }

    @Override
    public void onProcessingTime(InternalTimer<UserKey, VoidNamespace> timer) {}
  }
}
