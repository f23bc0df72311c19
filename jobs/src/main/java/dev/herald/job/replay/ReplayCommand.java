package dev.herald.job.replay;

import dev.herald.replay.Expectations;
import dev.herald.replay.Scenario;
import dev.herald.replay.ScenarioInput;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code bin/replay}: runs scenarios through the real job on an embedded cluster.
 *
 * <pre>
 * bin/replay DIR                 decisions of DIR/input.jsonl to stdout, dead letters to stderr
 * bin/replay --out OUT DIR...    OUT/&lt;name&gt;/decisions.jsonl (and dead-letters, send-requests)
 * bin/replay --check ROOT        every subfolder of ROOT with an expected.jsonl, compared
 * </pre>
 *
 * Exit status: 0 on success, 1 when a check found differences, 2 on bad usage or a failed run.
 */
public final class ReplayCommand {

  private static final String USAGE =
      """
      usage: bin/replay DIR
             bin/replay --out OUT DIR...
             bin/replay --check ROOT
      """;

  /** Scenarios replayed at once: job start-up overlaps, the cluster stays small. */
  private static final int CONCURRENT = 4;

  private final PrintStream out;
  private final PrintStream err;

  ReplayCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    int status;
    try {
      status = new ReplayCommand(out, System.err).run(args);
    } catch (Exception e) {
      System.err.println("replay failed: " + e);
      status = 2;
    }
    out.flush();
    System.exit(status);
  }

  /** Runs the command; returns the exit status. */
  int run(String[] args) throws Exception {
    if (args.length == 1 && !args[0].startsWith("--")) {
      return single(Path.of(args[0]));
    }
    if (args.length >= 3 && args[0].equals("--out")) {
      List<Path> dirs = new ArrayList<>();
      for (int i = 2; i < args.length; i++) {
        dirs.add(Path.of(args[i]));
      }
      return toFiles(Path.of(args[1]), dirs);
    }
    if (args.length == 2 && args[0].equals("--check")) {
      return check(Path.of(args[1]));
    }
    err.print(USAGE);
    return 2;
  }

  private int single(Path dir) throws Exception {
    Scenario scenario = Scenario.load(dir);
    try (ReplayCluster cluster = new ReplayCluster(1, 2)) {
      ReplayCluster.Output output = cluster.replay(scenario);
      output.decisions().forEach(out::println);
      output.deadLetters().forEach(err::println);
    }
    return 0;
  }

  private int toFiles(Path outRoot, List<Path> dirs) throws Exception {
    List<Scenario> scenarios = new ArrayList<>();
    for (Path dir : dirs) {
      scenarios.add(Scenario.load(dir));
    }
    List<Result> results = replayAll(scenarios);
    int failed = 0;
    for (Result r : results) {
      if (r.error() != null) {
        err.println(r.scenario().name() + ": " + r.error());
        failed++;
        continue;
      }
      Path target = outRoot.resolve(r.scenario().name());
      Files.createDirectories(target);
      write(target.resolve("decisions.jsonl"), r.output().decisions());
      write(target.resolve("dead-letters.jsonl"), r.output().deadLetters());
      write(target.resolve("send-requests.jsonl"), r.output().sendRequests());
    }
    return failed == 0 ? 0 : 2;
  }

  private int check(Path root) throws Exception {
    List<Scenario> scenarios = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      for (Path dir : s.sorted().toList()) {
        if (Files.isRegularFile(dir.resolve(Scenario.EXPECTED))) {
          scenarios.add(Scenario.load(dir));
        }
      }
    }
    int passed = 0;
    int failed = 0;
    for (Result r : replayAll(scenarios)) {
      List<String> diffs;
      if (r.error() != null) {
        diffs = List.of("replay failed: " + r.error());
      } else {
        List<String> expected =
            Files.readAllLines(
                r.scenario().dir().resolve(Scenario.EXPECTED), StandardCharsets.UTF_8);
        var input = ScenarioInput.parse(r.scenario().inputLines(), Scenario.INPUT);
        diffs =
            Expectations.compare(
                expected, r.output().decisions(), Expectations.ratedCampaigns(input.records()));
      }
      if (diffs.isEmpty()) {
        passed++;
        out.println("PASS " + r.scenario().name());
      } else {
        failed++;
        out.println("FAIL " + r.scenario().name());
        for (String d : diffs) {
          out.println("  " + d);
        }
      }
    }
    out.println(passed + " passed, " + failed + " failed");
    return failed == 0 ? 0 : 1;
  }

  private record Result(Scenario scenario, ReplayCluster.Output output, String error) {}

  /** Replays the scenarios on one cluster, a few at a time; results in the given order. */
  private static List<Result> replayAll(List<Scenario> scenarios) throws Exception {
    List<Result> results = new ArrayList<>();
    if (scenarios.isEmpty()) {
      return results;
    }
    int slots = ReplayCluster.PARALLELISM * Math.min(CONCURRENT, scenarios.size());
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(CONCURRENT, scenarios.size()));
    try (ReplayCluster cluster = new ReplayCluster(2, (slots + 1) / 2)) {
      List<Future<Result>> futures = new ArrayList<>();
      for (Scenario s : scenarios) {
        futures.add(
            pool.submit(
                () -> {
                  try {
                    return new Result(s, cluster.replay(s), null);
                  } catch (Exception e) {
                    return new Result(s, null, describe(e));
                  }
                }));
      }
      for (Future<Result> f : futures) {
        results.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    return results;
  }

  private static String describe(Throwable e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      b.append(" <- ").append(c);
    }
    return b.toString();
  }

  private static void write(Path file, List<String> lines) throws IOException {
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
