package dev.herald.job;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The job's metric names and labels. Counters are labelled by channel and account (Flink's
 * key/value groups, which the Prometheus reporter turns into labels); dashboards query these names.
 */
public final class Metrics {

  /** Decisions made, labelled {@link #OUTCOME} and {@link #BASIS} or {@link #REASON}. */
  public static final String DECISIONS = "heraldDecisions";

  /** Messages released for sending (SEND decisions that are not dry runs). */
  public static final String SEND_REQUESTS = "heraldSendRequests";

  /** Input records dead-lettered, labelled {@link #STAGE} and {@link #PROBLEM}. */
  public static final String DEAD_LETTERS = "heraldDeadLetters";

  /**
   * Records a step of the job threw on, labelled {@link #STAGE}: each was set aside as a dead
   * letter (problem {@code DEFECT}) so that the job went on. Any count above zero is a bug in
   * Herald.
   */
  public static final String DEFECTS = "heraldDefects";

  /** User events that arrived behind event time and were applied on arrival. */
  public static final String LATE_EVENTS = "heraldLateEvents";

  /** Users visited by campaign and reminder sweeps. */
  public static final String SWEPT_USERS = "heraldSweptUsers";

  /** Records read and parsed, labelled {@link #INPUT}. */
  public static final String RECORDS_IN = "heraldRecordsIn";

  public static final String CHANNEL = "channel";
  public static final String ACCOUNT = "account";
  public static final String OUTCOME = "outcome";
  public static final String BASIS = "basis";
  public static final String REASON = "reason";
  public static final String STAGE = "stage";
  public static final String INPUT = "input";
  public static final String PROBLEM = "problem";

  private Metrics() {}

  /**
   * The reason of a defect's dead letter: what the job was doing, then the exception's class and
   * message, e.g. {@code defect while parsing: java.lang.IllegalStateException: …}.
   */
  public static String defect(String doing, Throwable e) {
    return "defect while " + doing + ": " + e.getClass().getName() + ": " + e.getMessage();
  }

  /** Counters created on first use under label paths, so each label set is registered once. */
  public static final class Counters {
    private final MetricGroup root;
    private final String name;
    private final Map<String, Counter> counters = new HashMap<>();

    public Counters(MetricGroup root, String name) {
      this.root = root;
      this.name = name;
    }

    /** The counter under the labels given as alternating keys and values. */
    public Counter get(String... labels) {
      String path = String.join("\u0000", labels);
      Counter c = counters.get(path);
      if (c == null) {
        MetricGroup g = root;
        for (int i = 0; i + 1 < labels.length; i += 2) {
          g = g.addGroup(labels[i], labels[i + 1]);
        }
        c = g.counter(name);
        counters.put(path, c);
      }
      return c;
    }
  }
}
