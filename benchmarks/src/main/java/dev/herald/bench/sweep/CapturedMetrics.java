package dev.herald.bench.sweep;

import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;

/**
 * The task metric group of a harnessed operator that keeps the metrics the operator registers at
 * its top level, so that a benchmark can read a counter (the swept users) as a reporter would. The
 * harness' default group drops them.
 */
final class CapturedMetrics extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {

  private final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup();

  @Override
  public InternalOperatorMetricGroup getOrAddOperator(
      OperatorID operatorID, String name, Map<String, String> additionalVariables) {
    return operator;
  }

  /** The operator's counter {@code name}, or 0 while the operator has not registered it. */
  long count(String name) {
    Metric m = operator.get(name);
    if (m == null) {
      return 0;
    }
    if (!(m instanceof Counter c)) {
      throw new IllegalStateException(name + " is a " + m.getClass().getName() + ", not a counter");
    }
    return c.getCount();
  }
}
