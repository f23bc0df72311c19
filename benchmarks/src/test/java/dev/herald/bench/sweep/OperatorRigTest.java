package dev.herald.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.bench.Population;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorRigTest {

  private static final MemorySize MEMORY = MemorySize.parse("64mb");
  private final Population population = new Population(100);

  @Test
  void aRatedCampaignSweepsEveryUserAndDecidesTheAudienceLater() throws Exception {
    try (OperatorRig rig = OperatorRig.start(MEMORY)) {
      rig.ingest(population, n -> {});
      assertThat(rig.scanUserRecords().entries()).isEqualTo(100);
      assertThat(rig.sweptUsers()).isZero();

      rig.publish(Population.campaign("c1", Population.START, 10));
      rig.advanceTo(Population.START);
      rig.runMailUntil(() -> rig.sweptUsers() >= 100, "every user swept");
      rig.runMailUntilIdle();
      assertThat(rig.sweptUsers()).isEqualTo(100);
      assertThat(rig.decisions()).isLessThan(population.matching());

      rig.advanceTo(Population.START.plusSeconds(3600));
      rig.runMailUntilIdle();
      assertThat(rig.decisions()).isEqualTo(population.matching());
      assertThat(rig.deadLetters()).isZero();
    }
  }

  @Test
  void aCampaignWithoutRateDecidesTheAudienceAtItsStart() throws Exception {
    try (OperatorRig rig = OperatorRig.start(MEMORY)) {
      rig.ingest(population, n -> {});
      rig.publish(Population.campaign("c1", Population.START, 0));
      rig.advanceTo(Population.START);
      rig.runMailUntil(() -> rig.decisions() >= population.matching(), "every decision");
      rig.runMailUntilIdle();
      assertThat(rig.decisions()).isEqualTo(population.matching());
      assertThat(rig.sendRequests()).isEqualTo(population.matching());
      assertThat(rig.sweptUsers()).isEqualTo(100);
    }
  }

  @Test
  void theIngestedStateIsKeptAndRestoredAsIngested(@TempDir Path dir) throws Exception {
    List<String> log = new ArrayList<>();
    try (OperatorRig rig = OperatorRig.withPopulation(population, MEMORY, dir, log::add)) {
      assertThat(rig.scanUserRecords().entries()).isEqualTo(100);
    }
    assertThat(log).anyMatch(l -> l.startsWith("ingest: 400 events of 100 users applied"));
    log.clear();
    try (OperatorRig rig = OperatorRig.withPopulation(population, MEMORY, dir, log::add)) {
      assertThat(log).singleElement().asString().startsWith("restored the state of 100 users");
      assertThat(rig.scanUserRecords().entries()).isEqualTo(100);
      rig.publish(Population.campaign("c1", Population.START, 0));
      rig.advanceTo(Population.START);
      rig.runMailUntil(() -> rig.decisions() >= population.matching(), "every decision");
      assertThat(rig.sweptUsers()).isEqualTo(100);
    }
  }

  @Test
  void waitingForWhatWillNotComeFailsInsteadOfHanging() throws Exception {
    try (OperatorRig rig = OperatorRig.start(MEMORY)) {
      rig.ingest(population, n -> {});
      assertThatThrownBy(() -> rig.runMailUntil(() -> rig.sweptUsers() > 0, "a sweep"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("a sweep is not reached: 0 users swept, 0 decisions");
    }
  }

  @Test
  void timersAloneFireOncePerAudienceMember() throws Exception {
    try (TimerRig timers = TimerRig.forAudience(population, 160, MEMORY)) {
      assertThat(timers.keys()).isEqualTo(population.matching());
      timers.arm(Population.START);
      assertThat(timers.fire(Population.START.minusMillis(1))).isZero();
      assertThat(timers.fire(Population.START)).isEqualTo(population.matching());
      assertThat(timers.fire(Population.START.plusSeconds(1))).isZero();
    }
  }
}
