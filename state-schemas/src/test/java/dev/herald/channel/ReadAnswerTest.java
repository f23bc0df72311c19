package dev.herald.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.channel.ChannelAnswer.Failed;
import dev.herald.channel.ChannelAnswer.Sent;
import dev.herald.schema.Channel;
import dev.herald.schema.PlatformError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What each channel makes of the platform's answer: the message id of a success, the code and
 * subcode of a Graph error, and for anything else a failure that quotes the start of the body,
 * never an exception.
 */
class ReadAnswerTest {

  private static ChannelAnswer read(Channel channel, int status, String body) {
    return MessagingChannel.of(channel)
        .readAnswer(status, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(
      value = Channel.class,
      names = {"MESSENGER", "INSTAGRAM"})
  void sendApiSuccess(Channel channel) {
    assertThat(
            read(
                channel, 200, "{\"recipient_id\":\"1254477777772919\",\"message_id\":\"m_AG5Hz\"}"))
        .isEqualTo(new Sent("m_AG5Hz"));
  }

  @Test
  void cloudApiSuccess() {
    assertThat(
            read(
                Channel.WHATSAPP,
                200,
                "{\"messaging_product\":\"whatsapp\","
                    + "\"contacts\":[{\"input\":\"48500100200\",\"wa_id\":\"48500100200\"}],"
                    + "\"messages\":[{\"id\":\"wamid.HBgLMTY0\",\"message_status\":\"accepted\"}]}"))
        .isEqualTo(new Sent("wamid.HBgLMTY0"));
  }

  @Test
  void eachChannelReadsItsOwnSuccess() {
    String cloud = "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.1\"}]}";
    assertThat(read(Channel.MESSENGER, 200, cloud))
        .isEqualTo(new Failed(200, null, "HTTP 200: " + cloud));
    String send = "{\"recipient_id\":\"1\",\"message_id\":\"m_1\"}";
    assertThat(read(Channel.WHATSAPP, 200, send))
        .isEqualTo(new Failed(200, null, "HTTP 200: " + send));
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void graphErrorWithSubcode(Channel channel) {
    assertThat(
            read(
                channel,
                400,
                "{\"error\":{\"message\":\"(#10) This message is sent outside of allowed window.\","
                    + "\"type\":\"OAuthException\",\"code\":10,\"error_subcode\":2018278,"
                    + "\"fbtrace_id\":\"AbC\"}}"))
        .isEqualTo(
            new Failed(
                400,
                new PlatformError(10, 2018278L),
                "(#10) This message is sent outside of allowed window."));
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void graphErrorWithoutSubcode(Channel channel) {
    assertThat(
            read(
                channel,
                400,
                "{\"error\":{\"message\":\"(#131047) Re-engagement message\","
                    + "\"type\":\"OAuthException\",\"code\":131047,"
                    + "\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"x\"},"
                    + "\"fbtrace_id\":\"AbC\"}}"))
        .isEqualTo(
            new Failed(400, new PlatformError(131047, null), "(#131047) Re-engagement message"));
  }

  @Test
  void aGraphErrorIsAFailureWhateverTheStatus() {
    assertThat(read(Channel.MESSENGER, 200, "{\"error\":{\"message\":\"busy\",\"code\":2}}"))
        .isEqualTo(new Failed(200, new PlatformError(2, null), "busy"));
  }

  @Test
  void aGraphErrorWithoutACodeOrMessage() {
    assertThat(read(Channel.WHATSAPP, 500, "{\"error\":{\"code\":\"oops\"}}"))
        .isEqualTo(new Failed(500, null, "HTTP 500: {\"error\":{\"code\":\"oops\"}}"));
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void notJson(Channel channel) {
    assertThat(read(channel, 502, "<html><body>Bad Gateway</body></html>"))
        .isEqualTo(new Failed(502, null, "HTTP 502: <html><body>Bad Gateway</body></html>"));
    assertThat(read(channel, 200, "{\"message_id\":\"m_1\"} trailing"))
        .isEqualTo(new Failed(200, null, "HTTP 200: {\"message_id\":\"m_1\"} trailing"));
    assertThat(read(channel, 200, "[\"m_1\"]"))
        .isEqualTo(new Failed(200, null, "HTTP 200: [\"m_1\"]"));
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void emptyOrAbsentBody(Channel channel) {
    assertThat(read(channel, 503, "")).isEqualTo(new Failed(503, null, "HTTP 503: "));
    assertThat(read(channel, 200, null)).isEqualTo(new Failed(200, null, "HTTP 200: "));
  }

  @ParameterizedTest
  @EnumSource(Channel.class)
  void aSuccessWithoutAMessageIdIsAFailure(Channel channel) {
    assertThat(read(channel, 200, "{\"recipient_id\":\"1\",\"message_id\":\"\"}"))
        .isEqualTo(new Failed(200, null, "HTTP 200: {\"recipient_id\":\"1\",\"message_id\":\"\"}"));
    assertThat(read(channel, 200, "{\"messages\":[]}"))
        .isEqualTo(new Failed(200, null, "HTTP 200: {\"messages\":[]}"));
  }

  @Test
  void aMessageIdOutsideA2xxIsNotASuccess() {
    assertThat(read(Channel.MESSENGER, 500, "{\"message_id\":\"m_1\"}"))
        .isEqualTo(new Failed(500, null, "HTTP 500: {\"message_id\":\"m_1\"}"));
  }

  @Test
  void aLongBodyIsQuotedByItsFirst200Characters() {
    String body = "é".repeat(150) + "x".repeat(100) + "TAIL";
    Failed failed = (Failed) read(Channel.WHATSAPP, 500, body);
    assertThat(failed.message()).isEqualTo("HTTP 500: " + "é".repeat(150) + "x".repeat(50));
  }

  @Test
  void bytesThatAreNotUtf8AreShownNotDecodedWrong() {
    byte[] body = {'o', 'k', (byte) 0xFF, '!'};
    assertThat(MessagingChannel.of(Channel.MESSENGER).readAnswer(500, body))
        .isEqualTo(new Failed(500, null, "HTTP 500: ok\\xFF!"));
  }
}
