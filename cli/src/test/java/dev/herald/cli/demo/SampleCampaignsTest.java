package dev.herald.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schema.ControlRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleCampaignsTest {

  @Test
  void theFiveSampleCampaignsAreValidRecordsStartingAfterTheyArePublished() {
    Instant now = Instant.parse("2026-11-30T12:00:00Z");
    List<String> records = SampleCampaigns.at(now);
    assertThat(records).hasSize(5);
    List<ControlRecord> parsed =
        records.stream()
            .map(
                json -> {
                  Parsed<ControlRecord> p = RecordCodec.parseControl(json);
                  assertThat(p.reason()).as(json).isNull();
                  return p.value();
                })
            .toList();
    assertThat(parsed)
        .filteredOn(r -> r instanceof ControlRecord.Campaign)
        .extracting(r -> ((ControlRecord.Campaign) r).id())
        .containsExactly("weekend-sale", "restock", "weekly-deals", "order-update");
    assertThat(parsed)
        .filteredOn(r -> r instanceof ControlRecord.Reminder)
        .extracting(r -> ((ControlRecord.Reminder) r).id())
        .containsExactly("finish-signup");
    assertThat(records.get(0)).contains("\"startAt\":\"2026-11-30T12:00:02Z\"");
    assertThat(records.get(1)).contains("\"outsideWindow\":\"OTN\"").contains("\"variants\"");
    assertThat(records.get(2)).contains("\"outsideWindow\":\"RECURRING\"").contains("\"rate\":20");
    assertThat(records.get(3))
        .contains("\"outsideWindow\":\"TEMPLATE\"")
        .contains("\"category\":\"UTILITY\"");
  }
}
