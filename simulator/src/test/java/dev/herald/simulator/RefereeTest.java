package dev.herald.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The referee's rules, fed through {@code referee().accept} and judged through real send calls at
 * the instant the test sets.
 */
class RefereeTest {

  private final MutableClock clock = new MutableClock("2026-05-01T12:00:00Z");
  private ChannelSimulator simulator;
  private Client client;

  @BeforeEach
  void start() throws Exception {
    // A high pair interval would get in the way of judging one WhatsApp user repeatedly.
    simulator =
        ChannelSimulator.start(
            SimulatorConfig.builder().clock(clock).pairInterval(Duration.ofMillis(1)).build());
    client = new Client(simulator);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private void event(String json) {
    simulator.referee().accept(json);
  }

  private void interaction(String channel, String account, String user, String at, String kind) {
    event(Client.interaction(channel, account, user, at, kind));
  }

  @Test
  void theWindowClosesAtExactlyTheLastInteractionPlus24Hours() {
    interaction("messenger", "page-1", "u-1", "2026-05-01T10:00:00Z", "message");

    clock.set("2026-05-02T09:59:59.999Z");
    Client.Reply inside = client.messenger("page-1", Client.text("u-1", "UPDATE"));
    clock.set("2026-05-02T10:00:00Z");
    Client.Reply atTheEnd = client.messenger("page-1", Client.text("u-1", "RESPONSE"));

    assertThat(inside.status()).isEqualTo(200);
    assertThat(atTheEnd.status()).isEqualTo(400);
    assertThat(atTheEnd.code()).isEqualTo(10);
    assertThat(atTheEnd.subcode()).isEqualTo(2018278L);
    Counters counters = simulator.counters();
    assertThat(counters.rejections()).isEqualTo(1);
    assertThat(counters.rejectionsByCode())
        .containsExactlyEntriesOf(java.util.Map.of("10/2018278", 1L));
  }

  @Test
  void theLatestInteractionCountsWhateverOrderEventsArriveIn() {
    interaction("messenger", "page-1", "u-1", "2026-05-01T10:00:00Z", "message");
    interaction("messenger", "page-1", "u-1", "2026-04-20T10:00:00Z", "postback");
    clock.set("2026-05-02T09:00:00Z");

    assertThat(client.messenger("page-1", Client.text("u-1", "UPDATE")).status()).isEqualTo(200);
  }

  @Test
  void aUserWhoNeverInteractedIsOutsideTheWindow() {
    Client.Reply reply = client.messenger("page-1", Client.text("stranger", "UPDATE"));

    assertThat(reply.code()).isEqualTo(10);
    assertThat(simulator.counters().rejections("10/2018278")).isEqualTo(1);
  }

  @Test
  void aClickToMessengerAdOpensSevenDaysOnMessengerAnd24HoursElsewhere() {
    interaction("messenger", "page-1", "u-1", "2026-05-01T10:00:00Z", "ctm_ad");
    interaction("whatsapp", "wa-1", "4915", "2026-05-01T10:00:00Z", "ctm_ad");

    clock.set("2026-05-08T09:59:59.999Z");
    assertThat(client.messenger("page-1", Client.text("u-1", "UPDATE")).status()).isEqualTo(200);
    assertThat(client.whatsapp("wa-1", Client.waText("4915")).code()).isEqualTo(131047);
    clock.set("2026-05-08T10:00:00Z");
    assertThat(client.messenger("page-1", Client.text("u-1", "UPDATE")).code()).isEqualTo(10);
  }

  @Test
  void humanAgentNeedsAnInteractionWithinSevenDays() {
    interaction("messenger", "page-1", "u-1", "2026-05-01T10:00:00Z", "message");

    clock.set("2026-05-08T09:59:59.999Z");
    Client.Reply inside = client.messenger("page-1", Client.tagged("u-1", "HUMAN_AGENT"));
    clock.set("2026-05-08T10:00:00Z");
    Client.Reply after = client.messenger("page-1", Client.tagged("u-1", "HUMAN_AGENT"));

    assertThat(inside.status()).isEqualTo(200);
    assertThat(after.code()).isEqualTo(10);
    assertThat(after.subcode()).isEqualTo(2018278L);
  }

  @Test
  void theUpdateTagsAreRetiredFrom20260427() {
    clock.set("2026-04-26T23:59:59.999Z");
    Client.Reply before = client.messenger("page-1", Client.tagged("u-1", "POST_PURCHASE_UPDATE"));
    Client.Reply before2 = client.messenger("page-1", Client.tagged("u-1", "ACCOUNT_UPDATE"));
    clock.set("2026-04-27T00:00:00Z");
    Client.Reply from = client.messenger("page-1", Client.tagged("u-1", "CONFIRMED_EVENT_UPDATE"));

    assertThat(before.status()).isEqualTo(200);
    assertThat(before2.status()).isEqualTo(200);
    assertThat(from.status()).isEqualTo(400);
    assertThat(from.code()).isEqualTo(100);
    assertThat(from.subcode()).isNull();
    assertThat(simulator.counters().rejections("100")).isEqualTo(1);
  }

  @Test
  void instagramAllowsOnlyHumanAgent() {
    clock.set("2026-01-01T00:00:00Z");
    interaction("instagram", "ig-1", "igu-1", "2025-12-31T00:00:00Z", "message");

    assertThat(client.messenger("ig-1", Client.tagged("igu-1", "ACCOUNT_UPDATE")).code())
        .isEqualTo(100);
    assertThat(client.messenger("ig-1", Client.tagged("igu-1", "HUMAN_AGENT")).status())
        .isEqualTo(200);
  }

  @Test
  void aOneTimeTokenIsSpentByItsFirstAcceptedMessage() {
    otn("u-1", "otn-1", "2026-04-01T00:00:00Z");

    Client.Reply first =
        client.messenger("page-1", Client.toToken("one_time_notif_token", "otn-1"));
    Client.Reply second =
        client.messenger("page-1", Client.toToken("one_time_notif_token", "otn-1"));

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.code()).isEqualTo(10);
    assertThat(second.subcode()).isEqualTo(2018278L);
    assertThat(second.body().path("error").path("message").asText()).contains("already used");
  }

