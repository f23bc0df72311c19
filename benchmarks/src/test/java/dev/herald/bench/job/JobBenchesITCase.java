package dev.herald.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.connectors.kafka.local.LocalKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures 1, 4 and 6 at a tiny size on one broker: each bench runs the job through the rig to the
 * end and prints its FIGURE lines. The figures' values are not checked (targets are goals, not
 * assertions); that the runs complete is: the pacing run fails if the simulator's referee rejects a
 * message or a request does not end sent.
 */
class JobBenchesITCase {

  @TempDir static Path work;
  private static LocalKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = LocalKafka.start(work.resolve("kafka"), 0);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void ingest() {
    List<String> lines = run("ingest", IngestBench.flags(), IngestBench::run);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("FIGURE ingest: median ")
        .contains("events/s", "over 1 runs", "| limit median ", "| ratio ");
  }

  @Test
  void startLatency() {
    List<String> lines =
        run(
            "latency",
            StartLatencyBench.flags(),
            StartLatencyBench::run,
            "--checkpoint-interval",
            "PT1S");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("FIGURE start-latency: median ").contains("| ratio ");
    assertThat(lines.get(1)).startsWith("FIGURE start-latency-written: median ");
  }

  @Test
  void pacing() {
    List<String> lines = run("pacing", PacingBench.flags(), PacingBench::run);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("FIGURE pacing-rate-bound (R 200/s, L 300/s): median ");
    assertThat(lines.get(1)).startsWith("FIGURE pacing-rate-bound-peak ");
    assertThat(lines.get(2)).startsWith("FIGURE pacing-limit-bound (R 400/s, L 300/s): median ");
    assertThat(lines.get(3)).startsWith("FIGURE pacing-limit-bound-peak ");
  }

  /** Runs a bench with 500 users, one run, on the test's broker; returns its stdout lines. */
  private static List<String> run(
      String name,
      dev.herald.connectors.kafka.CommandFlags flags,
      RigFlags.Bench bench,
      String... extra) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--users",
                "500",
                "--runs",
                "1",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--work-dir",
                work.resolve(name).toString()));
    args.addAll(List.of(extra));
    int code =
        RigFlags.run(
            flags,
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            bench);
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    return text.lines().toList();
  }
}
