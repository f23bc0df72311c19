package dev.herald.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.schema.Basis;
import dev.herald.schema.Channel;
import dev.herald.schema.Frequency;
import dev.herald.schema.MessageTag;
import dev.herald.schema.NotificationType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Send API bodies Messenger writes, byte for byte, for every basis it sends on, and the
 * requests it refuses. The Send API has no published machine-readable schema; the shapes follow
 * Meta's Send API reference, One-time Notification and Recurring Notifications pages.
 */
class MessengerTest {

  private static Requests messenger() {
    return Requests.on(Channel.MESSENGER);
  }

  @Test
  void insideTheWindowAnUpdateToTheUser() {
    assertThat(messenger().body())
        .isEqualTo(
            "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\","
                + "\"message\":{\"text\":\"Back in stock!\","
                + "\"metadata\":\"restock-42:messenger/acct-1/u-1\"}}");
  }

  @ParameterizedTest
  @EnumSource(NotificationType.class)
  void theNotificationTypeWhenSet(NotificationType type) {
    assertThat(messenger().notificationType(type).body())
        .isEqualTo(
            "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\","
                + "\"message\":{\"text\":\"Back in stock!\","
                + "\"metadata\":\"restock-42:messenger/acct-1/u-1\"},"
                + "\"notification_type\":\""
                + type.name()
                + "\"}");
  }

  @Test
  void aTaggedMessageNamesItsTag() {
    assertThat(messenger().tag(MessageTag.HUMAN_AGENT).body())
        .isEqualTo(
            "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"MESSAGE_TAG\","
                + "\"tag\":\"HUMAN_AGENT\",\"message\":{\"text\":\"Back in stock!\","
                + "\"metadata\":\"restock-42:messenger/acct-1/u-1\"}}");
    assertThat(messenger().tag(MessageTag.POST_PURCHASE_UPDATE).body())
        .contains("\"tag\":\"POST_PURCHASE_UPDATE\"");
  }

  @Test
  void aOneTimeNotificationGoesToItsTokenNotTheUser() {
    assertThat(messenger().otn("tok-1").notificationType(NotificationType.SILENT_PUSH).body())
        .isEqualTo(
            "{\"recipient\":{\"one_time_notif_token\":\"tok-1\"},"
                + "\"message\":{\"text\":\"Back in stock!\","
                + "\"metadata\":\"restock-42:messenger/acct-1/u-1\"},"
                + "\"notification_type\":\"SILENT_PUSH\"}");
  }

  @Test
  void aRecurringNotificationGoesToItsSubscriptionToken() {
    assertThat(messenger().recurring("sub-tok-9").body())
        .isEqualTo(
            "{\"recipient\":{\"notification_messages_token\":\"sub-tok-9\"},"
                + "\"message\":{\"text\":\"Back in stock!\","
                + "\"metadata\":\"restock-42:messenger/acct-1/u-1\"}}");
  }

  @Test
  void anOptinRequestIsTheNotificationMessagesTemplate() {
    assertThat(
            messenger()
                .text("Get our weekly deals?")
                .optinRequest("deals", Frequency.WEEKLY)
                .notificationType(NotificationType.REGULAR)
                .body())
        .isEqualTo(
            "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"RESPONSE\","
                + "\"message\":{\"attachment\":{\"type\":\"template\",\"payload\":{"
                + "\"template_type\":\"notification_messages\","
                + "\"title\":\"Get our weekly deals?\",\"payload\":\"deals\","
                + "\"notification_messages_frequency\":\"WEEKLY\"}},"
                + "\"metadata\":\"restock-42:messenger/acct-1/u-1\"},"
                + "\"notification_type\":\"REGULAR\"}");
  }

  @Test
  void oddTextIsEscapedAndUtf8() {
    String odd = "say \"hi\"\\ \n\t\u0001 / é 😀 </script>";
    assertThat(messenger().text(odd).user("ü\"1").body())
        .isEqualTo(
            "{\"recipient\":{\"id\":\"ü\\\"1\"},\"messaging_type\":\"UPDATE\","
                + "\"message\":{\"text\":\"say \\\"hi\\\"\\\\ \\n\\t\\u0001 / é 😀 </script>\","
                + "\"metadata\":\"restock-42:messenger/acct-1/ü\\\"1\"}}");
  }

  @Test
  void aLoneSurrogateIsWrittenAsTheReplacementCharacter() {
    assertThat(messenger().text("a\uD83Db").body()).contains("\"text\":\"a\uFFFDb\"");
  }

  @Test
  void theMetadataKeepsTheFirstThousandCharactersOfALongRequestId() {
    String id = "c".repeat(999) + "😀" + "tail"; // the emoji straddles the 1000th character
    String body = messenger().requestId(id).body();
    assertThat(body).contains("\"metadata\":\"" + "c".repeat(999) + "\"}");

    String exact = "d".repeat(Messenger.MAX_METADATA);
    assertThat(messenger().requestId(exact + "e").body())
        .contains("\"metadata\":\"" + exact + "\"}");
  }

  @Test
  void refusesWhatItCannotSend() {
    assertThatThrownBy(() -> messenger().template("hello", "en_US").body())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot send request restock-42:messenger/acct-1/u-1 on messenger:"
                + " basis TEMPLATE is not used on messenger");
    assertThatThrownBy(() -> messenger().text(null).body())
        .hasMessageEndingWith(": it has no text");
    assertThatThrownBy(() -> messenger().otn(null).body())
        .hasMessageEndingWith(": basis OTN needs a token");
    assertThatThrownBy(() -> messenger().basis(Basis.MESSAGE_TAG).body())
        .hasMessageEndingWith(": basis MESSAGE_TAG needs a tag");
    assertThatThrownBy(() -> messenger().optinRequest("deals", null).body())
        .hasMessageEndingWith(": an opt-in request needs both a topic and a frequency");
  }

  @Test
  void aRefusalNeverShowsTheToken() {
    assertThatThrownBy(() -> messenger().recurring("secret-token").text(null).body())
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain("secret-token");
  }
}
