package dev.herald.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.policy.FrequencyCap;
import dev.herald.policy.PolicyConfig;
import java.io.IOException;
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
            List.of(
                "\uFEFF{\"type\":\"cancel\",\"campaign\":\"c\",\"at\":\"2021-05-01T00:00:00Z\"}",
                "",
                "{\"type\":\"cancel\",\"at\":\"2021-05-02T00:00:00Z\"}"),
            "input.jsonl");
    assertThat(input.records()).hasSize(1);
    assertThat(input.deadLetters()).hasSize(1);
    assertThat(input.deadLetters().get(0).source()).isEqualTo("input.jsonl:3");
    assertThat(input.deadLetters().get(0).at()).hasToString("2021-05-02T00:00:00Z");
  }
}
