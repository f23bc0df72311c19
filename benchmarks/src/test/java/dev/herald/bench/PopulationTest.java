package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schema.ControlRecord;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PopulationTest {

  @Test
  void everyEventIsValidAndBeforeTheStart() {
    Population p = new Population(1_000);
    List<String> lines = new ArrayList<>();
    p.forEach(lines::add);
    assertThat(lines).hasSize((int) p.events());
    for (String line : lines) {
      var parsed = RecordCodec.parseUserEvent(line);
      assertThat(parsed.reason()).as(line).isNull();
      UserEvent e = parsed.value();
      assertThat(e.at()).isBefore(Population.START);
      assertThat(e.at()).isAfter(Population.START.minusSeconds(24 * 3600));
    }
  }

  @Test
  void halfTheUsersMatch() {
    Population p = new Population(7);
    List<String> lines = new ArrayList<>();
    p.forEach(lines::add);
    long matching =
        lines.stream().filter(l -> l.contains("\"" + Population.MATCH_TAG + "\"")).count();
    assertThat(matching).isEqualTo(p.matching()).isEqualTo(4);
  }

  @Test
  void theCampaignIsValid() {
    var parsed = RecordCodec.parseControl(Population.campaign("c1", Population.START, 0));
    assertThat(parsed.reason()).isNull();
    assertThat(((ControlRecord.Campaign) parsed.value()).rate()).isNull();
    var rated = RecordCodec.parseControl(Population.campaign("c2", Population.START, 250.0));
    assertThat(((ControlRecord.Campaign) rated.value()).rate()).isEqualTo(250.0);
  }

  @Test
  void summaryHasMedianLimitAndRatio() {
    Figure f = new Figure("ingest", "events/s");
    f.add(100, 400);
    f.add(300, 600);
    f.add(200, 500);
    assertThat(f.median()).isEqualTo(200);
    assertThat(f.summary("≥ 250 k/s"))
        .contains("median 200 events/s [min 100, max 300] over 3 runs")
        .contains("limit median 500 events/s [min 400, max 600]")
        .contains("ratio 0.40")
        .contains("target ≥ 250 k/s");
  }
}
