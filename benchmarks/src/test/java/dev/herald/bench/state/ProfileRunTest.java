package dev.herald.bench.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileRunTest {

  private static String run(String phase, Path jfr) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      ProfileRun.run(phase, 200, 1, jfr, 5);
    } finally {
      System.setOut(stdout);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theParsePhaseIsTimedAndProfiled(@TempDir Path dir) throws Exception {
    String out = run("parse", dir.resolve("parse.jfr"));
    assertThat(out)
        .contains("PROFILE profile parse (wall clock): median ")
        .contains("PROFILE profile parse (CPU time): median ")
        .contains(" events/s ");
    assertThat(out).contains("top self").contains("top total").contains("top allocation sites");
    assertThat(dir.resolve("parse.jfr")).isNotEmptyFile();
  }

  @Test
  void everyOperatorPhaseRuns() throws Exception {
    assertThat(run("ingest", null)).contains("PROFILE profile ingest (CPU time): median ");
    assertThat(run("sweep", null)).contains(" users/s ");
    // decide checks that every user was decided, or throws
    assertThat(run("decide", null)).contains(" decisions/s ");
  }
}
