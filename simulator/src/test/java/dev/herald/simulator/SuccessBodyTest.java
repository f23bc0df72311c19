package dev.herald.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Success answers in the platforms' own form. */
class SuccessBodyTest {

  private final MutableClock clock = new MutableClock("2026-05-01T12:00:00Z");
  private ChannelSimulator simulator;
  private Client client;

  @BeforeEach
  void start() throws Exception {
    simulator = ChannelSimulator.start(SimulatorConfig.builder().clock(clock).build());
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
  void messengerAnswersRecipientIdAndAUniqueMessageId() {
    Client.Reply first = client.messenger("page-1", Client.text("u-1", "UPDATE"));
    Client.Reply second = client.messenger("page-1", Client.text("u-1", "UPDATE"));

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().fieldNames())
        .toIterable()
        .containsExactly("recipient_id", "message_id");
    assertThat(first.body().path("recipient_id").asText()).isEqualTo("u-1");
    assertThat(first.body().path("message_id").asText()).startsWith("m_");
    assertThat(second.body().path("message_id").asText())
        .isNotEqualTo(first.body().path("message_id").asText());
  }

  @Test
  void aTokenRecipientIsAnsweredWithTheUserTheTokenBelongsTo() {
    simulator
        .referee()
        .accept(
            "{\"type\":\"otn_optin\",\"at\":\"2026-04-01T00:00:00Z\",\"channel\":\"messenger\","
                + "\"account\":\"page-1\",\"user\":\"u-7\",\"topic\":\"restock\",\"token\":\"otn-7\"}");

    Client.Reply reply =
        client.messenger("page-1", Client.toToken("one_time_notif_token", "otn-7"));

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.body().path("recipient_id").asText()).isEqualTo("u-7");
  }

  @Test
  void whatsappAnswersContactsAndAUniqueWamid() {
    Client.Reply first = client.whatsapp("wa-1", Client.waTemplate("4915"));
    Client.Reply second = client.whatsapp("wa-1", Client.waTemplate("4916"));

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().path("messaging_product").asText()).isEqualTo("whatsapp");
    assertThat(first.body().path("contacts").size()).isEqualTo(1);
    assertThat(first.body().path("contacts").get(0).path("input").asText()).isEqualTo("4915");
    assertThat(first.body().path("contacts").get(0).path("wa_id").asText()).isEqualTo("4915");
    assertThat(first.body().path("messages").get(0).path("id").asText()).startsWith("wamid.");
    assertThat(second.body().path("messages").get(0).path("id").asText())
        .isNotEqualTo(first.body().path("messages").get(0).path("id").asText());
  }

  @Test
  void healthAnswers200() {
    assertThat(client.get("/health").status()).isEqualTo(200);
  }
}
