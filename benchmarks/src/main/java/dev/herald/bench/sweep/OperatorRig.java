package dev.herald.bench.sweep;

import dev.herald.bench.Population;
import dev.herald.job.ControlInput;
import dev.herald.job.Metrics;
import dev.herald.job.UserDecisionOperator;
import dev.herald.job.types.DecisionSerializer;
import dev.herald.job.types.Types;
import dev.herald.policy.PolicyConfig;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.Decision;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.operators.testutils.MockInputSplitProvider;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.graph.StreamConfig;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;

/**
 * The decision operator on one subtask with real RocksDB, driven as its task would drive it: user
 * events on input 1, campaign records on input 2, watermarks on both, and the task's mailbox run
 * between them. What it emits is counted, not kept; its counters are read as a reporter reads them.
 *
 * <p>The operator's public behaviour is all a benchmark relies on: decisions on the main output,
 * the counter {@link Metrics#SWEPT_USERS}, and that every piece of work it defers goes through the
 * task's mailbox. So the rig measures the operator that walks its keys inside one watermark step as
 * well as one that walks them in chunks between mails.
 */
public final class OperatorRig implements AutoCloseable {

  /** Flink's default, and the job's: keys hash into this many key groups. */
  private static final int MAX_PARALLELISM = 128;

  /** The operator's per-user state, the one its sweep walks (named in UserDecisionOperator). */
  static final String USER_STATE = "user-record";

  private final MockEnvironment environment;
  private final CapturedMetrics metrics;
  private final CountingOutput<Decision> output = new CountingOutput<>();
  private final UserDecisionOperator operator;
  private final AbstractStreamOperatorTestHarness<Decision> harness;

  private OperatorRig(MemorySize rocksdbMemory, Path checkpoints, OperatorSubtaskState restored)
      throws Exception {
    metrics = new CapturedMetrics();
    environment =
        new MockEnvironmentBuilder()
            .setTaskName("user decisions")
            .setManagedMemorySize(3 << 20)
            .setInputSplitProvider(new MockInputSplitProvider())
            .setBufferSize(1024)
            .setMaxParallelism(MAX_PARALLELISM)
            .setParallelism(1)
            .setSubtaskIndex(0)
            .setMetricGroup(metrics)
            .build();
    operator = new UserDecisionOperator(PolicyConfig.DEFAULT);
    harness = new AbstractStreamOperatorTestHarness<>(operator, environment);
    // What KeyedTwoInputStreamOperatorTestHarness does; it takes no environment of ours.
    StreamConfig config = harness.getStreamConfig();
    KeySelector<UserEvent, UserKey> byUser = UserEvent::key;
    config.setStatePartitioner(0, byUser);
    config.setStateKeySerializer(
        Types.USER_KEY.createSerializer(harness.getExecutionConfig().getSerializerConfig()));
    config.serializeAllConfigs();
    // Incremental, as the job: a snapshot is the database's own files, restored as they were.
    EmbeddedRocksDBStateBackend rocksdb = new EmbeddedRocksDBStateBackend(true);
    // Fixed memory, as the job can be configured: the harness has almost no managed memory.
    rocksdb.getMemoryConfiguration().setFixedMemoryPerSlot(rocksdbMemory);
    harness.setStateBackend(rocksdb);
    if (checkpoints != null) {
      harness.setCheckpointStorage(new FileSystemCheckpointStorage(checkpoints.toUri()));
    }
    harness.setOutputCreator(serializer -> output);
    harness.setup(DecisionSerializer.INSTANCE);
    if (restored != null) {
      harness.initializeState(restored);
    }
    harness.open();
  }

  /** A new operator with empty state, RocksDB given {@code rocksdbMemory} (block cache and all). */
  public static OperatorRig start(MemorySize rocksdbMemory) throws Exception {
    return new OperatorRig(rocksdbMemory, null, null);
  }

  /**
   * An operator holding {@code population}, every event applied ({@link #ingest}). Feeding a large
   * population through the operator takes long, so with a {@code stateDir} the ingested state is
   * kept there (a RocksDB checkpoint of the operator, one per population size) and later runs
   * restore it instead: the same database files, without the hour. Delete the directory after a
   * change to the operator's state.
   *
   * @param stateDir where the ingested state is kept between runs, or {@code null}: ingest
   * @param log told what happens, for the human watching
   */
  public static OperatorRig withPopulation(
      Population population, MemorySize rocksdbMemory, Path stateDir, Consumer<String> log)
      throws Exception {
    if (stateDir == null) {
      OperatorRig rig = start(rocksdbMemory);
      ingest(rig, population, log);
      return rig;
    }
    Path dir = stateDir.resolve("users-" + population.users()).toAbsolutePath();
    Path handle = dir.resolve("operator-state");
    if (Files.exists(handle)) {
      long t = System.nanoTime();
      OperatorRig rig =
          new OperatorRig(
              rocksdbMemory,
              dir.resolve("checkpoints"),
              OperatorSnapshotUtil.readStateHandle(handle.toString()));
      log.accept(
          String.format(
              Locale.ROOT,
              "restored the state of %,d users from %s in %.1f s",
              population.users(),
              dir,
              (System.nanoTime() - t) / 1e9));
      return rig;
    }
    Files.createDirectories(dir);
    OperatorRig rig = new OperatorRig(rocksdbMemory, dir.resolve("checkpoints"), null);
    ingest(rig, population, log);
    long t = System.nanoTime();
    OperatorSubtaskState state = rig.harness.snapshot(1L, System.currentTimeMillis());
    Path written = dir.resolve("operator-state.tmp");
    OperatorSnapshotUtil.writeStateHandle(state, written.toString());
    // Last, so that an interrupted ingest leaves nothing a later run would restore.
    Files.move(written, handle, StandardCopyOption.ATOMIC_MOVE);
    log.accept(
        String.format(
            Locale.ROOT,
            "kept the state in %s for later runs (%.1f s)",
            dir,
            (System.nanoTime() - t) / 1e9));
    return rig;
  }

