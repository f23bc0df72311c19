package dev.herald.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.schema.Channel;
import dev.herald.schema.MessageTag;
import dev.herald.schema.NotificationType;
import org.junit.jupiter.api.Test;

/**
 * Instagram speaks Messenger's Send API: the same bodies inside the window and with the {@code
 * HUMAN_AGENT} tag, and none for the fallbacks it does not have.
 */
class InstagramTest {

  private static Requests instagram() {
    return Requests.on(Channel.INSTAGRAM);
  }

  @Test
  void insideTheWindowAnUpdateToTheUser() {
    assertThat(instagram().notificationType(NotificationType.NO_PUSH).body())
        .isEqualTo(
            "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"UPDATE\","
                + "\"message\":{\"text\":\"Back in stock!\","
                + "\"metadata\":\"restock-42:instagram/acct-1/u-1\"},"
                + "\"notification_type\":\"NO_PUSH\"}");
  }

  @Test
  void theHumanAgentTag() {
    assertThat(instagram().tag(MessageTag.HUMAN_AGENT).body())
        .isEqualTo(
            "{\"recipient\":{\"id\":\"u-1\"},\"messaging_type\":\"MESSAGE_TAG\","
                + "\"tag\":\"HUMAN_AGENT\",\"message\":{\"text\":\"Back in stock!\","
                + "\"metadata\":\"restock-42:instagram/acct-1/u-1\"}}");
  }

  @Test
  void noOneTimeOrRecurringNotificationsNorTemplates() {
    assertThatThrownBy(() -> instagram().otn("tok-1").body())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot send request restock-42:instagram/acct-1/u-1 on instagram:"
                + " basis OTN is not used on instagram");
    assertThatThrownBy(() -> instagram().recurring("tok-1").body())
        .hasMessageEndingWith("basis RECURRING is not used on instagram");
    assertThatThrownBy(() -> instagram().template("hello", "en_US").body())
        .hasMessageEndingWith("basis TEMPLATE is not used on instagram");
  }
}
