package dev.herald.bench.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The live metrics of a job on the rig's embedded cluster, read in this JVM as the operators update
 * them: a metric reporter that keeps every metric object it is told of, so a benchmark reads a
 * counter or a watermark gauge the moment it changes, without the Web UI's metric fetcher and its
 * refresh interval in between.
 *
 * <p>Each cluster gets its own instance through its configuration ({@link #install}); metrics are
 * selected by name and by their scope variables, e.g. {@code <operator_name>} = {@code user
 * decisions}, {@code <input>} = {@code user-events} (Flink's key/value groups become variables).
 */
public final class JobMetrics {

  /** The variable of an operator's name. */
  public static final String OPERATOR = "<operator_name>";

  /** The variable of a task's name (operators chained together share it). */
  public static final String TASK = "<task_name>";

  /** The variable of the subtask's index. */
  public static final String SUBTASK = "<subtask_index>";

  private static final String REPORTER = "herald-bench";
  private static final String ID = "rig-id";
  private static final Map<String, JobMetrics> BY_ID = new ConcurrentHashMap<>();

  /** One registered metric and where it is. */
  private record Entry(String name, Map<String, String> variables, Metric metric) {}

  private final List<Entry> entries = new java.util.concurrent.CopyOnWriteArrayList<>();

  private JobMetrics() {}

  /**
   * Adds this reporter to a cluster's configuration and returns the metrics it will collect.
   *
   * @param clusterConfiguration the configuration the embedded cluster is started with
   */
  public static JobMetrics install(Configuration clusterConfiguration) {
    String id = java.util.UUID.randomUUID().toString();
    JobMetrics metrics = new JobMetrics();
    BY_ID.put(id, metrics);
    clusterConfiguration.setString(
        "metrics.reporter." + REPORTER + ".factory.class", Factory.class.getName());
    clusterConfiguration.setString("metrics.reporter." + REPORTER + "." + ID, id);
    return metrics;
  }

  /** Forgets this instance (its cluster has closed). */
  void release() {
    BY_ID.values().remove(this);
    entries.clear();
  }

  /**
   * The current values of the metrics called {@code name} whose variables include all of {@code
   * where} (alternating variable and value, e.g. {@code OPERATOR, "user decisions"}), one per
   * registration (per subtask, usually). A counter gives its count, a gauge its value if it is a
   * number.
   */
  public List<Long> values(String name, String... where) {
    List<Long> out = new ArrayList<>();
    for (Entry e : entries) {
      if (e.name().equals(name) && matches(e.variables(), where)) {
        Long v = value(e.metric());
        if (v != null) {
          out.add(v);
        }
      }
    }
    return out;
  }

  /** The sum of {@link #values}; 0 if none is registered. */
  public long sum(String name, String... where) {
    long sum = 0;
    for (long v : values(name, where)) {
      sum += v;
    }
    return sum;
  }

  /**
   * The smallest of {@link #values} if exactly {@code registrations} are registered (e.g. the
   * parallelism), else {@link Long#MIN_VALUE}: a watermark of an operator is its slowest subtask's,
   * and a subtask not yet started holds it back.
   */
  public long min(String name, int registrations, String... where) {
    List<Long> vs = values(name, where);
    if (vs.size() < registrations) {
      return Long.MIN_VALUE;
    }
    long min = Long.MAX_VALUE;
    for (long v : vs) {
      min = Math.min(min, v);
    }
    return min;
  }

  /** Every registered metric's name with its variables, for finding what to ask for. */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(e.name() + " " + e.variables());
    }
    return out;
  }

  private static boolean matches(Map<String, String> variables, String[] where) {
    for (int i = 0; i + 1 < where.length; i += 2) {
      if (!where[i + 1].equals(variables.get(where[i]))) {
        return false;
      }
    }
    return true;
  }

  private static Long value(Metric m) {
    if (m instanceof Counter c) {
      return c.getCount();
    }
    if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
      return n.longValue();
    }
    return null;
  }

  /** The reporter Flink instantiates; it hands every metric to its {@link JobMetrics}. */
  public static final class Reporter implements MetricReporter {
    private JobMetrics target;

    @Override
    public void open(MetricConfig config) {
      target = BY_ID.get(config.getString(ID, ""));
    }

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
      if (target != null) {
        target.entries.add(
            new Entry(name, new java.util.HashMap<>(group.getAllVariables()), metric));
      }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
      if (target != null) {
        target.entries.removeIf(e -> e.metric() == metric);
      }
    }
  }

  /** Found by Flink through {@code META-INF/services}. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new Reporter();
    }
  }
}
