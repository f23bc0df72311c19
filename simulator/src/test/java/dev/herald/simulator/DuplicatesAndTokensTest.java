package dev.herald.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Repeated request ids, and the access token a call must carry. */
class DuplicatesAndTokensTest {

  private static final String TOKEN = "EAAB-secret-page-token";
  private final MutableClock clock = new MutableClock("2026-05-01T12:00:00Z");
  private ChannelSimulator simulator;
  private Client client;
  private String url;

  @BeforeEach
  void start() throws Exception {
    simulator =
        ChannelSimulator.start(
            SimulatorConfig.builder().clock(clock).token("page-secure", TOKEN).build());
    client = new Client(simulator);
    url = simulator.messengerBaseUrl() + "/v23.0/page-1/messages";
    simulator
        .referee()
        .accept(
            Client.interaction("messenger", "page-1", "u-1", "2026-05-01T11:00:00Z", "message"));
    simulator
        .referee()
        .accept(
            Client.interaction(
                "messenger", "page-secure", "u-1", "2026-05-01T11:00:00Z", "message"));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void anAcceptedRequestIdSentAgainIsADuplicateAndStillSucceeds() {
    String body = Client.text("u-1", "UPDATE");

    Client.Reply first = client.post(url, body, null, "restock-42/messenger/page-1/u-1");
    Client.Reply again = client.post(url, body, null, "restock-42/messenger/page-1/u-1");
    Client.Reply other = client.post(url, body, null, "restock-43/messenger/page-1/u-1");
    Client.Reply noId = client.post(url, body, null, null);

    assertThat(first.status()).isEqualTo(200);
    assertThat(again.status()).isEqualTo(200);
    assertThat(other.status()).isEqualTo(200);
    assertThat(noId.status()).isEqualTo(200);
    Counters counters = simulator.counters();
    assertThat(counters.duplicates()).isEqualTo(1);
    assertThat(counters.accepted()).isEqualTo(4);
  }

  @Test
  void aRefusedCallDoesNotMakeItsRetryADuplicate() {
    simulator.faults().failNext("page-1", 1, 500, 2, null);

    client.post(url, Client.text("u-1", "UPDATE"), null, "r-1");
    client.post(url, Client.text("u-1", "UPDATE"), null, "r-1");

    assertThat(simulator.counters().duplicates()).isZero();
    assertThat(simulator.counters().accepted()).isEqualTo(1);
  }

  @Test
  void aRetriedOneTimeNotificationIsTheSameDecisionNotASecondUseOfTheToken() {
    simulator
        .referee()
        .accept(
            "{\"type\":\"otn_optin\",\"at\":\"2026-04-01T00:00:00Z\",\"channel\":\"messenger\","
                + "\"account\":\"page-1\",\"user\":\"u-9\",\"topic\":\"restock\",\"token\":\"otn-9\"}");
    String body = Client.toToken("one_time_notif_token", "otn-9");

    Client.Reply first = client.post(url, body, null, "restock-42/messenger/page-1/u-9");
    Client.Reply retry = client.post(url, body, null, "restock-42/messenger/page-1/u-9");
    Client.Reply another = client.post(url, body, null, "restock-44/messenger/page-1/u-9");

    assertThat(first.status()).isEqualTo(200);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.body().path("recipient_id").asText()).isEqualTo("u-9");
    assertThat(another.code()).isEqualTo(10);
    assertThat(simulator.counters().duplicates()).isEqualTo(1);
    assertThat(simulator.counters().rejections()).isEqualTo(1);
  }

  @Test
  void anAccountWithATokenDemandsExactlyItsBearerToken() {
    String secure = simulator.messengerBaseUrl() + "/v23.0/page-secure/messages";
    String body = Client.text("u-1", "UPDATE");

    Client.Reply missing = client.post(secure, body, null, null);
    Client.Reply wrong = client.post(secure, body, "Bearer not-the-token", null);
    Client.Reply notBearer = client.post(secure, body, TOKEN, null);
    Client.Reply right = client.post(secure, body, "Bearer " + TOKEN, null);

    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.code()).isEqualTo(190);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.code()).isEqualTo(190);
    assertThat(notBearer.code()).isEqualTo(190);
    assertThat(right.status()).isEqualTo(200);
    assertThat(simulator.counters().unauthorized()).isEqualTo(3);
    assertThat(wrong.text()).doesNotContain(TOKEN);
    // An account without a token takes calls without one.
    assertThat(client.post(url, body, null, null).status()).isEqualTo(200);
  }

  @Test
  void aTokenInTheUrlIsRefused() {
    Client.Reply reply =
        client.post(url + "?access_token=" + TOKEN, Client.text("u-1", "UPDATE"), null, null);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.code()).isEqualTo(100);
    assertThat(reply.body().path("error").path("message").asText())
        .contains("Authorization header")
        .doesNotContain(TOKEN);
    assertThat(simulator.counters().accepted()).isZero();
  }

  @Test
  void theConfigNeverShowsATokenInItsText() {
    SimulatorConfig config = SimulatorConfig.builder().token("page-secure", TOKEN).build();

    assertThat(config.toString()).contains("page-secure").doesNotContain(TOKEN);
  }
}
