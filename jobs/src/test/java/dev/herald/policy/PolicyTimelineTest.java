package dev.herald.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.schema.MessageTag;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The platforms' rules as data: the rows shipped, and a loader that names what is wrong. */
class PolicyTimelineTest {

  @Test
  void theShippedTimelineHasItsFourPeriods() {
    PolicyTimeline t = PolicyTimeline.standard();
    assertThat(t.periods())
        .extracting(p -> p.from().toString())
        .containsExactly(
            Instant.MIN.toString(),
            "2023-08-10T00:00:00Z",
            "2025-09-01T00:00:00Z",
            "2026-04-27T00:00:00Z");
    PolicyRules start = t.rulesAt(Instant.parse("2021-01-01T00:00:00Z"));
    assertThat(start.standardWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(start.recurringDerivedExpiry()).isTrue();
    assertThat(start.recurringUserGap()).isNull();
    assertThat(start.retiredTags()).isEmpty();
    PolicyRules now = t.rulesAt(Instant.parse("2026-11-25T00:00:00Z"));
    assertThat(now.recurringDerivedExpiry()).isFalse();
    assertThat(now.recurringUserGap()).isEqualTo(Duration.ofHours(48));
    assertThat(now.retiredTags()).doesNotContain(MessageTag.HUMAN_AGENT).hasSize(3);
    assertThat(now.optinRequestLimits()).isEqualTo(start.optinRequestLimits());
  }

  @Test
  void aRowTakesEffectAtMidnightUtcOnItsDate() {
    PolicyTimeline t = PolicyTimeline.standard();
    assertThat(t.rulesAt(Instant.parse("2025-08-31T23:59:59.999Z")).recurringUserGap()).isNull();
    assertThat(t.rulesAt(Instant.parse("2025-09-01T00:00:00Z")).recurringUserGap()).isNotNull();
  }

  @Test
  void aBadTimelineFailsNamingTheRowAndSetting() {
    assertThatThrownBy(
            () -> load("{\"rows\":[{\"from\":null,\"change\":\"c\",\"source\":\"s\",\"set\":{}}]}"))
        .hasMessageStartingWith("policy timeline row 0: the first row must set '");
    assertThatThrownBy(
            () ->
                load(
                    "{\"rows\":[{\"from\":null,\"change\":\"c\",\"source\":\"s\","
                        + "\"set\":{\"standardWindw\":\"PT24H\"}}]}"))
        .hasMessage("policy timeline row 0: unknown setting 'standardWindw'");
    assertThatThrownBy(() -> load("{\"rows\":[]}"))
        .hasMessage("policy timeline: 'rows' must be a non-empty array");
  }

  private static PolicyTimeline load(String json) throws IOException {
    return PolicyTimeline.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }
}
