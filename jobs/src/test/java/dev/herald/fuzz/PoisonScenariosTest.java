package dev.herald.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.policy.CampaignBook;
import dev.herald.policy.Policy;
import dev.herald.policy.PolicyTimeline;
import dev.herald.reference.ReferenceEngine;
import dev.herald.replay.Scenario;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus ({@code scenarios/poison-*}) without Flink: the lines its {@code
 * expected-dead-letters.txt} names are exactly those the codec rejects or the campaign book
 * refuses, each with a reason that starts as written there. {@code PoisonScenariosITCase} replays
 * the same folders through the job; {@code ScenariosThroughCoreTest} and {@code bin/replay --check}
 * compare their decisions.
 */
class PoisonScenariosTest {

  static Stream<Path> corpus() {
    return PoisonCorpus.folders().stream();
  }

  @Test
  void theCorpusHasAFolderForEachKindOfBadInput() {
    assertThat(corpus().map(p -> p.getFileName().toString()))
        .containsExactly("poison-encoding", "poison-json", "poison-time");
    corpus()
        .forEach(
            d -> {
              assertThat(d.resolve(Scenario.EXPECTED)).isRegularFile();
              assertThat(d.resolve(PoisonCorpus.DEAD_LETTERS)).isRegularFile();
              assertThat(d.resolve("README.md")).isRegularFile();
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void exactlyTheListedLinesAreDeadLetteredWithTheirReasons(Path dir) throws IOException {
    Scenario scenario = Scenario.load(dir);
    List<byte[]> lines = scenario.inputLines();
    Map<Integer, String> reasons = new TreeMap<>();
    List<InputRecord> records = new ArrayList<>();
    List<Integer> lineOf = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Parsed<InputRecord> p = RecordCodec.parse(lines.get(i));
      if (p.isOk()) {
        records.add(p.value());
        lineOf.add(i + 1);
      } else {
        reasons.put(i + 1, DeadLetter.ofBytes(p.at(), "", p.reason(), lines.get(i)).reason());
      }
    }
    ReferenceEngine.Result result =
        ReferenceEngine.run(records, new Policy(PolicyTimeline.standard(), scenario.config()));
    for (CampaignBook.Rejection x : result.rejections()) {
      int record = Integer.parseInt(x.origin().replace("record ", ""));
      reasons.put(lineOf.get(record - 1), x.reason());
    }

    Map<Integer, String> expected = PoisonCorpus.expectedDeadLetters(dir);
    assertThat(reasons.keySet()).isEqualTo(expected.keySet());
    expected.forEach((n, prefix) -> assertThat(reasons.get(n)).as("line %d", n).startsWith(prefix));
    // valid records are mixed in with the bad ones
    assertThat(records).hasSizeGreaterThanOrEqualTo(4);
  }
}