  @Test
  void aOneTimeTokenExpires365DaysAfterItWasGranted() {
    otn("u-1", "otn-old", "2025-05-01T12:00:00Z");
    otn("u-1", "otn-young", "2025-05-01T12:00:00.001Z");

    Client.Reply expired =
        client.messenger("page-1", Client.toToken("one_time_notif_token", "otn-old"));
    Client.Reply valid =
        client.messenger("page-1", Client.toToken("one_time_notif_token", "otn-young"));

    assertThat(expired.code()).isEqualTo(10);
    assertThat(expired.body().path("error").path("message").asText()).contains("expired");
    assertThat(valid.status()).isEqualTo(200);
  }

  @Test
  void anUnknownOneTimeTokenIsRefused() {
    assertThat(client.messenger("page-1", Client.toToken("one_time_notif_token", "nope")).code())
        .isEqualTo(10);
  }

  @Test
  void aTokenHeldUnspentIsNotGrantedTwice() {
    otn("u-1", "otn-1", "2025-05-01T00:00:00Z");
    otn("u-1", "otn-1", "2026-04-01T00:00:00Z"); // ignored: it would otherwise renew the token

    assertThat(client.messenger("page-1", Client.toToken("one_time_notif_token", "otn-1")).code())
        .isEqualTo(10);
  }

  @Test
  void aRecurringSubscriptionStopsAndResumesLatestWins() {
    recurring("u-1", "news", "rn-1", "2026-04-01T00:00:00Z", null);
    status("u-1", "news", "STOP", "2026-04-10T00:00:00Z");
    Client.Reply stopped = recurringCall("rn-1");
    status("u-1", "news", "RESUME", "2026-04-12T00:00:00Z");
    status("u-1", "news", "STOP", "2026-04-11T00:00:00Z"); // older than the RESUME: no effect
    Client.Reply resumed = recurringCall("rn-1");

    assertThat(stopped.code()).isEqualTo(10);
    assertThat(stopped.subcode()).isEqualTo(2018278L);
    assertThat(resumed.status()).isEqualTo(200);
    // Unlike a one-time token, a subscription is not spent.
    assertThat(recurringCall("rn-1").status()).isEqualTo(200);
  }

  @Test
  void aRecurringSubscriptionEndsAtItsExpiresAt() {
    recurring("u-1", "news", "rn-1", "2026-01-01T00:00:00Z", "2026-05-01T12:00:00.001Z");

    Client.Reply before = recurringCall("rn-1");
    clock.set("2026-05-01T12:00:00.001Z");
    Client.Reply at = recurringCall("rn-1");

    assertThat(before.status()).isEqualTo(200);
    assertThat(at.code()).isEqualTo(10);
  }

