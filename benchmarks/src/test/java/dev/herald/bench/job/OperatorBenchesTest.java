package dev.herald.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Figures 2 and 3 at a tiny size: they run and print their FIGURE line with the limit. */
class OperatorBenchesTest {

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
