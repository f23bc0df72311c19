package dev.herald.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each kind of injected fault, and that none of them counts as a rejection. */
class FaultsTest {

  private final MutableClock clock = new MutableClock("2026-05-01T12:00:00Z");
  private ChannelSimulator simulator;
  private Client client;

  @BeforeEach
  void start() throws Exception {
    simulator = ChannelSimulator.start(SimulatorConfig.builder().clock(clock).seed(7).build());
    client = new Client(simulator);
    simulator
        .referee()
        .accept(
            Client.interaction("messenger", "page-1", "u-1", "2026-05-01T11:00:00Z", "message"));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void failNextAnswersTheNextCallsOfThatAccountWithTheGivenError() {
    simulator.faults().failNext("page-1", 2, 400, 368, 1390008L);

    Client.Reply first = client.messenger("page-1", Client.text("u-1", "UPDATE"));
    Client.Reply otherAccount = client.whatsapp("wa-1", Client.waTemplate("4915"));
    Client.Reply second = client.messenger("page-1", Client.text("u-1", "UPDATE"));
    Client.Reply third = client.messenger("page-1", Client.text("u-1", "UPDATE"));

    assertThat(first.status()).isEqualTo(400);
    assertThat(first.code()).isEqualTo(368);
    assertThat(first.subcode()).isEqualTo(1390008L);
    assertThat(first.body().path("error").path("type").asText()).isEqualTo("OAuthException");
    assertThat(first.body().path("error").path("fbtrace_id").asText()).isNotEmpty();
    assertThat(second.code()).isEqualTo(368);
    assertThat(otherAccount.status()).isEqualTo(200);
    assertThat(third.status()).isEqualTo(200);
    Counters counters = simulator.counters();
    assertThat(counters.injectedFaults()).isEqualTo(2);
    assertThat(counters.rejections()).isZero();
    assertThat(counters.received()).isEqualTo(4);
  }

  @Test
  void faultsComeBeforeTheRefereeAndTheLimits() {
    simulator.faults().failNext("page-1", 1, 429, 613, null);

    // Outside any window: the referee would refuse it, but the fault answers first.
    Client.Reply reply = client.messenger("page-1", Client.text("stranger", "UPDATE"));

    assertThat(reply.code()).isEqualTo(613);
    assertThat(simulator.counters().rejections()).isZero();
    assertThat(simulator.counters().throttled()).isZero();
  }

  @Test
  void serverErrorsAtRateOneAnswerEveryCallWithTheApisTransientError() {
    simulator.faults().serverErrors(1.0, 503);

    Client.Reply messenger = client.messenger("page-1", Client.text("u-1", "UPDATE"));
    Client.Reply whatsapp = client.whatsapp("wa-1", Client.waTemplate("4915"));

    assertThat(messenger.status()).isEqualTo(503);
    assertThat(messenger.code()).isEqualTo(2);
    assertThat(whatsapp.status()).isEqualTo(503);
    assertThat(whatsapp.code()).isEqualTo(131000);
    assertThat(simulator.counters().injectedFaults()).isEqualTo(2);
  }

  @Test
  void randomServerErrorsRepeatWithTheSeed() {
    simulator.faults().serverErrors(0.5, 500);
    List<Integer> firstRun = statuses(40);
    simulator.faults().clear();
    simulator.faults().serverErrors(0.5, 500);
    List<Integer> secondRun = statuses(40);

    assertThat(firstRun).contains(200, 500);
    assertThat(secondRun).isEqualTo(firstRun);
  }

  @Test
  void clearEndsEveryFault() {
    simulator.faults().failNext("page-1", 3, 500, 2, null);
    simulator.faults().serverErrors(1.0, 500);
    simulator.faults().timeouts(1.0, Duration.ofMinutes(1));

    simulator.faults().clear();

    assertThat(client.messenger("page-1", Client.text("u-1", "UPDATE")).status()).isEqualTo(200);
  }

  @Test
  void aTimeoutHoldsTheCallAndClosesItWithoutAnAnswer() throws Exception {
    simulator.faults().timeouts(1.0, Duration.ofMillis(200));
    long started = System.nanoTime();

    assertThatThrownBy(() -> client.raw(request(Client.text("u-1", "UPDATE"))))
        .isInstanceOf(IOException.class);

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(simulator.counters().injectedFaults()).isEqualTo(1);
    assertThat(simulator.counters().accepted()).isZero();
  }

  @Test
  void latencyDelaysTheAnswerButNotTheDecision() throws Exception {
    simulator.faults().latency(Duration.ofMillis(300));
    long started = System.nanoTime();

    HttpResponse<String> response = client.raw(request(Client.text("u-1", "UPDATE")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(simulator.counters().injectedFaults()).isZero();
  }

  @Test
  void aSlowBodyArrivesWholeButSlowly() throws Exception {
    simulator.faults().slowBody(Duration.ofMillis(400));
    long started = System.nanoTime();

    HttpResponse<String> response = client.raw(request(Client.text("u-1", "UPDATE")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Client.JSON.readTree(response.body()).path("recipient_id").asText())
        .isEqualTo("u-1");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void faultSettingsAreChecked() {
    assertThatThrownBy(() -> simulator.faults().serverErrors(1.5, 500))
        .hasMessage("a rate is between 0 and 1, not 1.5");
    assertThatThrownBy(() -> simulator.faults().serverErrors(0.1, 404))
        .hasMessage("a server error's status is 500-599, not 404");
    assertThatThrownBy(() -> simulator.faults().failNext("page-1", 0, 500, 2, null))
        .hasMessage("calls must be at least 1, not 0");
    assertThatThrownBy(() -> simulator.faults().latency(Duration.ofMillis(-1)))
        .hasMessage("latency must be zero or positive, not PT-0.001S");
  }

  private List<Integer> statuses(int calls) {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      statuses.add(client.messenger("page-1", Client.text("u-1", "UPDATE")).status());
    }
    return statuses;
  }

  private HttpRequest request(String body) {
    return HttpRequest.newBuilder(
            URI.create(simulator.messengerBaseUrl() + "/v23.0/page-1/messages"))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
