package dev.herald.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.schema.Basis;
import dev.herald.schema.Channel;
import dev.herald.schema.Frequency;
import dev.herald.schema.MessageTag;
import dev.herald.schema.NotificationType;
import org.junit.jupiter.api.Test;

/**
 * The Cloud API bodies WhatsApp writes, byte for byte: a text inside the customer-service window, a
 * template otherwise. {@link WhatsAppOpenApiTest} checks the same bodies against Meta's schema.
 */
class WhatsAppTest {

  private static Requests whatsapp() {
    return Requests.on(Channel.WHATSAPP).user("48500100200");
  }

  @Test
  void insideTheWindowAText() {
    assertThat(whatsapp().body())
        .isEqualTo(
            "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                + "\"to\":\"48500100200\",\"type\":\"text\","
                + "\"text\":{\"body\":\"Back in stock!\"}}");
  }

  @Test
  void aTemplateByNameAndLanguage() {
    assertThat(whatsapp().text(null).template("restock_alert", "pl").body())
        .isEqualTo(
            "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                + "\"to\":\"48500100200\",\"type\":\"template\","
                + "\"template\":{\"name\":\"restock_alert\","
                + "\"language\":{\"policy\":\"deterministic\",\"code\":\"pl\"}}}");
  }

  @Test
  void aCampaignTextIsNotATemplateParameter() {
    assertThat(whatsapp().text("Back in stock!").template("restock_alert", "pl").body())
        .isEqualTo(whatsapp().text(null).template("restock_alert", "pl").body())
        .doesNotContain("Back in stock!")
        .doesNotContain("components");
  }

  @Test
  void noNotificationTypeOnWhatsApp() {
    assertThat(whatsapp().notificationType(NotificationType.SILENT_PUSH).body())
        .isEqualTo(whatsapp().body());
  }

  @Test
  void oddTextIsEscapedAndUtf8() {
    assertThat(whatsapp().text("Zażółć \"gęślą\"\r\n\\ 😀\u007f\u001f").body())
        .isEqualTo(
            "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                + "\"to\":\"48500100200\",\"type\":\"text\","
                + "\"text\":{\"body\":\"Zażółć \\\"gęślą\\\"\\r\\n\\\\ 😀\u007f\\u001F\"}}");
  }

  @Test
  void refusesWhatItCannotSend() {
    assertThatThrownBy(() -> whatsapp().text(null).body())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot send request restock-42:whatsapp/acct-1/48500100200 on whatsapp:"
                + " a message inside the window needs a text (or basis TEMPLATE)");
    assertThatThrownBy(() -> whatsapp().basis(Basis.TEMPLATE).body())
        .hasMessageEndingWith("basis TEMPLATE needs a template");
    assertThatThrownBy(() -> whatsapp().tag(MessageTag.HUMAN_AGENT).body())
        .hasMessageEndingWith("basis MESSAGE_TAG is not used on whatsapp");
    assertThatThrownBy(() -> whatsapp().otn("tok-1").body())
        .hasMessageEndingWith("basis OTN is not used on whatsapp");
    assertThatThrownBy(() -> whatsapp().optinRequest("deals", Frequency.DAILY).body())
        .hasMessageEndingWith("WhatsApp has no recurring-notification opt-in request");
  }
}
