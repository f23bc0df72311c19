package dev.herald.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-account throughput limit and WhatsApp's pair rate, on a clock the test moves. */
class LimitsTest {

  private final MutableClock clock = new MutableClock("2026-05-01T12:00:00Z");
  private ChannelSimulator simulator;
  private Client client;

  private void start(SimulatorConfig.Builder config) throws Exception {
    simulator = ChannelSimulator.start(config.clock(clock).build());
    client = new Client(simulator);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void exactlyNCallsAreAcceptedInOneSecondAndTheNextIsThrottledWith613() throws Exception {
    start(SimulatorConfig.builder().messengerPerSecond(5));
    openWindow("page-1", "u-1");

    for (int i = 0; i < 5; i++) {
      assertThat(client.messenger("page-1", Client.text("u-1", "UPDATE")).status()).isEqualTo(200);
    }
    clock.advance(Duration.ofMillis(999));
    Client.Reply sixth = client.messenger("page-1", Client.text("u-1", "UPDATE"));

    assertThat(sixth.status()).isEqualTo(429);
    assertThat(sixth.code()).isEqualTo(613);
    Counters counters = simulator.counters();
    assertThat(counters.throttled()).isEqualTo(1);
    assertThat(counters.accepted()).isEqualTo(5);
    assertThat(counters.account("page-1")).isEqualTo(new AccountCounters(5, 5, 5));
  }

  @Test
  void aSecondAfterTheFirstCallTheWindowHasRoomAgain() throws Exception {
    start(SimulatorConfig.builder().messengerPerSecond(3));
    openWindow("page-1", "u-1");
    for (int i = 0; i < 3; i++) {
      client.messenger("page-1", Client.text("u-1", "UPDATE"));
    }
    assertThat(client.messenger("page-1", Client.text("u-1", "UPDATE")).status()).isEqualTo(429);

    clock.advance(Duration.ofSeconds(1));

    assertThat(client.messenger("page-1", Client.text("u-1", "UPDATE")).status()).isEqualTo(200);
    assertThat(simulator.counters().account("page-1").accepted()).isEqualTo(4);
  }

  @Test
  void theWindowSlidesToTheMillisecond() throws Exception {
    start(SimulatorConfig.builder().messengerPerSecond(2));
    openWindow("page-1", "u-1");
    client.messenger("page-1", Client.text("u-1", "UPDATE")); // at 0 ms
    clock.advance(Duration.ofMillis(500));
    client.messenger("page-1", Client.text("u-1", "UPDATE")); // at 500 ms
    clock.advance(Duration.ofMillis(499));
    assertThat(client.messenger("page-1", Client.text("u-1", "UPDATE")).status()).isEqualTo(429);

    clock.advance(Duration.ofMillis(1)); // at 1000 ms the call at 0 ms has left the window
    assertThat(client.messenger("page-1", Client.text("u-1", "UPDATE")).status()).isEqualTo(200);
    // ... but the one at 500 ms has not
    assertThat(client.messenger("page-1", Client.text("u-1", "UPDATE")).status()).isEqualTo(429);
  }

  @Test
  void whatsappIsLimitedPerAccountWith130429AndOverridesApplyPerAccount() throws Exception {
    start(SimulatorConfig.builder().whatsappPerSecond(2).accountPerSecond("wa-big", 3));

    for (int i = 0; i < 2; i++) {
      assertThat(client.whatsapp("wa-1", Client.waTemplate("49" + i)).status()).isEqualTo(200);
    }
    Client.Reply over = client.whatsapp("wa-1", Client.waTemplate("499"));
    for (int i = 0; i < 3; i++) {
      assertThat(client.whatsapp("wa-big", Client.waTemplate("49" + i)).status()).isEqualTo(200);
    }

    assertThat(over.status()).isEqualTo(429);
    assertThat(over.code()).isEqualTo(130429);
    assertThat(client.whatsapp("wa-big", Client.waTemplate("499")).status()).isEqualTo(429);
    assertThat(simulator.counters().account("wa-1")).isEqualTo(new AccountCounters(2, 2, 2));
    assertThat(simulator.counters().account("wa-big")).isEqualTo(new AccountCounters(3, 3, 3));
  }

  @Test
  void theDefaultLimitsAre300And80() throws Exception {
    start(SimulatorConfig.builder());
    openWindow("page-1", "u-1");

    client.messenger("page-1", Client.text("u-1", "UPDATE"));
    client.whatsapp("wa-1", Client.waTemplate("4915"));

    assertThat(simulator.counters().account("page-1").limit()).isEqualTo(300);
    assertThat(simulator.counters().account("wa-1").limit()).isEqualTo(80);
  }

  @Test
  void aSecondWhatsappMessageToOneUserWaitsSixSeconds() throws Exception {
    start(SimulatorConfig.builder());
    assertThat(client.whatsapp("wa-1", Client.waTemplate("4915")).status()).isEqualTo(200);

    clock.advance(Duration.ofMillis(5_999));
    Client.Reply tooSoon = client.whatsapp("wa-1", Client.waTemplate("4915"));
    Client.Reply otherUser = client.whatsapp("wa-1", Client.waTemplate("4916"));
    clock.advance(Duration.ofMillis(1));
    Client.Reply onTime = client.whatsapp("wa-1", Client.waTemplate("4915"));

    assertThat(tooSoon.status()).isEqualTo(400);
    assertThat(tooSoon.code()).isEqualTo(131056);
    assertThat(otherUser.status()).isEqualTo(200);
    assertThat(onTime.status()).isEqualTo(200);
    assertThat(simulator.counters().pairThrottled()).isEqualTo(1);
    assertThat(simulator.counters().accepted()).isEqualTo(3);
  }

  @Test
  void thePairIntervalCountsFromTheLastAcceptedMessage() throws Exception {
    start(SimulatorConfig.builder().pairInterval(Duration.ofSeconds(2)));
    client.whatsapp("wa-1", Client.waTemplate("4915"));
    clock.advance(Duration.ofSeconds(1));
    // refused: does not restart the interval
    assertThat(client.whatsapp("wa-1", Client.waTemplate("4915")).status()).isEqualTo(400);

    clock.advance(Duration.ofSeconds(1));

    assertThat(client.whatsapp("wa-1", Client.waTemplate("4915")).status()).isEqualTo(200);
  }

  @Test
  void maxInAnyOneSecondFindsTheBusiestSlidingSecond() throws Exception {
    start(SimulatorConfig.builder());
    openWindow("page-1", "u-1");
    // 3 calls at 0 ms, 2 at 600 ms, 3 at 1500 ms: the busiest second is (500, 1500] with 5.
    send(3);
    clock.advance(Duration.ofMillis(600));
    send(2);
    clock.advance(Duration.ofMillis(900));
    send(3);
    clock.advance(Duration.ofSeconds(10));
    send(1);

    assertThat(simulator.counters().account("page-1"))
        .isEqualTo(new AccountCounters(9, 5, SimulatorConfig.MESSENGER_PER_SECOND));
  }

  private void send(int calls) {
    for (int i = 0; i < calls; i++) {
      assertThat(client.messenger("page-1", Client.text("u-1", "UPDATE")).status()).isEqualTo(200);
    }
  }

  private void openWindow(String account, String user) {
    simulator
        .referee()
        .accept(
            Client.interaction("messenger", account, user, clock.instant().toString(), "message"));
  }
}
