package dev.herald.cli.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.RecordCodec;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DryRunCopyTest {

  private static final Instant NOW = Instant.parse("2026-05-03T12:00:00.123456Z");

  @Test
  void theCopyIsADryRunUnderItsOwnIdStartingNowWithoutRate() throws Exception {
    String json =
        "{\"type\":\"campaign\",\"id\":\"restock-42\",\"at\":\"2026-05-01T08:00:00Z\","
            + "\"channel\":\"messenger\",\"account\":\"page-1\","
            + "\"startAt\":\"2026-05-04T10:00:00Z\",\"endAt\":\"2026-05-05T10:00:00Z\","
            + "\"audience\":{\"allTags\":[\"started\"]},\"outsideWindow\":\"OTN\","
            + "\"topic\":\"restock\",\"message\":{\"text\":\"Back!\"},\"rate\":10}";
    DryRunCopy.Result copy = DryRunCopy.of(json, NOW);
    assertThat(copy.id()).isEqualTo("restock-42~estimate-" + NOW.toEpochMilli());
    ControlRecord.Campaign c =
        (ControlRecord.Campaign) RecordCodec.parseControl(copy.json()).value();
    assertThat(c.id()).isEqualTo(copy.id());
    assertThat(c.dryRun()).isTrue();
    assertThat(c.rate()).isNull();
    assertThat(c.start()).isEqualTo(Instant.parse("2026-05-03T12:00:00.123Z"));
    assertThat(c.endAt()).isEqualTo(Instant.parse("2026-05-05T10:00:00Z"));
    assertThat(c.audience()).isEqualTo(copy.original().audience());
    assertThat(c.topic()).isEqualTo("restock");
  }

  @Test
  void anEndAlreadyPastIsDroppedSoThatTheCopyDoesNotContradictItself() throws Exception {
    String json =
        "{\"type\":\"campaign\",\"id\":\"old\",\"at\":\"2026-04-01T08:00:00Z\","
            + "\"channel\":\"messenger\",\"account\":\"page-1\","
            + "\"endAt\":\"2026-04-02T08:00:00Z\",\"message\":{\"text\":\"Hi\"}}";
    JsonNode copy = new ObjectMapper().readTree(DryRunCopy.of(json, NOW).json());
    assertThat(copy.has("endAt")).isFalse();
    assertThat(copy.get("dryRun").asBoolean()).isTrue();
  }

  @Test
  void onlyACampaignCanBeEstimatedAndABadOneGetsTheCodecsReason() {
    assertThatThrownBy(
            () ->
                DryRunCopy.of(
                    "{\"type\":\"cancel\",\"campaign\":\"x\",\"at\":\"2026-05-03T11:00:00Z\"}",
                    NOW))
        .isInstanceOf(InvalidCampaignException.class)
        .hasMessageContaining("cancel");
    assertThatThrownBy(() -> DryRunCopy.of("{\"type\":\"campaign\"}", NOW))
        .isInstanceOf(InvalidCampaignException.class)
        .hasMessageContaining("id");
  }
}
