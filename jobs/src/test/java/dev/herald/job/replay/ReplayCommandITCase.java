package dev.herald.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three forms of {@code bin/replay}, run in-process, as the wire contract specifies them. */
class ReplayCommandITCase {

  private static final Path EXAMPLES =
      Path.of("..", "conformance", "examples").toAbsolutePath().normalize();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return new ReplayCommand(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private List<String> stdout() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void aDirectoryPrintsItsDecisionsSortedAndOnlyThem() throws Exception {
    assertThat(run(EXAMPLES.resolve("otn-tokens").toString())).isZero();
    List<String> lines = stdout();
    assertThat(lines).hasSize(9);
    assertThat(lines).allMatch(l -> l.startsWith("{\"campaign\":\"restock-"));
    assertThat(lines.get(0))
        .contains("\"user\":\"u-fresh\"")
        .contains("\"at\":\"2021-06-10T11:00:00Z\"");
    assertThat(lines.get(8)).contains("\"campaign\":\"restock-3\"").contains("\"user\":\"u-two\"");
  }

  @Test
  void checkReportsEachScenarioAndTheTotal(@TempDir Path root) throws Exception {
    copy(EXAMPLES.resolve("window-basics"), root.resolve("good"));
    copy(EXAMPLES.resolve("window-basics"), root.resolve("bad"));
    Path expected = root.resolve("bad/expected.jsonl");
    Files.writeString(
        expected,
        Files.readString(expected)
            .replace(
                "\"u-in\",\"at\":\"2021-05-03T10:00:00Z\",\"outcome\":\"SEND\",\"basis\":\"STANDARD_WINDOW\"",
                "\"u-in\",\"at\":\"2021-05-03T10:00:00Z\",\"outcome\":\"SEND\",\"basis\":\"OTN\""));
    Files.createDirectories(root.resolve("no-expected-file"));

    assertThat(run("--check", root.toString())).isEqualTo(1);
    List<String> lines = stdout();
    assertThat(lines.get(0)).isEqualTo("FAIL bad");
    assertThat(lines).contains("PASS good");
    assertThat(String.join("\n", lines))
        .contains(
            "messenger/page-1/u-in finish-lead: expected {at=2021-05-03T10:00:00Z outcome=SEND reason=null basis=OTN")
        .contains(
            "messenger/page-1/u-in finish-lead: got {at=2021-05-03T10:00:00Z outcome=SEND reason=null basis=STANDARD_WINDOW");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("1 passed, 1 failed");
  }

  @Test
  void outWritesAFolderPerScenario(@TempDir Path outRoot) throws Exception {
    assertThat(
            run(
                "--out",
                outRoot.toString(),
                EXAMPLES.resolve("reminder-breadcrumb").toString(),
                EXAMPLES.resolve("window-basics").toString()))
        .isZero();
    assertThat(Files.readAllLines(outRoot.resolve("reminder-breadcrumb/decisions.jsonl")))
        .hasSize(2);
    assertThat(Files.readAllLines(outRoot.resolve("window-basics/decisions.jsonl"))).hasSize(3);
    assertThat(Files.readAllLines(outRoot.resolve("window-basics/dead-letters.jsonl"))).isEmpty();
    assertThat(Files.readAllLines(outRoot.resolve("window-basics/send-requests.jsonl"))).hasSize(1);
    assertThat(stdout()).isEmpty();
  }

  @Test
  void badUsageExitsWithTwo() throws Exception {
    assertThat(run("--check")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: bin/replay DIR");
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (String f : List.of("input.jsonl", "expected.jsonl")) {
      Files.copy(from.resolve(f), to.resolve(f));
    }
  }
}
