package dev.herald.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /counters} and {@code GET /metrics}. */
class CountersEndpointTest {

  private final MutableClock clock = new MutableClock("2026-05-01T12:00:00Z");
  private ChannelSimulator simulator;
  private Client client;

  @BeforeEach
  void start() throws Exception {
    simulator =
        ChannelSimulator.start(
            SimulatorConfig.builder().clock(clock).messengerPerSecond(2).build());
    client = new Client(simulator);
    simulator
        .referee()
        .accept(
            Client.interaction("messenger", "page-1", "u-1", "2026-05-01T11:00:00Z", "message"));
    client.messenger("page-1", Client.text("u-1", "UPDATE"));
    client.messenger("page-1", Client.text("u-1", "UPDATE"));
    client.messenger("page-1", Client.text("u-1", "UPDATE")); // throttled
    client.messenger("page-1", "{}"); // invalid
    client.whatsapp("wa-1", Client.waText("4915")); // outside the window
    client.whatsapp("wa-1", Client.waTemplate("4915"));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void countersAreServedAsJson() {
    Client.Reply reply = client.get("/counters");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode json = reply.body();
    assertThat(json.path("received").asLong()).isEqualTo(6);
    assertThat(json.path("accepted").asLong()).isEqualTo(3);
    assertThat(json.path("rejections").asLong()).isEqualTo(1);
    assertThat(json.path("rejectionsByCode").path("131047").asLong()).isEqualTo(1);
    assertThat(json.path("throttled").asLong()).isEqualTo(1);
    assertThat(json.path("invalidPayloads").asLong()).isEqualTo(1);
    assertThat(json.path("accounts").path("page-1").path("accepted").asLong()).isEqualTo(2);
    assertThat(json.path("accounts").path("page-1").path("maxInAnyOneSecond").asInt()).isEqualTo(2);
    assertThat(json.path("accounts").path("page-1").path("limit").asInt()).isEqualTo(2);
    assertThat(json.path("accounts").path("wa-1").path("limit").asInt()).isEqualTo(80);
  }

  @Test
  void theSnapshotMatchesTheJson() throws Exception {
    Counters counters = simulator.counters();

    assertThat(Client.JSON.treeToValue(client.get("/counters").body(), Counters.class))
        .isEqualTo(counters);
  }

  @Test
  void metricsAreServedInThePrometheusTextFormat() {
    Client.Reply reply = client.get("/metrics");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text())
        .contains("# TYPE herald_simulator_received_total counter\n")
        .contains("herald_simulator_received_total{channel=\"messenger\",account=\"page-1\"} 4\n")
        .contains("herald_simulator_accepted_total{channel=\"whatsapp\",account=\"wa-1\"} 1\n")
        .contains(
            "herald_simulator_rejections_total{channel=\"whatsapp\",account=\"wa-1\","
                + "code=\"131047\"} 1\n")
        .contains("herald_simulator_throttled_total{channel=\"messenger\",account=\"page-1\"} 1\n")
        .contains("# TYPE herald_simulator_max_in_any_one_second gauge\n")
        .contains(
            "herald_simulator_max_in_any_one_second{channel=\"messenger\",account=\"page-1\"} 2\n")
        .contains("herald_simulator_limit_per_second{channel=\"whatsapp\",account=\"wa-1\"} 80\n");
  }

  @Test
  void labelValuesAreEscaped() {
    assertThat(Metrics.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
  }

  @Test
  void otherPathsAreNotFound() {
    assertThat(client.get("/countersx").status()).isEqualTo(404);
  }
}
