package dev.herald.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One figure of BENCHMARKS.md: several runs of a measurement and of its limit (what the machine
 * allows, measured in the same run), summarised as median, min and max, with the ratio of the
 * medians. Absolute numbers drift on shared machines; the ratio to a limit measured side by side
 * drifts less, so both are printed.
 *
 * <p>Every benchmark prints its summary through {@link #print}, in one shape, so that a row of
 * BENCHMARKS.md is copied from its output.
 */
public final class Figure {

  private final String name;
  private final String unit;
  private final List<Double> values = new ArrayList<>();
  private final List<Double> limits = new ArrayList<>();

  /**
   * @param name what is measured, e.g. {@code "ingest"}
   * @param unit its unit, e.g. {@code "events/s"}
   */
  public Figure(String name, String unit) {
    this.name = name;
    this.unit = unit;
  }

  /** A run's value, without a limit. */
  public void add(double value) {
    values.add(value);
  }

  /** A run's value and the limit measured in the same run. */
  public void add(double value, double limit) {
    values.add(value);
    limits.add(limit);
  }

  public int runs() {
    return values.size();
  }

  public double median() {
    return median(values);
  }

  public double limitMedian() {
    return median(limits);
  }

  /** Prints the summary: median [min–max] over n runs, the limit's, and their ratio. */
  public void print(PrintStream out, String target) {
    out.println(summary(target));
  }

  public String summary(String target) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "FIGURE %s: %s", name, stats(values)));
    if (!limits.isEmpty()) {
      s.append(String.format(Locale.ROOT, " | limit %s", stats(limits)));
      s.append(String.format(Locale.ROOT, " | ratio %.2f", median(values) / median(limits)));
    }
    if (target != null) {
      s.append(" | target ").append(target);
    }
    s.append(" | ").append(machine());
    return s.toString();
  }

  private String stats(List<Double> xs) {
    double[] sorted = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "median %s %s [min %s, max %s] over %d runs",
        format(median(xs)),
        unit,
        format(sorted[0]),
        format(sorted[sorted.length - 1]),
        sorted.length);
  }

  static double median(List<Double> xs) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Three significant figures or whole numbers: 1234567 → 1,234,567; 0.01234 → 0.0123. */
  static String format(double x) {
    if (Math.abs(x) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", x);
    }
    return String.format(Locale.ROOT, "%.3g", x);
  }

  /** The machine and versions a figure was taken on. */
  public static String machine() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    long memory =
        os instanceof com.sun.management.OperatingSystemMXBean m
            ? m.getTotalMemorySize() >> 30
            : -1;
    return String.format(
        Locale.ROOT,
        "%d cores, %d GiB, Java %s, Flink %s",
        Runtime.getRuntime().availableProcessors(),
        memory,
        Runtime.version().feature(),
        flinkVersion());
  }

  private static String flinkVersion() {
    String v = org.apache.flink.runtime.util.EnvironmentInformation.getVersion();
    return v == null ? "?" : v;
  }

  /** {@code args} as a list, for the mains' flag loops. */
  static List<String> list(String... args) {
    return Arrays.asList(args);
  }
}
