package dev.herald.bench.job;

import dev.herald.job.JobConfig;
import dev.herald.job.Metrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.metrics.MetricNames;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * The delivery job of one run, on its own embedded cluster ({@link JobRig#startJob}): its live
 * metrics, its checkpoint statistics, its Web UI / REST address. Closing it cancels the job and
 * shuts the cluster down.
 */
public final class RigJob implements AutoCloseable {

  /** The decision operator's name in the job graph (and in metric scopes). */
  public static final String DECISIONS_OPERATOR = "user decisions";

  /** Flink names a task's thread after its chain and subtask: {@code "... (1/2)#0"}. */
  private static final Pattern TASK_THREAD = Pattern.compile("\\(\\d+/\\d+\\)#\\d+$");

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final MiniCluster cluster;
  private final JobID id;
  private final JobConfig config;
  private final JobMetrics metrics;
  private final long submittedNanos;
  private final HttpClient http = HttpClient.newHttpClient();
  private boolean closed;

  RigJob(MiniCluster cluster, JobID id, JobConfig config, JobMetrics metrics, long submittedNanos) {
    this.cluster = cluster;
    this.id = id;
    this.config = config;
    this.metrics = metrics;
    this.submittedNanos = submittedNanos;
  }

  public JobID jobId() {
    return id;
  }

  /** The configuration the job was built from (its flags, parsed). */
  public JobConfig config() {
    return config;
  }

  /** The job's metrics, live (see {@link JobMetrics}). */
  public JobMetrics metrics() {
    return metrics;
  }

  /** {@link System#nanoTime} when the job was submitted. */
  public long submittedNanos() {
    return submittedNanos;
  }

  /** The embedded cluster, for what the rig does not offer (savepoints, task managers). */
  public MiniCluster cluster() {
    return cluster;
  }

  /** The Web UI and REST API, e.g. {@code http://127.0.0.1:PORT}. */
  public URI restUrl() throws Exception {
    return cluster.getRestAddress().get(30, TimeUnit.SECONDS);
  }

  /**
   * GETs a REST path of the cluster (e.g. {@code "/jobs/" + jobId() + "/checkpoints"}) and returns
   * the body (JSON).
   *
   * @throws IOException if the answer is not 200
   */
  public String rest(String path) throws Exception {
    URI uri = restUrl().resolve(path);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + uri + ": HTTP " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** The job's status now. */
  public JobStatus status() throws Exception {
    return cluster.getJobStatus(id).get(30, TimeUnit.SECONDS);
  }

  /** The execution graph now: vertices, their states and attempts. */
  public AccessExecutionGraph executionGraph() throws Exception {
    return cluster.getExecutionGraph(id).get(30, TimeUnit.SECONDS);
  }

  /**
   * The checkpoint statistics now (counts, the latest completed, the history with each checkpoint's
   * per-task statistics: alignment, start delay, sizes), as the Web UI shows them.
   */
  public CheckpointStatsSnapshot checkpointStats() throws Exception {
    return executionGraph().getCheckpointStatsSnapshot();
  }

  /**
   * Waits until every subtask of the job runs.
   *
   * @return {@link System#nanoTime} when they all were found running
   * @throws IllegalStateException if the job ends first
   * @throws TimeoutException if {@code timeout} passes first
   */
  public long awaitRunning(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      AccessExecutionGraph g = executionGraph();
      if (g.getState().isGloballyTerminalState()) {
        throw new IllegalStateException(
            "the job ended (" + g.getState() + ") before running: " + g.getFailureInfo());
      }
      boolean all = g.getState() == JobStatus.RUNNING;
      for (AccessExecutionVertex v : g.getAllExecutionVertices()) {
        all &= v.getExecutionState() == ExecutionState.RUNNING;
      }
      if (all) {
        return System.nanoTime();
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the job did not run within " + timeout);
      }
      Thread.sleep(20);
    }
  }

  /**
   * Fails if the job has failed, restarted or ended: a figure taken across a restart would not
   * measure what it says.
   */
  public void checkHealthy() throws Exception {
    check(true);
  }

  /**
   * Fails if the job has failed or restarted; one still starting passes.
   *
   * @throws IllegalStateException with the job's failure, if any
   */
  public void checkNotFailed() throws Exception {
    check(false);
  }

  private void check(boolean running) throws Exception {
    AccessExecutionGraph g = executionGraph();
    JobStatus state = g.getState();
    boolean starting = state == JobStatus.CREATED || state == JobStatus.INITIALIZING;
    if (state != JobStatus.RUNNING && (running || !starting)) {
      throw new IllegalStateException(
          "the job is "
              + g.getState()
              + (g.getFailureInfo() == null
                  ? ""
                  : ": " + g.getFailureInfo().getExceptionAsString()));
    }
    for (AccessExecutionVertex v : g.getAllExecutionVertices()) {
      if (v.getCurrentExecutionAttempt().getAttemptNumber() > 0) {
        throw new IllegalStateException(
            "the job restarted ("
                + v.getTaskNameWithSubtaskIndex()
                + ", attempt "
                + v.getCurrentExecutionAttempt().getAttemptNumber()
                + ")"
                + (g.getFailureInfo() == null
                    ? ""
                    : ": " + g.getFailureInfo().getExceptionAsString()));
      }
    }
  }

  /**
   * When the user events of a population were read and applied: the first and the last instant.
   *
   * @param firstReadNanos {@link System#nanoTime} when the first user event was read
   * @param appliedNanos when all were read and the decision operator's watermark had passed the
   *     last one's {@code at}
   * @param lateEvents how many arrived behind the watermark and were applied on arrival
   */
  public record Applied(long firstReadNanos, long appliedNanos, long lateEvents) {
    /** Seconds from the first read to all applied. */
    public double seconds() {
      return (appliedNanos - firstReadNanos) / 1e9;
    }
  }

  /**
   * Waits until {@code events} user events have been read from {@code user-events} (the parse
   * step's {@link Metrics#RECORDS_IN}) and applied: the decision operator's output watermark, on
   * both subtasks, has passed {@code lastAt}. Its output watermark moves only after its timers up
   * to it have fired, and an event is applied by its timer (or on arrival, if it came behind the
   * watermark). Reads the live metrics every 2 ms; prints progress on stderr every 2 s.
   *
   * @param label names the run in the progress lines
   * @throws TimeoutException if {@code timeout} passes first
   */
  public Applied awaitApplied(long events, Instant lastAt, Duration timeout, String label)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextProgress = System.nanoTime() + 2_000_000_000L;
    long first = Long.MIN_VALUE;
    while (true) {
      long now = System.nanoTime();
      long read = metrics.sum(Metrics.RECORDS_IN, "<" + Metrics.INPUT + ">", "user-events");
      if (first == Long.MIN_VALUE && read > 0) {
        first = now;
      }
      long watermark =
          metrics.min(
              MetricNames.IO_CURRENT_OUTPUT_WATERMARK,
              JobRig.PARALLELISM,
              JobMetrics.OPERATOR,
              DECISIONS_OPERATOR);
      if (read >= events && watermark >= lastAt.toEpochMilli()) {
        return new Applied(first, now, lateEvents());
      }
      if (now > nextProgress) {
        nextProgress = now + 2_000_000_000L;
        checkNotFailed();
        System.err.printf(
            "%s: %,d of %,d user events read, %,d applied late, watermark %s%n",
            label,
            read,
            events,
            lateEvents(),
            watermark == Long.MIN_VALUE ? "none" : Instant.ofEpochMilli(watermark));
      }
      if (now > deadline) {
        throw new TimeoutException(
            label
                + ": "
                + read
                + " of "
                + events
                + " user events read, watermark "
                + watermark
                + " not past "
                + lastAt
                + " within "
                + timeout);
      }
      Thread.sleep(2);
    }
  }

  /**
   * CPU seconds used so far by the job's task threads whose name starts with {@code prefix} (e.g.
   * {@link #DECISIONS_OPERATOR}; {@code ""}: every task thread and source fetcher thread), since
   * they started. On a shared machine the wall clock says how much CPU a run was given as much as
   * what it needed; this says what it needed.
   */
  public double taskCpuSeconds(String prefix) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long nanos = 0;
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      String name = t.getThreadName();
      boolean task = TASK_THREAD.matcher(name).find() || name.startsWith("Source Data Fetcher");
      if (task && name.startsWith(prefix)) {
        long cpu = threads.getThreadCpuTime(t.getThreadId());
        nanos += Math.max(0, cpu);
      }
    }
    return nanos / 1e9;
  }

  /** User events applied on arrival, behind the watermark ({@link Metrics#LATE_EVENTS}). */
  public long lateEvents() {
    return metrics.sum(Metrics.LATE_EVENTS, JobMetrics.OPERATOR, DECISIONS_OPERATOR);
  }

  /** Cancels the job, waits until it has ended, and shuts the cluster down. */
  @Override
  public void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!status().isGloballyTerminalState()) {
        cluster.cancelJob(id).get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      cluster.requestJobResult(id).get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      try {
        cluster.close();
      } finally {
        metrics.release();
      }
    }
  }
}
