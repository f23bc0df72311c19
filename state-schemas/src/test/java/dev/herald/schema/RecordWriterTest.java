package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every output writer writes any string it is given: the line is always well-formed UTF-8 and valid
 * JSON, even for strings no accepted record can hold (lone surrogates, control characters).
 */
class RecordWriterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T = Instant.parse("2024-03-01T10:00:00Z");

  /** Strings a writer may meet: every kind of character, and halves of characters. */
  private static final List<String> NASTY =
      List.of(
          "u-\uD800",
          "\uDC00x",
          "\uDE00\uD83D",
          "a\u0000b\u0007c\u001f\u007f\u0085",
          "line\nbreak\r\ttab",
          "\"quoted\" \\ back",
          "🙂 Grüße 世界",
          "\u2028\u2029",
          "x".repeat(10_000));

  private static String strictUtf8(String line) throws CharacterCodingException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
  }

  private static JsonNode written(String line) throws Exception {
    assertThat(Text.firstLoneSurrogate(line)).as("no lone surrogate in %s", line).isEqualTo(-1);
    return JSON.readTree(strictUtf8(line));
  }

  @Test
  void aDecisionWithAnyStringsIsWellFormed() throws Exception {
    for (String s : NASTY) {
      UserKey key = new UserKey(Channel.MESSENGER, s, s);
      Decision d = Decision.send(s, key, T, Basis.OTN, s, s, s, false);

      JsonNode node = written(RecordCodec.write(d));

      assertThat(node.get("outcome").asText()).isEqualTo("SEND");
      if (Text.firstLoneSurrogate(s) < 0) {
        assertThat(node.get("user").asText()).isEqualTo(s); // what is well-formed is kept exactly
      }
    }
  }

  @Test
  void aSendRequestWithAnyStringsIsWellFormed() throws Exception {
    for (String s : NASTY) {
      UserKey key = new UserKey(Channel.WHATSAPP, s, s);
      SendRequest r =
          new SendRequest(
              s,
              s,
              key,
              Basis.TEMPLATE,
              null,
              s,
              new Template(s, s, Category.MARKETING),
              s,
              s,
              NotificationType.REGULAR,
              T,
              T.plusSeconds(60),
              s,
              Frequency.WEEKLY);

      JsonNode node = written(RecordCodec.write(r));

      assertThat(node.get("template").get("category").asText()).isEqualTo("MARKETING");
    }
  }

  @Test
  void aDeadLetterWithAnyStringsIsWellFormedAndItsReasonShort() throws Exception {
    for (String s : NASTY) {
      DeadLetter d = DeadLetter.of(T, s, s + s, s);

      JsonNode node = written(RecordCodec.write(d));

      assertThat(node.get("reason").asText()).hasSizeLessThanOrEqualTo(Text.MAX_REASON);
      assertThat(node.get("reason").asText()).doesNotContain("\u0000").doesNotContain("\n");
      assertThat(node.get("input").asText().getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(DeadLetter.MAX_INPUT_BYTES);
    }
  }

  @Test
  void aDeadLetterKeepsRawBytesThatAreNotUtf8AsEscapes() throws Exception {
    byte[] raw = {
      '{',
      '"',
      'a',
      '"',
      ':',
      '"',
      (byte) 0xFF,
      (byte) 0xED,
      (byte) 0xA0,
      (byte) 0x80,
      'x',
      '"',
      '}'
    };

    JsonNode node = written(RecordCodec.write(DeadLetter.ofBytes(T, "f:1", "bad", raw)));

    assertThat(node.get("input").asText()).isEqualTo("{\"a\":\"\\xFF\\xED\\xA0\\x80x\"}");
  }

  @Test
  void anInputRecordWritesItsStringsWellFormed() throws Exception {
    // Built directly, not parsed: no accepted record holds a lone surrogate, a writer copes anyway.
    UserEvent.OtnOptin e =
        new UserEvent.OtnOptin(
            new UserKey(Channel.MESSENGER, "page-1", "u-\uD800"), T, null, "t\uDC00", "tok");

    JsonNode node = written(RecordCodec.write(e));

    assertThat(node.get("user").asText()).isEqualTo("u-\uFFFD");
    assertThat(node.get("topic").asText()).isEqualTo("t\uFFFD");
  }
}