  @Test
  void aReOptInReplacesTheTokenAndReactivates() {
    recurring("u-1", "news", "rn-1", "2026-01-01T00:00:00Z", null);
    status("u-1", "news", "STOP", "2026-02-01T00:00:00Z");
    recurring("u-1", "news", "rn-2", "2026-03-01T00:00:00Z", null);

    assertThat(recurringCall("rn-1").code()).isEqualTo(10);
    Client.Reply reply = recurringCall("rn-2");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().path("recipient_id").asText()).isEqualTo("u-1");
  }

  @Test
  void beforeAugust2023ASubscriptionExpiredByItsFrequency() {
    recurring("u-1", "news", "rn-1", "2021-01-31T00:00:00Z", null); // DAILY: 6 months
    clock.set("2021-07-30T23:59:59.999Z");
    Client.Reply inside = recurringCall("rn-1");
    clock.set("2021-07-31T00:00:00Z");
    Client.Reply expired = recurringCall("rn-1");
    clock.set("2023-08-10T00:00:00Z");
    Client.Reply noLongerExpires = recurringCall("rn-1");

    assertThat(inside.status()).isEqualTo(200);
    assertThat(expired.code()).isEqualTo(10);
    assertThat(noLongerExpires.status()).isEqualTo(200);
  }

  @Test
  void anOptInRequestNeedsTheWindowEvenWithATag() {
    String request =
        "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"MESSAGE_TAG\",\"tag\":\"HUMAN_AGENT\","
            + "\"message\":{\"attachment\":{\"type\":\"template\",\"payload\":"
            + "{\"template_type\":\"notification_messages\",\"title\":\"News?\"}}}}";
    interaction("messenger", "page-1", "u-1", "2026-04-29T12:00:00Z", "message");

    assertThat(client.messenger("page-1", request).code()).isEqualTo(10);
    interaction("messenger", "page-1", "u-1", "2026-05-01T11:00:00Z", "message");
    assertThat(client.messenger("page-1", request).status()).isEqualTo(200);
  }

  @Test
  void whatsappTextNeedsTheWindowAndATemplateDoesNot() {
    interaction("whatsapp", "wa-1", "4915", "2026-04-30T12:00:00Z", "message");

    Client.Reply text = client.whatsapp("wa-1", Client.waText("4915"));
    Client.Reply template = client.whatsapp("wa-1", Client.waTemplate("4915"));

    assertThat(text.status()).isEqualTo(400);
    assertThat(text.code()).isEqualTo(131047);
    assertThat(text.subcode()).isNull();
    assertThat(template.status()).isEqualTo(200);
    assertThat(simulator.counters().rejectionsByCode()).containsOnlyKeys("131047");

    clock.advance(Duration.ofMillis(1));
    interaction("whatsapp", "wa-1", "4915", "2026-05-01T11:00:00Z", "message");
    assertThat(client.whatsapp("wa-1", Client.waText("4915")).status()).isEqualTo(200);
  }

  @Test
  void windowsAreKeptPerAccount() {
    interaction("messenger", "page-1", "u-1", "2026-05-01T11:00:00Z", "message");

    assertThat(client.messenger("page-2", Client.text("u-1", "UPDATE")).code()).isEqualTo(10);
  }

  @Test
  void linesItCannotReadOrDoesNotModelChangeNothing() {
    event("not json");
    event("{\"type\":\"interaction\",\"channel\":\"messenger\",\"account\":\"page-1\"}");
    event(
        "{\"type\":\"interaction\",\"at\":\"yesterday\",\"channel\":\"messenger\","
            + "\"account\":\"page-1\",\"user\":\"u-1\"}");
    event(
        "{\"type\":\"tag\",\"at\":\"2026-05-01T11:00:00Z\",\"channel\":\"messenger\","
            + "\"account\":\"page-1\",\"user\":\"u-1\",\"add\":[\"x\"]}");

    assertThat(simulator.referee().applied()).isZero();
    assertThat(client.messenger("page-1", Client.text("u-1", "UPDATE")).code()).isEqualTo(10);
  }

  @Test
  void anUnreachableUserGets551UntilTheyInteractAgain() {
    interaction("messenger", "page-1", "u-1", "2026-05-01T11:00:00Z", "message");
    simulator.markUnreachable("page-1", "u-1");
    simulator.markUnreachable("wa-1", "4915");

    Client.Reply blocked = client.messenger("page-1", Client.text("u-1", "UPDATE"));
    Client.Reply gone = client.whatsapp("wa-1", Client.waTemplate("4915"));
    clock.advance(Duration.ofMinutes(1));
    interaction("messenger", "page-1", "u-1", clock.instant().toString(), "message");
    Client.Reply back = client.messenger("page-1", Client.text("u-1", "UPDATE"));

    assertThat(blocked.code()).isEqualTo(551);
    assertThat(gone.code()).isEqualTo(131026);
    assertThat(back.status()).isEqualTo(200);
    assertThat(simulator.counters().rejections()).isZero();
  }

  private Client.Reply recurringCall(String token) {
    return client.messenger("page-1", Client.toToken("notification_messages_token", token));
  }

  private void otn(String user, String token, String at) {
    event(
        "{\"type\":\"otn_optin\",\"at\":\""
            + at
            + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\""
            + user
            + "\",\"topic\":\"restock\",\"token\":\""
            + token
            + "\"}");
  }

  private void recurring(String user, String topic, String token, String at, String expiresAt) {
    event(
        "{\"type\":\"recurring_optin\",\"at\":\""
            + at
            + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\""
            + user
            + "\",\"topic\":\""
            + topic
            + "\",\"token\":\""
            + token
            + "\",\"frequency\":\"DAILY\""
            + (expiresAt == null ? "" : ",\"expiresAt\":\"" + expiresAt + "\"")
            + "}");
  }

  private void status(String user, String topic, String status, String at) {
    event(
        "{\"type\":\"recurring_status\",\"at\":\""
            + at
            + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\""
            + user
            + "\",\"topic\":\""
            + topic
            + "\",\"status\":\""
            + status
            + "\"}");
  }
}
