package dev.herald.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/herald run --duration 30} in-process, on any free ports: the local broker, the
 * simulator, the job on its embedded cluster with the Web UI and the Prometheus reporter, the demo
 * traffic and the sample campaigns. It must deliver, with no message the platform would refuse,
 * exit 0, and leave none of its ports open.
 */
class PipelineCommandITCase {

  @TempDir Path dataDir;

  @Test
  void runsForItsDurationDeliversWithinTheRulesAndStopsCleanly() throws Exception {
    DemoOptions options =
        DemoOptions.parse(
            new String[] {
              "--users", "300",
              "--events-per-second", "100",
              "--duration", "30",
              "--web-ui-port", "0",
              "--metrics-port", "0",
              "--simulator-port", "0",
              "--kafka-port", "0",
              "--data-dir", dataDir.toString()
            });
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PipelineCommand.Result result;
    try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
      result =
          PipelineCommand.run(options, PipelineCommand.runDir(options), out, new CountDownLatch(1));
    }
    String text = console.toString(StandardCharsets.UTF_8);
    System.out.println(text);

    assertThat(result.exitCode()).as(text).isZero();
    assertThat(result.totals().sends()).as("messages the simulator accepted").isPositive();
    assertThat(result.totals().rejections()).as("messages the platform would refuse").isZero();
    assertThat(result.totals().duplicates()).isZero();
    assertThat(result.totals().events()).isGreaterThan(1000);
    assertThat(text)
        .contains("Flink Web UI        http://127.0.0.1:")
        .contains("/metrics")
        .containsPattern("\\[00:(0[5-9]|[12]\\d)\\] in \\d+ ev/s \\| decided")
        .contains("published the sample campaigns")
        .contains("Summary after 00:30")
        .doesNotContain("Exception");
    assertThat(result.ports()).hasSize(4);
    for (int port : result.ports()) {
      assertThat(Pipeline.listening(port)).as("port %d still open", port).isFalse();
    }
  }
}
