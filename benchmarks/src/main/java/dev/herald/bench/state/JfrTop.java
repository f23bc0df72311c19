package dev.herald.bench.state;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hottest methods of a JFR recording, by execution samples (of threads in Java code) and native
 * method samples (of threads in native code: RocksDB's, through JNI): <em>self</em> (the method was
 * on top of the stack) and <em>total</em> (the method was anywhere on it), as shares of all
 * samples, and the allocation sites by sampled weight. Only samples inside the given windows count,
 * so that a run's set-up (opening RocksDB, loading users before a sweep) stays out of a phase's
 * profile.
 *
 * <p>Also a main: {@code JfrTop FILE [TOP]} summarizes a whole recording (e.g. one taken with
 * {@code -XX:StartFlightRecording}).
 */
public final class JfrTop {

  /** An interval of wall-clock time whose samples count. */
  public record Window(Instant from, Instant to) {
    boolean contains(Instant t) {
      return !t.isBefore(from) && !t.isAfter(to);
    }
  }

  /** Counts by method, and the number of samples they are shares of. */
  public record Summary(
      long samples,
      Map<String, Long> self,
      Map<String, Long> total,
      long allocated,
      Map<String, Long> allocationSites) {

    /** Prints the top {@code n} of each table. */
    public void print(PrintStream out, int n) {
      out.printf(Locale.ROOT, "%,d samples (Java and native)%n", samples);
      out.println("top self (on top of the stack):");
      table(out, self, samples, n);
      out.println("top total (anywhere on the stack):");
      table(out, total, samples, n);
      out.printf(Locale.ROOT, "top allocation sites (sampled weight, %,d MB):%n", allocated >> 20);
      table(out, allocationSites, allocated, n);
    }

    private static void table(PrintStream out, Map<String, Long> counts, long of, int n) {
      counts.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(n)
          .forEach(
              e ->
                  out.printf(
                      Locale.ROOT,
                      "  %5.1f %%  %s%n",
                      of == 0 ? 0.0 : 100.0 * e.getValue() / of,
                      e.getKey()));
    }
  }

  private JfrTop() {}

  /** Summarizes the samples of {@code recording} inside {@code windows} (all, if empty). */
  public static Summary summarize(Path recording, List<Window> windows) throws IOException {
    long samples = 0;
    long allocated = 0;
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> total = new HashMap<>();
    Map<String, Long> sites = new HashMap<>();
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        String type = e.getEventType().getName();
        // Java code and native code (RocksDB's JNI calls), sampled at the same period (ProfileRun)
        boolean sample =
            type.equals("jdk.ExecutionSample") || type.equals("jdk.NativeMethodSample");
        boolean allocation = type.equals("jdk.ObjectAllocationSample");
        if (!(sample || allocation) || !inside(e.getStartTime(), windows)) {
          continue;
        }
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        List<RecordedFrame> frames = stack.getFrames();
        if (sample) {
          samples++;
          self.merge(name(frames.get(0)), 1L, Long::sum);
          Set<String> seen = new HashSet<>();
          for (RecordedFrame f : frames) {
            if (seen.add(name(f))) {
              total.merge(name(f), 1L, Long::sum);
            }
          }
        } else {
          long weight = e.getLong("weight");
          allocated += weight;
          sites.merge(allocationSite(frames), weight, Long::sum);
        }
      }
    }
    return new Summary(samples, self, total, allocated, sites);
  }

  private static boolean inside(Instant t, List<Window> windows) {
    if (windows.isEmpty()) {
      return true;
    }
    for (Window w : windows) {
      if (w.contains(t)) {
        return true;
      }
    }
    return false;
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  /** The first frame of Herald's own code, else the top frame: where the allocation was asked. */
  private static String allocationSite(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (f.getMethod().getType().getName().startsWith("dev.herald.")) {
        return name(f) + " (" + name(frames.get(0)) + ")";
      }
    }
    return name(frames.get(0));
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args[0].equals("--help")) {
      System.out.println("JfrTop FILE [TOP]: the hottest methods of a JFR recording");
      return;
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    summarize(Path.of(args[0]), new ArrayList<>()).print(System.out, top);
  }
}
