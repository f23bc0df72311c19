package dev.herald.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's options, defaults and messages. */
class SimulatorCommandTest {

  @Test
  void optionsBecomeTheConfig() {
    SimulatorConfig config =
        SimulatorCommand.config(
            SimulatorCommand.parse(
                new String[] {
                  "--port",
                  "0",
                  "--bootstrap-servers",
                  "localhost:9092",
                  "--topic-user-events=events",
                  "--messenger-per-second",
                  "50",
                  "--whatsapp-per-second",
                  "1000"
                }));

    assertThat(config.port()).isZero();
    assertThat(config.userEventsBootstrapServers()).isEqualTo("localhost:9092");
    assertThat(config.userEventsTopic()).isEqualTo("events");
    assertThat(config.messengerPerSecond()).isEqualTo(50);
    assertThat(config.whatsappPerSecond()).isEqualTo(1000);
  }

  @Test
  void withoutBootstrapServersThereIsNoReader() {
    Map<SimulatorCommand.Option, String> options = SimulatorCommand.parse(new String[0]);

    SimulatorConfig config = SimulatorCommand.config(options);

    assertThat(config.readsUserEvents()).isFalse();
    assertThat(config.port()).isEqualTo(8090);
    assertThat(config.messengerPerSecond()).isEqualTo(300);
  }

  @Test
  void helpAndBadOptions() {
    assertThat(SimulatorCommand.parse(new String[] {"--help"})).isNull();
    assertThatThrownBy(() -> SimulatorCommand.parse(new String[] {"--prot", "1"}))
        .hasMessage("Unknown option --prot");
    assertThatThrownBy(() -> SimulatorCommand.parse(new String[] {"--port"}))
        .hasMessage("--port needs a value: N");
    assertThatThrownBy(
            () -> SimulatorCommand.config(SimulatorCommand.parse(new String[] {"--port", "x"})))
        .hasMessage("--port needs a whole number, not x");
  }

  @Test
  void usageListsEveryOption() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SimulatorCommand.usage(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String usage = bytes.toString(StandardCharsets.UTF_8);
    for (SimulatorCommand.Option o : SimulatorCommand.Option.values()) {
      assertThat(usage).contains(o.flag);
    }
  }
}
