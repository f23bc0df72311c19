package dev.herald.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Figure 5 at a tiny size through the real job (a local broker, the job on an embedded cluster): it
 * runs, reads the checkpoints from the REST API and prints both FIGURE lines.
 */
class CheckpointBenchITCase {

  @Test
  void theCheckpointFigureRuns() throws Exception {
    String lines =
        CheckpointBench.run(
            CheckpointBench.flags()
                .parse(new String[] {"--users", "2000", "--runs", "1", "--quiet", "PT3S"}));
    assertThat(lines.lines())
        .hasSize(2)
        .satisfiesExactly(
            delay ->
                assertThat(delay)
                    .startsWith("FIGURE checkpoint: median ")
                    .contains(" ms ", "over 1 runs", "| limit median ", CheckpointBench.TARGET),
            count ->
                assertThat(count)
                    .startsWith("FIGURE checkpoints completed during the sweep: median ")
                    .contains("| limit median "));
  }
}
