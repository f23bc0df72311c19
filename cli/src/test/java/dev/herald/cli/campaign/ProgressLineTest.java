package dev.herald.cli.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  @Test
  void showsDecidedOfAudienceAsABarWithTheRatesAndAnEtaFromTheCampaignsRate() {
    assertThat(ProgressLine.format(120, 480, "estimate x~estimate-1", 9.84, 10))
        .isEqualTo(
            "[#######.......................] 120/480 (25%) rate 9.8/s (set 10/s) ETA 36s"
                + " · audience from estimate x~estimate-1");
  }

  @Test
  void beforeARateIsSeenItShowsADashAndAFractionalRateAsWritten() {
    assertThat(ProgressLine.format(0, 1000, "--audience", -1, 2.5))
        .isEqualTo(
            "[..............................] 0/1000 (0%) rate -/s (set 2.5/s) ETA 6m40s"
                + " · audience from --audience");
  }

  @Test
  void moreDecidedThanTheEstimateKeepsTheBarFullAndSaysDone() {
    assertThat(ProgressLine.format(510, 500, "--audience", 10, 10))
        .startsWith("[" + "#".repeat(30) + "] 510/500 (100%)")
        .contains("ETA done");
  }

  @Test
  void withoutAnAudienceThereIsNoBarAndNoEta() {
    assertThat(ProgressLine.format(7, 0, "nowhere", 1.0, 5))
        .isEqualTo("7 decided, audience unknown rate 1.0/s (set 5/s)");
  }

  @Test
  void clockRoundsUpToTheSecondAndGrowsUnits() {
    assertThat(ProgressLine.clock(Duration.ofMillis(100))).isEqualTo("1s");
    assertThat(ProgressLine.clock(Duration.ofSeconds(185))).isEqualTo("3m05s");
    assertThat(ProgressLine.clock(Duration.ofMinutes(127))).isEqualTo("2h07m");
  }
}
