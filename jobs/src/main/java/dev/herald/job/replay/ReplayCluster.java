package dev.herald.job.replay;

import dev.herald.connectors.file.JsonLinesSink;
import dev.herald.connectors.file.NumberedLinesFormat;
import dev.herald.job.DeliveryJob;
import dev.herald.job.JobConfig;
import dev.herald.job.ParseRecords;
import dev.herald.replay.DecisionOrder;
import dev.herald.replay.Scenario;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.Decision;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.SendRequest;
import dev.herald.schema.Wire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.FileUtils;

/**
 * An embedded Flink cluster that replays scenarios through the real delivery job: RocksDB state,
 * parallelism 2, event time from a file read in order by one reader. One cluster serves many
 * scenarios; each is its own job.
 */
public final class ReplayCluster implements AutoCloseable {

  /** What a replay produced: decisions sorted as the contract says, and the rest in order. */
  public record Output(
      List<String> decisions, List<String> sendRequests, List<String> deadLetters) {}

  /** The job's parallelism in replays: more than one, so the replay exercises key groups. */
  public static final int PARALLELISM = 2;

  private final MiniCluster cluster;

  /** Starts a cluster with {@code taskManagers} task managers of {@code slots} slots each. */
  public ReplayCluster(int taskManagers, int slots) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(taskManagers)
                .setNumSlotsPerTaskManager(slots)
                .build());
    cluster.start();
  }

  /** Replays one scenario. */
  public Output replay(Scenario scenario) throws Exception {
    Path work = Files.createTempDirectory("herald-replay-");
    try {
      JobConfig config = jobConfig(scenario);
      StreamExecutionEnvironment env = new StreamExecutionEnvironment(config.flinkConfiguration());
      FileSource<dev.herald.connectors.file.SourceLine> source =
          FileSource.forRecordStreamFormat(
                  new NumberedLinesFormat(Scenario.INPUT),
                  new org.apache.flink.core.fs.Path(scenario.input().toAbsolutePath().toUri()))
              .build();
      new DeliveryJob(
              config,
              List.of(new DeliveryJob.Input("input", source, ParseRecords.Accepts.ANY, 1)),
              new DeliveryJob.Sinks(
                  new JsonLinesSink<Decision>(work, "decisions", RecordCodec::write),
                  new JsonLinesSink<SendRequest>(work, "send-requests", RecordCodec::write),
                  new JsonLinesSink<DeadLetter>(work, "dead-letters", RecordCodec::write)),
              DeliveryJob.Time.REPLAY)
          .build(env);
      StreamGraph graph = env.getStreamGraph();
      graph.setJobName("replay " + scenario.name());
      JobGraph job = graph.getJobGraph();
      cluster.submitJob(job).get();
      JobResult result = cluster.requestJobResult(job.getJobID()).get();
      if (!result.isSuccess()) {
        Throwable cause = result.getSerializedThrowable().map(t -> (Throwable) t).orElse(null);
        throw new IllegalStateException(
            "the replay job of " + scenario.name() + " failed: " + result.getApplicationStatus(),
            cause);
      }
      return new Output(
          DecisionOrder.sortLines(read(work, "decisions")),
          read(work, "send-requests"),
          sortBySource(read(work, "dead-letters")));
    } finally {
      FileUtils.deleteDirectoryQuietly(work.toFile());
    }
  }

  /** The job's settings for a replay: no checkpoints, small fixed RocksDB memory, its cap. */
  private static JobConfig jobConfig(Scenario scenario) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--parallelism", Integer.toString(PARALLELISM),
                "--checkpoint-interval", "PT0S",
                "--rocksdb-memory-per-slot", "32mb"));
    var cap = scenario.config().frequencyCap();
    if (cap != null) {
      args.addAll(List.of("--frequency-cap", cap.max() + "/" + Wire.format(cap.per())));
    }
    return JobConfig.parse(args.toArray(String[]::new));
  }

  private static List<String> read(Path dir, String prefix) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().startsWith(prefix + "-"))
          .sorted()
          .forEach(files::add);
    }
    List<String> lines = new ArrayList<>();
    for (Path f : files) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

  private static final Pattern LINE = Pattern.compile("\"source\":\"[^\"]*:(\\d+)\"");

  /** Dead letters by the line they were read from. */
  private static List<String> sortBySource(List<String> lines) {
    List<String> sorted = new ArrayList<>(lines);
    sorted.sort(Comparator.comparingLong(ReplayCluster::lineOf).thenComparing(l -> l));
    return sorted;
  }

  private static long lineOf(String deadLetter) {
    Matcher m = LINE.matcher(deadLetter);
    return m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
