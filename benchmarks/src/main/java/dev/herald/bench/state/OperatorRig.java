package dev.herald.bench.state;

import dev.herald.bench.Population;
import dev.herald.job.ControlInput;
import dev.herald.job.UserDecisionOperator;
import dev.herald.job.types.DecisionSerializer;
import dev.herald.job.types.Types;
import dev.herald.policy.PolicyConfig;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.Decision;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * The job's decision operator on one subtask with real RocksDB in a directory of its own, driven as
 * its operator tests drive it (Flink's keyed two-input harness): user events in, watermarks, a
 * campaign, decisions out. For the figures that measure the operator alone (state size) and for the
 * profile's phases; the job figures run the whole job.
 *
 * <p>RocksDB is configured as the job's default (no tuning), with 512 MB of managed memory for the
 * slot as in {@code QuickBench}.
 */
public final class OperatorRig implements AutoCloseable {

  private final Path dir;
  private final KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision>
      harness;

  /** Opens the operator with an empty RocksDB under {@code dir} (created if needed). */
  public OperatorRig(Path dir) throws Exception {
    this.dir = Files.createDirectories(dir);
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new UserDecisionOperator(PolicyConfig.DEFAULT),
            UserEvent::key,
            null,
            Types.USER_KEY,
            128,
            1,
            0);
    EmbeddedRocksDBStateBackend rocksdb = new EmbeddedRocksDBStateBackend();
    rocksdb.getMemoryConfiguration().setFixedMemoryPerSlot("512mb");
    rocksdb.setDbStoragePath(dir.toAbsolutePath().toString());
    harness.setStateBackend(rocksdb);
    harness.setup(DecisionSerializer.INSTANCE);
    harness.open();
  }

  /** The user events of {@code population}, parsed by the job's codec, in the order written. */
  public static List<UserEvent> events(Population population) {
    List<UserEvent> events = new ArrayList<>((int) population.events());
    population.forEach(json -> events.add(parse(json)));
    return events;
  }

  private static UserEvent parse(String json) {
    Parsed<UserEvent> p = RecordCodec.parseUserEvent(json);
    if (!p.isOk()) {
      throw new IllegalStateException("a population event is invalid: " + p.reason());
    }
    return p.value();
  }

  /** Hands one user event to the operator (input 1), as the job's keyed stream does. */
  public void event(UserEvent e) throws Exception {
    harness.processElement1(new StreamRecord<>(e, e.at().toEpochMilli()));
  }

  /** Hands a campaign record to the operator (input 2). */
  public void campaign(String json) throws Exception {
    ControlRecord c = RecordCodec.parseControl(json).value();
    if (c == null) {
      throw new IllegalArgumentException("not a valid campaign record: " + json);
    }
    harness.processElement2(
        new StreamRecord<>(new ControlInput(c, "bench"), c.at().toEpochMilli()));
  }

  /** Moves event time on both inputs to {@code t}: due events apply, starts sweep, timers fire. */
  public void advanceTo(Instant t) throws Exception {
    harness.processBothWatermarks(new Watermark(t.toEpochMilli()));
  }

  /** Moves event time to the end: every armed decision is made. */
  public void advanceToEnd() throws Exception {
    harness.processBothWatermarks(Watermark.MAX_WATERMARK);
  }

  /** How many decisions were emitted since the last call; they are dropped. */
  public long drainDecisions() {
    long n = harness.getOutput().stream().filter(o -> o instanceof StreamRecord).count();
    harness.getOutput().clear();
    return n;
  }

  /**
   * Flushes every column family of the operator's RocksDB and compacts it fully, so that what is on
   * disk is the live state alone (no overwritten values, no tombstones, no memtables).
   */
  public void compact() throws Exception {
    RocksDB db = db();
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      for (ColumnFamilyHandle cf : columnFamilies()) {
        db.flush(flush, cf);
        db.compactRange(cf);
      }
    }
  }

  /** The bytes of the SST files under the operator's RocksDB directory. */
  public long sstBytes() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".sst"))
          .mapToLong(OperatorRig::size)
          .sum();
    }
  }

  /** RocksDB's own count of the SST bytes of every column family, to check {@link #sstBytes}. */
  public long sstBytesByProperty() throws Exception {
    RocksDB db = db();
    long total = 0;
    for (ColumnFamilyHandle cf : columnFamilies()) {
      total += Long.parseLong(db.getProperty(cf, "rocksdb.total-sst-files-size"));
    }
    return total;
  }

  /**
   * Every stored per-user record as RocksDB holds it: the key (Flink's key-group prefix, the
   * serialized {@code UserKey}, the namespace) and the serialized {@code UserRecord}.
   */
  public void forEachUserRecord(BiConsumer<byte[], byte[]> visit) throws Exception {
    try (RocksIterator it = db().newIterator(userRecordFamily())) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        visit.accept(it.key(), it.value());
      }
      it.status();
    }
  }

  /** The RocksDB key-group prefix Flink puts before every key (1 byte for 128 key groups). */
  public int keyGroupPrefixBytes() {
    return rocksBackend().getKeyGroupPrefixBytes();
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0; // deleted by a compaction while walking
    }
  }

  private RocksDBKeyedStateBackend<?> rocksBackend() {
    KeyedStateBackend<?> backend = harness.getOperator().getKeyedStateBackend();
    if (backend instanceof RocksDBKeyedStateBackend<?> r) {
      return r;
    }
    throw new IllegalStateException("not RocksDB: " + backend.getClass().getName());
  }

  // The backend keeps its RocksDB instance and column families to itself; the benchmark reads them
  // (only to flush, compact and ask for sizes) the way Flink's own tests do.
  private RocksDB db() throws ReflectiveOperationException {
    return (RocksDB) field("db").get(rocksBackend());
  }

  private List<ColumnFamilyHandle> columnFamilies() throws ReflectiveOperationException {
    List<ColumnFamilyHandle> all = new ArrayList<>();
    all.add((ColumnFamilyHandle) field("defaultColumnFamily").get(rocksBackend()));
    for (RocksDBKeyedStateBackend.RocksDbKvStateInfo info : kvStates().values()) {
      all.add(info.columnFamilyHandle);
    }
    return all;
  }

  private ColumnFamilyHandle userRecordFamily() throws ReflectiveOperationException {
    var info = kvStates().get("user-record");
    if (info == null) {
      throw new IllegalStateException("no user-record state in " + kvStates().keySet());
    }
    return info.columnFamilyHandle;
  }

  @SuppressWarnings("unchecked")
  private Map<String, RocksDBKeyedStateBackend.RocksDbKvStateInfo> kvStates()
      throws ReflectiveOperationException {
    return (Map<String, RocksDBKeyedStateBackend.RocksDbKvStateInfo>)
        field("kvStateInformation").get(rocksBackend());
  }

  private static Field field(String name) throws NoSuchFieldException {
    Field f = RocksDBKeyedStateBackend.class.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }

  @Override
  public void close() throws Exception {
    try {
      harness.close();
    } finally {
      deleteTree(dir);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
