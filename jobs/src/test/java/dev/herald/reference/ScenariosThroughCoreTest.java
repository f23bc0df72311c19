package dev.herald.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.policy.Policy;
import dev.herald.policy.PolicyTimeline;
import dev.herald.replay.DecisionOrder;
import dev.herald.replay.Expectations;
import dev.herald.replay.Scenario;
import dev.herald.replay.ScenarioInput;
import dev.herald.schema.Decision;
import dev.herald.schema.RecordCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives the policy core, without Flink, with the worked examples ({@code conformance/examples})
 * and the project's scenario suite ({@code scenarios}), in event-time order, and compares the
 * decisions with the expected ones the way {@code bin/replay --check} does.
 */
class ScenariosThroughCoreTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path EXAMPLES = ROOT.resolve("conformance/examples");
  static final Path SUITE = ROOT.resolve("scenarios");

  static Stream<Path> examples() throws IOException {
    return folders(EXAMPLES);
  }

  static Stream<Path> suite() throws IOException {
    return folders(SUITE);
  }

  private static Stream<Path> folders(Path root) throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.filter(d -> Files.isRegularFile(d.resolve(Scenario.EXPECTED))).sorted().forEach(dirs::add);
    }
    return dirs.stream();
  }

  @Test
  void theFourWorkedExamplesArePresent() throws IOException {
    assertThat(examples().map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder(
            "otn-tokens", "recurring-weekly", "reminder-breadcrumb", "window-basics");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void workedExample(Path dir) throws IOException {
    assertThat(differences(dir)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("suite")
  void suiteScenario(Path dir) throws IOException {
    assertThat(differences(dir)).isEmpty();
  }

  static List<String> differences(Path dir) throws IOException {
    Scenario scenario = Scenario.load(dir);
    ScenarioInput input = ScenarioInput.parse(scenario.inputLines(), Scenario.INPUT);
    ReferenceEngine.Result result =
        ReferenceEngine.run(
            input.records(), new Policy(PolicyTimeline.standard(), scenario.config()));
    List<Decision> decisions = new ArrayList<>(result.decisions());
    decisions.sort(DecisionOrder.ORDER);
    List<String> actual = decisions.stream().map(RecordCodec::write).toList();
    List<String> expected =
        Files.readAllLines(dir.resolve(Scenario.EXPECTED), StandardCharsets.UTF_8);
    return Expectations.compare(expected, actual, Expectations.ratedCampaigns(input.records()));
  }
}
