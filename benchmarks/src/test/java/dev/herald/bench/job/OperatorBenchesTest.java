package dev.herald.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.connectors.kafka.CommandFlags;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Figures 2, 3 and 5's mains: help and bad flags; figures 2 and 3 at a tiny size, run and printing
 * their FIGURE line with the limit.
 */
class OperatorBenchesTest {

  @Test
  void helpListsTheFlagsAndABadOneExitsWithTwo() {
    for (CommandFlags flags :
        List.of(SweepBench.flags(), DecisionsBench.flags(), CheckpointBench.flags())) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code =
          RigFlags.run(
              flags,
              new String[] {"--help"},
              new PrintStream(out, true, StandardCharsets.UTF_8),
              (f, o) -> {
                throw new AssertionError("ran");
              });
      assertThat(code).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .startsWith("usage: bin/bench ")
          .contains("--users", "--runs");
      assertThat(RigFlags.run(flags, new String[] {"--userz", "5"}, System.out, (f, o) -> {}))
          .isEqualTo(2);
      assertThat(
              RigFlags.run(
                  flags, new String[] {"--users", "0"}, System.out, (f, o) -> SweepBench.run(f)))
          .isEqualTo(2);
    }
  }

  @Test
  void theSweepFigureRuns() throws Exception {
    String line =
        SweepBench.run(
            SweepBench.flags()
                .parse(new String[] {"--users", "300", "--runs", "2", "--rocksdb-memory", "64mb"}));
    assertThat(line)
        .startsWith("FIGURE sweep: median ")
        .contains("users/s", "over 2 runs", "| limit median ", "| ratio ", SweepBench.TARGET);
  }

  @Test
  void theDecisionsFigureRuns() throws Exception {
    String line =
        DecisionsBench.run(
            DecisionsBench.flags()
                .parse(new String[] {"--users", "300", "--runs", "2", "--rocksdb-memory", "64mb"}));
    assertThat(line)
        .startsWith("FIGURE decisions: median ")
        .contains("decisions/s", "over 2 runs", "| limit median ", DecisionsBench.TARGET);
  }
}
