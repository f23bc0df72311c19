package dev.herald.job;

import dev.herald.job.types.DecisionSerializer;
import dev.herald.job.types.Types;
import dev.herald.schema.Decision;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/** The decision operator on Flink's two-input harness with RocksDB state, as the job runs it. */
final class DecisionHarness {

  /** The maximum parallelism of the harness: the number of key groups. */
  static final int MAX_PARALLELISM = 128;

  private DecisionHarness() {}

  /**
   * An open harness of {@code operator} as subtask {@code subtask} of {@code parallelism}, restored
   * from {@code restore} unless it is {@code null}.
   */
  static KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision> open(
      UserDecisionOperator operator, OperatorSubtaskState restore, int parallelism, int subtask)
      throws Exception {
    var harness =
        new KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision>(
            operator, UserEvent::key, null, Types.USER_KEY, MAX_PARALLELISM, parallelism, subtask);
    EmbeddedRocksDBStateBackend rocksdb = new EmbeddedRocksDBStateBackend();
    // The harness's default memory makes RocksDB flush on every write.
    rocksdb.getMemoryConfiguration().setFixedMemoryPerSlot("256mb");
    harness.setStateBackend(rocksdb);
    // As in the job (pipeline.generic-types: false): no type may fall back to Kryo.
    ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
        .setGenericTypes(false);
    harness.setup(DecisionSerializer.INSTANCE);
    if (restore != null) {
      harness.initializeState(restore);
    }
    harness.open();
    return harness;
  }
}
