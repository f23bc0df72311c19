package dev.herald.bench.job;

import dev.herald.job.JobConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * The delivery job of one run, on its own embedded cluster ({@link JobRig#startJob}): its live
 * metrics, its checkpoint statistics, its Web UI / REST address. Closing it cancels the job and
 * shuts the cluster down.
 */
public final class RigJob implements AutoCloseable {

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
    AccessExecutionGraph g = executionGraph();
    if (g.getState() != JobStatus.RUNNING) {
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
                + ")");
      }
    }
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
