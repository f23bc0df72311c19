package dev.herald.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointWatchTest {

  private static CheckpointWatch.Checkpoint checkpoint(long from, long to) {
    return new CheckpointWatch.Checkpoint(
        7,
        "COMPLETED",
        from,
        to,
        List.of(
            new CheckpointWatch.Subtask(0, 40, 100, 5), new CheckpointWatch.Subtask(1, 90, 30, 9)));
  }

  @Test
  void aCheckpointsBarrierDelayIsItsSlowestSubtasksAlignmentPlusStartDelay() {
    CheckpointWatch.Checkpoint c = checkpoint(1_000, 2_000);
    assertThat(c.barrierDelay()).isEqualTo(140);
    assertThat(c.alignment()).isEqualTo(90);
    assertThat(c.startDelay()).isEqualTo(100);
    assertThat(c.sync()).isEqualTo(9);
  }

  @Test
  void aCheckpointOverlapsASpellItWasInFlightDuring() {
    CheckpointWatch.Checkpoint c = checkpoint(1_000, 2_000);
    assertThat(c.overlaps(500, 1_000)).isTrue();
    assertThat(c.overlaps(1_500, 1_600)).isTrue();
    assertThat(c.overlaps(2_000, 3_000)).isTrue();
    assertThat(c.overlaps(0, 999)).isFalse();
    assertThat(c.overlaps(2_001, 3_000)).isFalse();
  }

  @Test
  void percentilesAreNearestRank() {
    long[] xs = {10, 20, 30, 40, 50, 60, 70, 80, 90, 1000};
    assertThat(CheckpointBench.percentile(xs, 50)).isEqualTo(50);
    assertThat(CheckpointBench.percentile(xs, 90)).isEqualTo(90);
    assertThat(CheckpointBench.percentile(xs, 100)).isEqualTo(1000);
    assertThat(CheckpointBench.percentile(new long[] {7}, 90)).isEqualTo(7);
    assertThat(CheckpointBench.percentile(new long[0], 90)).isZero();
  }
}
