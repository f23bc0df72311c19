package dev.herald.bench.micro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhSummaryTest {

  @Test
  void everyBenchmarkGetsItsMedianOverAllIterations(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("jmh.json");
    Files.writeString(
        json,
        """
        [{"benchmark":"dev.herald.bench.micro.CodecBench.parseUserEvent","params":{"kind":"tag"},
          "primaryMetric":{"score":2.0,"scoreUnit":"ops/s","rawData":[[100.0,300.0],[200.0]]}},
         {"benchmark":"dev.herald.bench.micro.PolicyBench.decideInWindow",
          "primaryMetric":{"score":5.0,"scoreUnit":"ops/s","rawData":[[5.0,6.0,4.0]]}}]
        """);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      JmhSummary.main(new String[] {json.toString()});
    } finally {
      System.setOut(stdout);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains(
            "FIGURE jmh CodecBench.parseUserEvent kind=tag: median 200 ops/s [min 100, max 300]"
                + " over 3 runs")
        .contains("FIGURE jmh PolicyBench.decideInWindow: median 5.00 ops/s [min 4.00, max 6.00]");
  }
}
