package dev.herald.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.job.replay.ReplayCluster;
import dev.herald.replay.Expectations;
import dev.herald.replay.Scenario;
import dev.herald.replay.ScenarioInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus ({@code scenarios/poison-*}) through the real job on an embedded cluster:
 * the job does not fail; exactly the lines {@code expected-dead-letters.txt} names are
 * dead-lettered, once each, from {@code input.jsonl:N}, with a reason that starts as written there
 * and the line as its input; nothing is set aside as a defect; and the decisions are the expected
 * ones ({@code bin/replay --check} compares them too, but never looks at dead letters).
 */
class PoisonScenariosITCase {

  private static ReplayCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new ReplayCluster(1, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  static List<Path> corpus() {
    return PoisonCorpus.folders();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void theJobDeadLettersExactlyTheListedLinesAndDecidesTheRest(Path dir) throws Exception {
    Scenario scenario = Scenario.load(dir);
    ReplayCluster.Output out = cluster.replay(scenario); // throws if the job failed

    Map<Integer, List<JsonNode>> byLine = new TreeMap<>();
    for (String line : out.deadLetters()) {
      JsonNode d = Checks.object(line);
      assertThat(d).as("a dead letter: %s", line).isNotNull();
      String source = d.path("source").asText();
      assertThat(source).as("its source: %s", line).matches("input\\.jsonl:\\d+");
      int n = Integer.parseInt(source.substring(source.indexOf(':') + 1));
      byLine.computeIfAbsent(n, k -> new ArrayList<>()).add(d);
    }
    Map<Integer, String> expected = PoisonCorpus.expectedDeadLetters(dir);
    assertThat(byLine.keySet()).isEqualTo(expected.keySet());
    List<byte[]> lines = scenario.inputLines();
    for (var e : expected.entrySet()) {
      List<JsonNode> letters = byLine.get(e.getKey());
      assertThat(letters).as("dead letters of line %d", e.getKey()).hasSize(1);
      JsonNode d = letters.get(0);
      assertThat(d.path("reason").asText()).as("line %d", e.getKey()).startsWith(e.getValue());
      String input = d.path("input").asText();
      byte[] line = lines.get(e.getKey() - 1);
      if (dev.herald.schema.Text.firstInvalidUtf8(line, 0, line.length) < 0 && line.length < 4096) {
        assertThat(input)
            .as("the input of line %d", e.getKey())
            .isEqualTo(new String(line, StandardCharsets.UTF_8));
      }
    }

    List<String> wanted =
        Files.readAllLines(dir.resolve(Scenario.EXPECTED), StandardCharsets.UTF_8);
    var records = ScenarioInput.parse(lines, Scenario.INPUT).records();
    assertThat(Expectations.compare(wanted, out.decisions(), Expectations.ratedCampaigns(records)))
        .isEmpty();
  }
}
