package dev.herald.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.policy.FrequencyCap;
import dev.herald.policy.PolicyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A scenario's config.json and input lines. */
class ScenarioTest {

  @Test
  void theFrequencyCapIsTheOnlySetting() throws IOException {
    assertThat(Scenario.parseConfig("{\"frequencyCap\":{\"max\":1,\"per\":\"PT24H\"}}", "c"))
        .isEqualTo(new PolicyConfig(new FrequencyCap(1, Duration.ofHours(24))));
    assertThat(Scenario.parseConfig("{}", "c")).isEqualTo(PolicyConfig.DEFAULT);
    assertThat(Scenario.parseConfig("{\"frequencyCap\":null}", "c"))
        .isEqualTo(PolicyConfig.DEFAULT);
  }

  @Test
  void unknownSettingsAreIgnoredLikeUnknownFields() throws IOException {
    assertThat(
            Scenario.parseConfig(
                "{\"frequencyCap\":{\"max\":2,\"per\":\"P7D\"},\"later\":true}", "c"))
        .isEqualTo(new PolicyConfig(new FrequencyCap(2, Duration.ofDays(7))));
  }

  @Test
  void aBadCapFailsNamingTheFile() {
    assertThatThrownBy(
            () -> Scenario.parseConfig("{\"frequencyCap\":{\"max\":1}}", "x/config.json"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("x/config.json: frequencyCap needs");
    assertThatThrownBy(
            () -> Scenario.parseConfig("{\"frequencyCap\":{\"max\":1,\"per\":\"1 day\"}}", "c"))
        .isInstanceOf(IOException.class)
        .hasMessage("c: frequencyCap.per is not a duration: 1 day");
  }

  @Test
  void inputLinesBecomeRecordsOrDeadLettersWithTheirLine() {
    ScenarioInput input =
        ScenarioInput.parse(
            ScenarioInput.lines(
                ("\uFEFF{\"type\":\"cancel\",\"campaign\":\"c\",\"at\":\"2021-05-01T00:00:00Z\"}\r\n"
                        + "\n"
                        + "{\"type\":\"cancel\",\"at\":\"2021-05-02T00:00:00Z\"}\n")
                    .getBytes(StandardCharsets.UTF_8)),
            "input.jsonl");
    assertThat(input.records()).hasSize(1);
    assertThat(input.deadLetters()).hasSize(2);
    assertThat(input.deadLetters().get(0).source()).isEqualTo("input.jsonl:2");
    assertThat(input.deadLetters().get(0).reason()).isEqualTo("empty record");
    assertThat(input.deadLetters().get(0).input()).isEmpty();
    assertThat(input.deadLetters().get(1).source()).isEqualTo("input.jsonl:3");
    assertThat(input.deadLetters().get(1).at()).hasToString("2021-05-02T00:00:00Z");
  }

  @Test
  void aLineThatIsNotUtf8IsADeadLetterShowingItsBytes() {
    byte[] line =
        "{\"type\":\"cancel\",\"campaign\":\"c-\u00ff\",\"at\":\"2021-05-01T00:00:00Z\"}"
            .getBytes(StandardCharsets.ISO_8859_1);

    ScenarioInput input = ScenarioInput.parse(List.of(line), "input.jsonl");

    assertThat(input.records()).isEmpty();
    assertThat(input.deadLetters()).hasSize(1);
    assertThat(input.deadLetters().get(0).reason()).startsWith("not valid UTF-8: byte 0xFF");
    assertThat(input.deadLetters().get(0).input()).contains("\"c-\\xFF\"");
    assertThat(input.deadLetters().get(0).at()).hasToString("2021-05-01T00:00:00Z");
  }
}
