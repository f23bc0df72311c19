package dev.herald.cli.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/herald run}: the whole pipeline on this machine with demo traffic, until Ctrl-C or
 * {@code --duration}. It prints where the Flink Web UI, the Prometheus metrics and the simulator's
 * counters are, a status line every five seconds, and a summary on exit; it exits 0 when it ran and
 * stopped cleanly, 1 when something failed, 2 on bad usage. The log goes to {@code herald.log} in
 * the run's folder, so the console shows only the demo's own lines.
 */
public final class PipelineCommand {

  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /**
   * What a run ended with.
   *
   * @param exitCode 0: ran and stopped cleanly
   * @param totals the counts of the summary; {@link Totals#NONE} if it never got going
   * @param ports the ports it listened on, all closed again by the time this is returned
   */
  record Result(int exitCode, Totals totals, List<Integer> ports) {}

  private PipelineCommand() {}

  public static void main(String[] args) {
    if (DemoOptions.wantsHelp(args)) {
      System.out.print(DemoOptions.usage());
      System.exit(0);
    }
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("herald run: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path runDir = runDir(options);
    // Before anything logs: the log configuration writes to this file.
    System.setProperty("herald.log.file", runDir.resolve("herald.log").toString());
    CountDownLatch stop = new CountDownLatch(1);
    onInterrupt(stop);
    Result result = run(options, runDir, System.out, stop);
    System.exit(result.exitCode());
  }

  /**
   * Runs the pipeline until {@code stop} opens or the duration has passed, prints the summary, and
   * stops everything.
   */
  static Result run(DemoOptions options, Path runDir, PrintStream out, CountDownLatch stop) {
    Pipeline pipeline;
    try {
      pipeline = Pipeline.start(options, runDir, out);
    } catch (Exception e) {
      out.println("herald run: could not start: " + e.getMessage());
      org.slf4j.LoggerFactory.getLogger(PipelineCommand.class).info("could not start", e);
      return new Result(1, Totals.NONE, List.of());
    }
    int exitCode = 0;
    Totals totals = Totals.NONE;
    Duration uptime = Duration.ZERO;
    try {
      totals = pipeline.runUntil(stop);
      uptime = pipeline.uptime();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exitCode = 1;
    } catch (RuntimeException e) {
      out.println("herald run: " + e.getMessage());
      org.slf4j.LoggerFactory.getLogger(PipelineCommand.class).info("run failed", e);
      exitCode = 1;
    }
    out.println();
    out.println("stopping...");
    pipeline.close();
    out.println();
    out.print(StatusText.summary(totals, uptime));
    return new Result(exitCode, totals, pipeline.ports());
  }

  /** {@code DATA_DIR/yyyyMMdd-HHmmss}: each run its own folder, so no run sees another's data. */
  static Path runDir(DemoOptions options) {
    return options.dataDir().resolve(RUN_ID.format(ZonedDateTime.now(ZoneOffset.UTC)));
  }

  /**
   * Ctrl-C (and a plain kill) asks the run to stop, and the run then stops everything and exits 0;
   * a second Ctrl-C gives up waiting.
   */
  @SuppressWarnings("removal")
  private static void onInterrupt(CountDownLatch stop) {
    for (String name : List.of("INT", "TERM")) {
      sun.misc.Signal.handle(
          new sun.misc.Signal(name),
          signal -> {
            if (stop.getCount() == 0) {
              Runtime.getRuntime().halt(130);
            }
            stop.countDown();
          });
    }
  }
}
