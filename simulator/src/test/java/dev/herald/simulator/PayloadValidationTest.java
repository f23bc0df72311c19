package dev.herald.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Payloads the platforms accept and refuse, through real HTTP. */
class PayloadValidationTest {

  /** Stands for a text of exactly 2000 characters in a payload below. */
  private static final String LONG = "@2000@";

  private static ChannelSimulator simulator;
  private static Client client;

  @BeforeAll
  static void start() throws Exception {
    MutableClock clock = new MutableClock("2026-05-01T12:00:00Z");
    simulator =
        ChannelSimulator.start(
            SimulatorConfig.builder().clock(clock).messengerPerSecond(100_000).build());
    client = new Client(simulator);
    // The window is open for u-1 and for the WhatsApp user: only the payload decides.
    simulator
        .referee()
        .accept(
            Client.interaction("messenger", "page-1", "u-1", "2026-05-01T11:00:00Z", "message"));
    for (String user : new String[] {"4915", "4917", "4918"}) {
      simulator
          .referee()
          .accept(Client.interaction("whatsapp", "wa-1", user, "2026-05-01T11:00:00Z", "message"));
    }
    simulator
        .referee()
        .accept(
            "{\"type\":\"otn_optin\",\"at\":\"2026-04-01T00:00:00Z\",\"channel\":\"messenger\","
                + "\"account\":\"page-1\",\"user\":\"u-1\",\"topic\":\"restock\",\"token\":\"otn-1\"}");
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\",\"message\":{\"text\":\"hi\"}}",
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"@2000@\"},\"notification_type\":\"SILENT_PUSH\"}",
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"MESSAGE_TAG\",\"tag\":\"HUMAN_AGENT\","
            + "\"message\":{\"text\":\"hi\"},\"notification_type\":\"NO_PUSH\"}",
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"RESPONSE\",\"message\":{\"attachment\":"
            + "{\"type\":\"template\",\"payload\":{\"template_type\":\"notification_messages\","
            + "\"title\":\"Restock news?\",\"payload\":\"restock\","
            + "\"notification_messages_frequency\":\"WEEKLY\"}}}}",
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\",\"message\":{\"attachment\":"
            + "{\"type\":\"image\",\"payload\":{\"url\":\"https://example.com/a.png\"}}}}",
      })
  void messengerAcceptsValidPayloads(String body) {
    Client.Reply reply = client.messenger("page-1", body.replace(LONG, "x".repeat(2000)));

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
  }

  @Test
  void messengerAcceptsAOneTimeTokenRecipientWithoutAMessagingType() {
    Client.Reply reply =
        client.messenger("page-1", Client.toToken("one_time_notif_token", "otn-1"));

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[1,2]",
        // recipient: missing, empty, two kinds at once
        "{\"messaging_type\":\"UPDATE\",\"message\":{\"text\":\"hi\"}}",
        "{\"recipient\":{},\"messaging_type\":\"UPDATE\",\"message\":{\"text\":\"hi\"}}",
        "{\"recipient\":{\"id\":\"u-1\",\"one_time_notif_token\":\"otn-1\"},"
            + "\"messaging_type\":\"UPDATE\",\"message\":{\"text\":\"hi\"}}",
        "{\"recipient\":{\"id\":7},\"messaging_type\":\"UPDATE\",\"message\":{\"text\":\"hi\"}}",
        // message: missing, neither, both, empty text, text too long
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\"}",
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\",\"message\":{}}",
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\",\"message\":{\"text\":\"hi\","
            + "\"attachment\":{\"type\":\"image\",\"payload\":{}}}}",
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\",\"message\":{\"text\":\"\"}}",
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\",\"message\":{\"text\":\"@2000@y\"}}",
        // messaging_type: missing with an id, unknown
        "{\"recipient\":{\"id\":\"u-1\"},\"message\":{\"text\":\"hi\"}}",
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"PROMO\",\"message\":{\"text\":\"hi\"}}",
        // tag: missing with MESSAGE_TAG, present without it, unknown
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"MESSAGE_TAG\",\"message\":{\"text\":\"hi\"}}",
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\",\"tag\":\"HUMAN_AGENT\","
            + "\"message\":{\"text\":\"hi\"}}",
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"MESSAGE_TAG\",\"tag\":\"PROMO\","
            + "\"message\":{\"text\":\"hi\"}}",
        // notification_type unknown
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\",\"message\":{\"text\":\"hi\"},"
            + "\"notification_type\":\"LOUD\"}",
        // a template attachment without its type
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\",\"message\":{\"attachment\":"
            + "{\"type\":\"template\",\"payload\":{}}}}",
      })
  void messengerRefusesInvalidPayloadsWithCode100(String body) {
    long before = simulator.counters().invalidPayloads();

    Client.Reply reply = client.messenger("page-1", body.replace(LONG, "x".repeat(2000)));

    assertThat(reply.status()).as(reply.text()).isEqualTo(400);
    assertThat(reply.code()).isEqualTo(100);
    assertThat(reply.body().path("error").path("type").asText()).isEqualTo("OAuthException");
    assertThat(reply.body().path("error").path("message").asText()).startsWith("(#100) ");
    assertThat(simulator.counters().invalidPayloads()).isEqualTo(before + 1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"4915\","
            + "\"type\":\"text\",\"text\":{\"body\":\"hi\"}}",
        "{\"messaging_product\":\"whatsapp\",\"to\":\"4917\",\"text\":{\"body\":\"hi\"}}",
        "{\"messaging_product\":\"whatsapp\",\"to\":\"4916\",\"type\":\"template\","
            + "\"template\":{\"name\":\"restock\",\"language\":{\"code\":\"en_US\"}}}",
      })
  void whatsappAcceptsValidPayloads(String body) {
    // Each case to another user: the pair rate is not the subject here.
    Client.Reply reply = client.whatsapp("wa-1", body);

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"to\":\"4915\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}",
        "{\"messaging_product\":\"sms\",\"to\":\"4915\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}",
        "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"group\",\"to\":\"4915\","
            + "\"type\":\"text\",\"text\":{\"body\":\"hi\"}}",
        "{\"messaging_product\":\"whatsapp\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}",
        "{\"messaging_product\":\"whatsapp\",\"to\":\"4915\",\"type\":\"text\"}",
        "{\"messaging_product\":\"whatsapp\",\"to\":\"4915\",\"type\":\"text\",\"text\":{\"body\":\"\"}}",
        "{\"messaging_product\":\"whatsapp\",\"to\":\"4915\",\"type\":\"image\",\"image\":{}}",
        "{\"messaging_product\":\"whatsapp\",\"to\":\"4915\",\"type\":\"template\","
            + "\"template\":{\"language\":{\"code\":\"en_US\"}}}",
        "{\"messaging_product\":\"whatsapp\",\"to\":\"4915\",\"type\":\"template\","
            + "\"template\":{\"name\":\"restock\",\"language\":{}}}",
      })
  void whatsappRefusesInvalidPayloadsWithCode100(String body) {
    long before = simulator.counters().invalidPayloads();

    Client.Reply reply = client.whatsapp("wa-1", body);

    assertThat(reply.status()).as(reply.text()).isEqualTo(400);
    assertThat(reply.code()).isEqualTo(100);
    assertThat(simulator.counters().invalidPayloads()).isEqualTo(before + 1);
  }

  @Test
  void whatsappTextIsLimitedTo4096Characters() {
    String at4096 =
        "{\"messaging_product\":\"whatsapp\",\"to\":\"4918\",\"type\":\"text\",\"text\":{\"body\":\""
            + "y".repeat(4096)
            + "\"}}";

    assertThat(client.whatsapp("wa-1", at4096.replace("y\"}}", "yz\"}}")).status()).isEqualTo(400);
    assertThat(client.whatsapp("wa-1", at4096).status()).isEqualTo(200);
  }

  @Test
  void unknownPathsAndVersionsAreNotFound() {
    String body = Client.text("u-1", "UPDATE");
    String base = simulator.messengerBaseUrl().toString();

    assertThat(client.post(base + "/23.0/page-1/messages", body, null, null).status())
        .isEqualTo(404);
    assertThat(client.post(base + "/v23.0/page-1/feed", body, null, null).status()).isEqualTo(404);
    assertThat(client.post(base + "/v23.0/page-1/messages", body, null, null).status())
        .isEqualTo(200);
  }
}
