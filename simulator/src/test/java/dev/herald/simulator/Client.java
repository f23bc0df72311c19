package dev.herald.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP calls to a running simulator, as the sink makes them. */
final class Client {

  static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: status and parsed JSON body. */
  record Reply(int status, JsonNode body, String text) {
    long code() {
      return body.path("error").path("code").asLong();
    }

    Long subcode() {
      JsonNode s = body.path("error").path("error_subcode");
      return s.isMissingNode() ? null : s.asLong();
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final ChannelSimulator simulator;

  Client(ChannelSimulator simulator) {
    this.simulator = simulator;
  }

  Reply messenger(String account, String json) {
    return post(simulator.messengerBaseUrl() + "/v23.0/" + account + "/messages", json, null, null);
  }

  Reply whatsapp(String account, String json) {
    return post(simulator.whatsappBaseUrl() + "/v23.0/" + account + "/messages", json, null, null);
  }

  Reply post(String url, String json, String authorization, String requestId) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (requestId != null) {
      request.header(ChannelSimulator.REQUEST_ID_HEADER, requestId);
    }
    return send(request.build());
  }

  Reply get(String path) {
    URI uri = URI.create(simulator.messengerBaseUrl().toString().replace("/messenger", path));
    return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build());
  }

  HttpResponse<String> raw(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = raw(request);
      JsonNode body;
      try {
        body = JSON.readTree(response.body());
      } catch (IOException notJson) {
        body = JSON.missingNode();
      }
      return new Reply(response.statusCode(), body, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A Messenger text to a user id with this messaging type. */
  static String text(String user, String messagingType) {
    return "{\"recipient\":{\"id\":\""
        + user
        + "\"},\"messaging_type\":\""
        + messagingType
        + "\",\"message\":{\"text\":\"Back in stock!\"}}";
  }

  /** A Messenger tagged text to a user id. */
  static String tagged(String user, String tag) {
    return "{\"recipient\":{\"id\":\""
        + user
        + "\"},\"messaging_type\":\"MESSAGE_TAG\",\"tag\":\""
        + tag
        + "\",\"message\":{\"text\":\"Your order shipped\"}}";
  }

  /** A Messenger text to a token recipient ({@code one_time_notif_token} or recurring). */
  static String toToken(String field, String token) {
    return "{\"recipient\":{\""
        + field
        + "\":\""
        + token
        + "\"},\"message\":{\"text\":\"Back in stock!\"}}";
  }

  /** A WhatsApp free-form text. */
  static String waText(String to) {
    return "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\""
        + to
        + "\",\"type\":\"text\",\"text\":{\"body\":\"Hello\"}}";
  }

  /** A WhatsApp template message. */
  static String waTemplate(String to) {
    return "{\"messaging_product\":\"whatsapp\",\"to\":\""
        + to
        + "\",\"type\":\"template\",\"template\":{\"name\":\"restock\",\"language\":{\"code\":\"en_US\"}}}";
  }

  /** A user-event line: an interaction of {@code kind} at {@code at}. */
  static String interaction(String channel, String account, String user, String at, String kind) {
    return "{\"type\":\"interaction\",\"at\":\""
        + at
        + "\",\"channel\":\""
        + channel
        + "\",\"account\":\""
        + account
        + "\",\"user\":\""
        + user
        + "\",\"kind\":\""
        + kind
        + "\"}";
  }
}
