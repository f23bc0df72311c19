package dev.herald.job.dispatch;

import dev.herald.job.types.SendRequestSerializer;
import dev.herald.schema.AccountState;
import dev.herald.schema.Basis;
import dev.herald.schema.Channel;
import dev.herald.schema.ControlRecord.AccountStatus;
import dev.herald.schema.DeliveryOutcome;
import dev.herald.schema.NotificationType;
import dev.herald.schema.SendRequest;
import dev.herald.schema.UserKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The {@link Dispatcher} on Flink's keyed two-input harness, with a processing-time clock the test
 * moves, and a record of the instant of every release (the harness's clock when it came out).
 */
final class DispatchHarness implements AutoCloseable {

  static final String ACCOUNT = "wa-1";
  static final String KEY = "whatsapp/" + ACCOUNT;

  /** A release: the clock when it came out, and the request. */
  record Release(long at, SendRequest request) {}

  final KeyedTwoInputStreamOperatorTestHarness<String, SendRequest, AccountStatus, SendRequest>
      harness;
  private final List<Release> releases = new ArrayList<>();
  private int seen;
  private long now;

  private DispatchHarness(
      DispatchLimits limits, boolean rocksdb, OperatorSubtaskState restore, long start)
      throws Exception {
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new Dispatcher(limits)),
            (KeySelector<SendRequest, String>) Dispatcher::keyOf,
            (KeySelector<AccountStatus, String>) Dispatcher::keyOf,
            BasicTypeInfo.STRING_TYPE_INFO);
    if (rocksdb) {
      EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
      // The harness's default memory makes RocksDB flush on every write.
      backend.getMemoryConfiguration().setFixedMemoryPerSlot("128mb");
      harness.setStateBackend(backend);
    }
    // As in the job (pipeline.generic-types: false): no type may fall back to Kryo.
    ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
        .setGenericTypes(false);
    harness.setup(SendRequestSerializer.INSTANCE);
    if (restore != null) {
      harness.initializeState(restore);
    }
    harness.open();
    now = start;
    harness.setProcessingTime(start);
  }

  static DispatchHarness open(DispatchLimits limits, long start) throws Exception {
    return new DispatchHarness(limits, false, null, start);
  }

  static DispatchHarness openRocksDb(DispatchLimits limits, long start) throws Exception {
    return new DispatchHarness(limits, true, null, start);
  }

  static DispatchHarness restore(DispatchLimits limits, OperatorSubtaskState state, long start)
      throws Exception {
    return new DispatchHarness(limits, true, state, start);
  }

  OperatorSubtaskState snapshot() throws Exception {
    return harness.snapshot(1L, now);
  }

  long now() {
    return now;
  }

  void send(SendRequest request) throws Exception {
    harness.processElement1(new StreamRecord<>(request));
    collect();
  }

  void status(AccountState state, Instant at) throws Exception {
    harness.processElement2(
        new StreamRecord<>(new AccountStatus(at, Channel.WHATSAPP, ACCOUNT, state)));
    collect();
  }

  /** Moves the clock one millisecond at a time up to {@code t}: every timer fires on time. */
  void stepTo(long t) throws Exception {
    while (now < t) {
      now++;
      harness.setProcessingTime(now);
      collect();
    }
  }

  /** Moves the clock to {@code t} at once: timers due before it fire late, at {@code t}. */
  void jumpTo(long t) throws Exception {
    now = t;
    harness.setProcessingTime(t);
    collect();
  }

  private void collect() {
    List<SendRequest> out = harness.extractOutputValues();
    for (int i = seen; i < out.size(); i++) {
      releases.add(new Release(now, out.get(i)));
    }
    seen = out.size();
  }

  List<Release> releases() {
    return releases;
  }

  List<Long> releaseTimes() {
    return releases.stream().map(Release::at).toList();
  }

  /** The instant {@code requestId} was released, or {@code null}. */
  Long releasedAt(String requestId) {
    return releases.stream()
        .filter(r -> r.request().requestId().equals(requestId))
        .map(Release::at)
        .findFirst()
        .orElse(null);
  }

  List<DeliveryOutcome> expired() {
    return harness.getSideOutput(Dispatcher.EXPIRED) == null
        ? List.of()
        : harness.getSideOutput(Dispatcher.EXPIRED).stream().map(StreamRecord::getValue).toList();
  }

  /** The names of the states that hold anything for the account. */
  Set<String> statesHeld() throws Exception {
    AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) harness.getOperator();
    Set<String> held = new TreeSet<>();
    for (String name :
        List.of(
            Dispatcher.STATUS,
            Dispatcher.PACER,
            Dispatcher.QUEUE,
            Dispatcher.WAITING,
            Dispatcher.EXPIRIES,
            Dispatcher.LAST_TO_USER,
            Dispatcher.PAIR_FORGET,
            Dispatcher.CONTACTS,
            Dispatcher.LEDGER,
            Dispatcher.CONTACT_LOG)) {
      try (var keys = op.getKeyedStateBackend().getKeys(name, VoidNamespace.INSTANCE)) {
        if (keys.collect(Collectors.toSet()).contains(KEY)) {
          held.add(name);
        }
      }
    }
    return held;
  }

  int timers() {
    return harness.numProcessingTimeTimers();
  }

  @Override
  public void close() throws Exception {
    harness.close();
  }

  // ------------------------------------------------------------------ fixtures

  /**
   * A request to {@code user} of the account, on {@code basis}, that may go until {@code notAfter}.
   */
  static SendRequest request(String id, String user, Basis basis, long notAfter) {
    return new SendRequest(
        id,
        "camp-1",
        new UserKey(Channel.WHATSAPP, ACCOUNT, user),
        basis,
        null,
        null,
        null,
        "Hello",
        null,
        NotificationType.REGULAR,
        Instant.ofEpochMilli(notAfter - 3_600_000),
        Instant.ofEpochMilli(notAfter),
        null,
        null);
  }

  static SendRequest request(String id, String user, long notAfter) {
    return request(id, user, Basis.STANDARD_WINDOW, notAfter);
  }
}
