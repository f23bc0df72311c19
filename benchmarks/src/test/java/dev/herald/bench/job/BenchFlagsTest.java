package dev.herald.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.connectors.kafka.CommandFlags;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The mains' frame: help, bad flags and exit codes, without starting anything. */
class BenchFlagsTest {

  private static final List<CommandFlags> ALL =
      List.of(IngestBench.flags(), StartLatencyBench.flags(), PacingBench.flags());

  @Test
  void helpListsTheFlagsAndRunsNothing() {
    for (CommandFlags flags : ALL) {
      AtomicBoolean ran = new AtomicBoolean();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code =
          RigFlags.run(
              flags,
              new String[] {"--help"},
              new PrintStream(out, true, StandardCharsets.UTF_8),
              (f, o) -> ran.set(true));
      assertThat(code).isZero();
      assertThat(ran).isFalse();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .startsWith("usage: bin/bench ")
          .contains("--users", "--runs", "--bootstrap-servers", "--work-dir");
    }
  }

  @Test
  void aBadFlagExitsWithTwo() {
    for (CommandFlags flags : ALL) {
      int code = RigFlags.run(flags, new String[] {"--userz", "5"}, System.out, (f, o) -> {});
      assertThat(code).isEqualTo(2);
    }
  }

  @Test
  void aBadValueExitsWithTwoBeforeAnythingStarts() {
    int code =
        RigFlags.run(
            PacingBench.flags(),
            new String[] {"--limit", "100", "--rate-below", "150"},
            System.out,
            PacingBench::run);
    assertThat(code).isEqualTo(2);
    assertThat(
            RigFlags.run(
                IngestBench.flags(), new String[] {"--users", "0"}, System.out, IngestBench::run))
        .isEqualTo(2);
  }

  @Test
  void aFailureExitsWithOne() {
    int code =
        RigFlags.run(
            IngestBench.flags(),
            new String[0],
            System.out,
            (f, o) -> {
              throw new IllegalStateException("broken on purpose");
            });
    assertThat(code).isEqualTo(1);
  }
}
