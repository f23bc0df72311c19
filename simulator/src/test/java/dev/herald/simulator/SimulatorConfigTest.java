package dev.herald.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder's defaults and the messages of its checks. */
class SimulatorConfigTest {

  @Test
  void defaultsAreThePlatformsLimits() {
    SimulatorConfig config = SimulatorConfig.builder().build();

    assertThat(config.messengerPerSecond()).isEqualTo(300);
    assertThat(config.whatsappPerSecond()).isEqualTo(80);
    assertThat(config.pairInterval()).isEqualTo(Duration.ofSeconds(6));
    assertThat(config.catchUpWait()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.readsUserEvents()).isFalse();
    assertThat(config.port()).isZero();
  }

  @Test
  void badSettingsFailWithAMessageNamingTheSetting() {
    assertThatThrownBy(() -> SimulatorConfig.builder().messengerPerSecond(0).build())
        .hasMessage("messengerPerSecond must be positive, not 0");
    assertThatThrownBy(() -> SimulatorConfig.builder().accountPerSecond("wa-1", -1).build())
        .hasMessage("accountPerSecond for account wa-1 must be positive, not -1");
    assertThatThrownBy(() -> SimulatorConfig.builder().port(70_000).build())
        .hasMessage("port must be 0 (any free port) or 1-65535, not 70000");
    assertThatThrownBy(() -> SimulatorConfig.builder().pairInterval(Duration.ZERO).build())
        .hasMessage("pairInterval must be positive, not PT0S");
    assertThatThrownBy(() -> SimulatorConfig.builder().userEvents("localhost:9092", null).build())
        .hasMessageStartingWith("userEvents needs both bootstrap servers and a topic, or neither");
    assertThatThrownBy(() -> SimulatorConfig.builder().token("page-1", "two words").build())
        .hasMessage("the token for account page-1 must be non-empty and without spaces");
    assertThatThrownBy(() -> SimulatorConfig.builder().catchUpWait(Duration.ofSeconds(-1)).build())
        .hasMessage("catchUpWait must be zero or positive, not PT-1S");
  }
}
