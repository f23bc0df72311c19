package dev.herald.channel;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.herald.channel.ChannelAnswer.Failed;
import dev.herald.channel.ChannelAnswer.Sent;
import dev.herald.schema.PlatformError;
import dev.herald.schema.Text;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * JSON in and out of Meta's Graph API, which the Messenger Send API and the WhatsApp Cloud API both
 * live on: request bodies written with one shared streaming factory, and answers read into what
 * they mean, the Graph error object included. Never throws on an answer: whatever the platform (or
 * a proxy in front of it) sends back is a {@link ChannelAnswer}.
 */
final class GraphJson {

  /** The most of an answer's body quoted in a {@link Failed} that has no Graph error. */
  static final int MAX_QUOTED_BODY = 200;

  /** The most of a platform's error message kept: it goes to logs and events, not a novel. */
  static final int MAX_ERROR_MESSAGE = 1000;

  // Characters beyond the BMP (emoji) as their four UTF-8 bytes, not as two escaped surrogates.
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

  // One value per answer: "{...}garbage" is not an answer, whatever its first object says.
  private static final ObjectMapper READER =
      JsonMapper.builder(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private GraphJson() {}

  /** What writes one body. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** The UTF-8 bytes {@code body} writes. */
  static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e); // not expected
    }
    return out.toByteArray();
  }

  /**
   * Writes {@code value} as a string field; a lone UTF-16 surrogate (which no encoder takes) is
   * written as U+FFFD rather than failing the whole request.
   */
  static void string(JsonGenerator g, String field, String value) throws IOException {
    g.writeStringField(field, Text.wellFormed(value));
  }

  /**
   * {@code s} cut to at most {@code max} characters, never between the two halves of a surrogate
   * pair.
   */
  static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  /**
   * What an answer means. A Graph error object makes it {@link Failed} with the error's code and
   * subcode, whatever the status; a 2xx whose body names a message id (found by {@code messageId},
   * {@code null} if none) is {@link Sent}; anything else is {@link Failed} with no error and the
   * start of the body, for a human to read.
   */
  static ChannelAnswer read(int httpStatus, byte[] body, Function<JsonNode, String> messageId) {
    JsonNode root = parse(body);
    if (root == null) {
      return unreadable(httpStatus, body);
    }
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      return graphError(httpStatus, body, error);
    }
    if (httpStatus >= 200 && httpStatus < 300) {
      String id = messageId.apply(root);
      if (id != null && !id.isEmpty()) {
        return new Sent(id);
      }
    }
    return unreadable(httpStatus, body);
  }

  /** The text of {@code node} if it is a JSON string, else {@code null}. */
  static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  private static Failed graphError(int httpStatus, byte[] body, JsonNode error) {
    Long code = integer(error.get("code"));
    PlatformError platformError =
        code == null ? null : new PlatformError(code, integer(error.get("error_subcode")));
    String message = text(error.get("message"));
    return new Failed(
        httpStatus,
        platformError,
        message == null ? quoted(httpStatus, body) : cut(message, MAX_ERROR_MESSAGE));
  }

  private static Failed unreadable(int httpStatus, byte[] body) {
    return new Failed(httpStatus, null, quoted(httpStatus, body));
  }

  /** {@code HTTP <status>: <the first 200 characters of the body>}, bytes not UTF-8 as \xHH. */
  private static String quoted(int httpStatus, byte[] body) {
    String start = "";
    if (body != null) {
      // 4 bytes per character at most, so this many bytes always hold the first 200 characters.
      int end = Text.cutPoint(body, body.length, MAX_QUOTED_BODY * 4);
      start = cut(Text.renderBytes(body, 0, end), MAX_QUOTED_BODY);
    }
    return "HTTP " + httpStatus + ": " + start;
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      JsonNode root = READER.readTree(body);
      return root != null && root.isObject() ? root : null;
    } catch (IOException e) {
      return null; // not JSON: an HTML error page from a proxy, a cut-off body
    }
  }

  private static Long integer(JsonNode node) {
    return node != null && node.isIntegralNumber() && node.canConvertToLong()
        ? node.longValue()
        : null;
  }
}