  private static void ingest(OperatorRig rig, Population population, Consumer<String> log)
      throws Exception {
    long t = System.nanoTime();
    rig.ingest(
        population,
        n ->
            log.accept(
                String.format(Locale.ROOT, "ingest: %,d of %,d events", n, population.events())));
    double s = (System.nanoTime() - t) / 1e9;
    log.accept(
        String.format(
            Locale.ROOT,
            "ingest: %,d events of %,d users applied in %.1f s (%,.0f events/s)",
            population.events(),
            population.users(),
            s,
            population.events() / s));
  }

  /**
   * Feeds the population's events as the job reads them (parsed from their JSON), then a watermark
   * just before {@link Population#START}, so that every event is applied.
   *
   * @param progress told the number of events fed so far, every million
   */
  public void ingest(Population population, LongConsumer progress) throws Exception {
    List<String> lines = new ArrayList<>(Population.EVENTS_PER_USER);
    long fed = 0;
    for (int i = 0; i < population.users(); i++) {
      lines.clear();
      population.userEvents(i, lines::add);
      for (String line : lines) {
        UserEvent e = RecordCodec.parseUserEvent(line).value();
        StreamRecord<UserEvent> r = new StreamRecord<>(e, e.at().toEpochMilli());
        operator.setKeyContextElement1(r);
        operator.processElement1(r);
        if (++fed % 1_000_000 == 0) {
          progress.accept(fed);
        }
      }
    }
    advanceTo(Population.START.minusMillis(1));
    runMailUntilIdle();
  }

  /** A campaign record on input 2, stamped with its own {@code at}. */
  public void publish(String campaignJson) throws Exception {
    ControlRecord record = RecordCodec.parseControl(campaignJson).value();
    StreamRecord<ControlInput> r =
        new StreamRecord<>(new ControlInput(record, "bench"), record.at().toEpochMilli());
    operator.setKeyContextElement2(r);
    operator.processElement2(r);
  }

  /**
   * The watermark {@code t} on both inputs. Returns when the operator returns: an operator that
   * defers work to the mailbox may not have done it yet (see {@link #runMailUntil}).
   */
  public void advanceTo(Instant t) throws Exception {
    Watermark mark = new Watermark(t.toEpochMilli());
    operator.processWatermark1(mark);
    operator.processWatermark2(mark);
  }

  /**
   * Runs the task's mails, one at a time as the task would between records, until {@code done}.
   * Should the operator have deferred its next step to a processing-time timer instead (a pause to
   * let input in), the harness' clock, which only moves when told, is moved on to it.
   *
   * @throws IllegalStateException if the operator runs out of work before {@code done}: what is
   *     awaited will not come
   */
  public void runMailUntil(BooleanSupplier done, String what) throws Exception {
    while (!done.getAsBoolean()) {
      if (!runOneMail() && !moveProcessingTime()) {
        throw new IllegalStateException(
            "the operator has no work left, but "
                + what
                + " is not reached: "
                + sweptUsers()
                + " users swept, "
                + decisions()
                + " decisions");
      }
    }
  }

  /** Runs the task's mails, and the processing-time timers they wait for, until there are none. */
  public void runMailUntilIdle() throws Exception {
    while (runOneMail() || moveProcessingTime()) {
      // until idle
    }
  }

  private boolean runOneMail() throws Exception {
    Optional<Mail> mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY);
    if (mail.isEmpty()) {
      return false;
    }
    mail.get().run();
    return true;
  }

  /** Fires the next processing-time timer, if any is registered; whether one was. */
  private boolean moveProcessingTime() throws Exception {
    TestProcessingTimeService clock = harness.getProcessingTimeService();
    if (clock.getNumActiveTimers() == 0) {
      return false;
    }
    long next = Collections.min(clock.getActiveTimerTimestamps());
    clock.setCurrentTime(Math.max(next, clock.getCurrentProcessingTime()));
    return true;
  }

  /** The operator's {@link Metrics#SWEPT_USERS} counter: users visited by sweeps so far. */
  public long sweptUsers() {
    return metrics.count(Metrics.SWEPT_USERS);
  }

  /** Decisions emitted so far. */
  public long decisions() {
    return output.records();
  }

  /** Send requests emitted so far (SEND decisions released for delivery). */
  public long sendRequests() {
    return output.sideRecords(UserDecisionOperator.SEND_REQUESTS);
  }

  /** Dead letters emitted so far (none expected from the benchmark's records). */
  public long deadLetters() {
    return output.sideRecords(UserDecisionOperator.DEAD_LETTERS);
  }

  /** One raw RocksDB pass over the users' records: the sweep's limit. */
  public RawStateScan.Result scanUserRecords() throws Exception {
    return RawStateScan.scan(operator.getKeyedStateBackend(), USER_STATE);
  }

  @Override
  public void close() throws Exception {
    try {
      harness.close();
    } finally {
      environment.close();
    }
  }
}
