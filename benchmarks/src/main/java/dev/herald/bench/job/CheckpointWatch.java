package dev.herald.bench.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;

/**
 * The checkpoints of a running job as its REST API reports them, for one vertex: for every
 * checkpoint that has ended (completed or failed), when it was triggered and ended, and per subtask
 * of the vertex its barrier alignment, its start delay (trigger to the barrier's arrival at the
 * subtask's task thread) and the synchronous part of its snapshot.
 *
 * <p>By default the REST API keeps only the last 10 checkpoints and answers from a cache up to 3 s
 * old; after a sweep has held a checkpoint, the periodic triggers queued meanwhile run back to back
 * and push it out of that history before the cache shows it ended. So the job's cluster gets {@link
 * #clusterOptions}, and the watch is {@link #poll}ed every few hundred milliseconds and remembers
 * each checkpoint as it ends.
 */
final class CheckpointWatch {

  /** One subtask's part in a checkpoint, in milliseconds. */
  record Subtask(int index, long alignment, long startDelay, long sync) {
    /** How long the barrier was held up before this subtask could snapshot. */
    long barrierDelay() {
      return alignment + startDelay;
    }
  }

  /** An ended checkpoint: timestamps in epoch milliseconds. */
  record Checkpoint(
      long id, String status, long triggeredAt, long endedAt, List<Subtask> subtasks) {

    boolean completed() {
      return status.equals("COMPLETED");
    }

    /** The longest alignment plus start delay of the vertex's subtasks; 0 if none reported. */
    long barrierDelay() {
      return subtasks.stream().mapToLong(Subtask::barrierDelay).max().orElse(0);
    }

    long alignment() {
      return subtasks.stream().mapToLong(Subtask::alignment).max().orElse(0);
    }

    long startDelay() {
      return subtasks.stream().mapToLong(Subtask::startDelay).max().orElse(0);
    }

    long sync() {
      return subtasks.stream().mapToLong(Subtask::sync).max().orElse(0);
    }

    /** Whether it was in flight at any instant of {@code [from, to]}. */
    boolean overlaps(long from, long to) {
      return triggeredAt <= to && endedAt >= from;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RigJob job;
  private final String vertexId;
  private final Map<Long, Checkpoint> ended = new TreeMap<>();
  private long inFlightTriggeredAt = Long.MAX_VALUE;

  private CheckpointWatch(RigJob job, String vertexId) {
    this.job = job;
    this.vertexId = vertexId;
  }

  /** The cluster options the watch needs: a long checkpoint history, a fresh REST answer. */
  static Configuration clusterOptions() {
    Configuration c = new Configuration();
    c.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 10_000);
    c.set(RestOptions.CACHE_CHECKPOINT_STATISTICS_TIMEOUT, Duration.ofMillis(100));
    return c;
  }

  /** A watch of the job's vertex whose name contains {@code vertexName}. */
  static CheckpointWatch of(RigJob job, String vertexName) throws Exception {
    JsonNode vertices = JSON.readTree(job.rest("/jobs/" + job.jobId())).path("vertices");
    List<String> names = new ArrayList<>();
    for (JsonNode v : vertices) {
      names.add(v.path("name").asText());
      if (v.path("name").asText().contains(vertexName)) {
        return new CheckpointWatch(job, v.path("id").asText());
      }
    }
    throw new IllegalStateException("no vertex named '" + vertexName + "' in " + names);
  }

  /** Reads the history and remembers every checkpoint that has ended since the last poll. */
  void poll() throws Exception {
    String base = "/jobs/" + job.jobId() + "/checkpoints";
    JsonNode history = JSON.readTree(job.rest(base)).path("history");
    long inFlight = Long.MAX_VALUE;
    for (JsonNode c : history) {
      long id = c.path("id").asLong();
      String status = c.path("status").asText();
      long triggered = c.path("trigger_timestamp").asLong();
      if (status.equals("IN_PROGRESS")) {
        inFlight = Math.min(inFlight, triggered);
        continue;
      }
      if (ended.containsKey(id) || c.path("is_savepoint").asBoolean()) {
        continue;
      }
      long endedAt =
          Math.max(c.path("latest_ack_timestamp").asLong(), c.path("failure_timestamp").asLong());
      JsonNode detail =
          JSON.readTree(job.rest(base + "/details/" + id + "/subtasks/" + vertexId))
              .path("subtasks");
      List<Subtask> subtasks = new ArrayList<>();
      for (JsonNode s : detail) {
        if (!s.has("start_delay")) {
          continue; // never acknowledged (the checkpoint failed first)
        }
        subtasks.add(
            new Subtask(
                s.path("index").asInt(),
                s.path("alignment").path("duration").asLong(),
                s.path("start_delay").asLong(),
                s.path("checkpoint").path("sync").asLong()));
      }
      ended.put(id, new Checkpoint(id, status, triggered, endedAt, List.copyOf(subtasks)));
    }
    inFlightTriggeredAt = inFlight;
  }

  /** When the oldest checkpoint still in flight at the last poll was triggered, else MAX_VALUE. */
  long inFlightTriggeredAt() {
    return inFlightTriggeredAt;
  }

  /** Whether a checkpoint triggered after {@code at} has ended and none before it is in flight. */
  boolean settledAfter(long at) {
    return inFlightTriggeredAt > at
        && ended.values().stream().anyMatch(c -> c.completed() && c.triggeredAt() > at);
  }

  /** The ended checkpoints in flight at some instant of {@code [from, to]}. */
  List<Checkpoint> overlapping(long from, long to) {
    return ended.values().stream().filter(c -> c.overlaps(from, to)).toList();
  }

  /** The ended checkpoints triggered within {@code [from, to]}. */
  List<Checkpoint> triggeredBetween(long from, long to) {
    return ended.values().stream()
        .filter(c -> c.triggeredAt() >= from && c.triggeredAt() <= to)
        .toList();
  }

  /** The ended checkpoints triggered and ended within {@code [from, to]}. */
  List<Checkpoint> within(long from, long to) {
    return ended.values().stream()
        .filter(c -> c.triggeredAt() >= from && c.endedAt() <= to)
        .toList();
  }
}
