package dev.herald.connectors.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.herald.channel.ChannelAnswer;
import dev.herald.channel.MessagingChannel;
import dev.herald.schema.Channel;
import dev.herald.schema.SendRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP call itself, against a plain HTTP server that records what it received. */
class ChannelClientTest {

  private static final String TOKEN = "EAAB-secret-page-token";

  private HttpServer server;
  private final Map<String, String> received = new ConcurrentHashMap<>();
  private volatile int status = 200;
  private volatile String answer = "{\"recipient_id\":\"u-1\",\"message_id\":\"m_1\"}";

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          received.put("method", exchange.getRequestMethod());
          received.put("uri", exchange.getRequestURI().toString());
          exchange.getRequestHeaders().forEach((k, v) -> received.put(k.toLowerCase(), v.get(0)));
          received.put(
              "body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void postsTheChannelsBodyWithTheTokenInTheAuthorizationHeader() throws Exception {
    SendRequest r = Requests.inWindow(Channel.MESSENGER, "page 1", "u-1", Instant.now());

    ChannelAnswer a;
    try (ChannelClient client = new ChannelClient(endpoints("http://127.0.0.1:" + port()))) {
      a = client.send(r, Secret.of(TOKEN)).get(20, TimeUnit.SECONDS);
    }

    assertThat(a).isEqualTo(new ChannelAnswer.Sent("m_1"));
    assertThat(received)
        .containsEntry("method", "POST")
        .containsEntry("uri", "/v23.0/page%201/messages")
        .containsEntry("authorization", "Bearer " + TOKEN)
        .containsEntry("content-type", "application/json")
        .containsEntry(MessagingChannel.REQUEST_ID_HEADER.toLowerCase(), r.requestId());
    assertThat(received.get("body"))
        .isEqualTo(
            new String(
                MessagingChannel.of(Channel.MESSENGER).requestBody(r), StandardCharsets.UTF_8));
    assertThat(received.get("uri")).doesNotContain(TOKEN);
  }

  @Test
  void aPlatformErrorIsAFailedAnswer() throws Exception {
    status = 400;
    answer =
        "{\"error\":{\"message\":\"(#551) This person isn't available right now.\",\"code\":551}}";

    ChannelAnswer a;
    try (ChannelClient client = new ChannelClient(endpoints("http://127.0.0.1:" + port()))) {
      a =
          client
              .send(Requests.inWindow(Channel.MESSENGER, "p", "u", Instant.now()), Secret.of(TOKEN))
              .get(20, TimeUnit.SECONDS);
    }

    assertThat(a).isInstanceOf(ChannelAnswer.Failed.class);
    ChannelAnswer.Failed f = (ChannelAnswer.Failed) a;
    assertThat(f.httpStatus()).isEqualTo(400);
    assertThat(f.error().code()).isEqualTo(551);
  }

  @Test
  void noServerIsAnAnswerWithStatusZeroNeverAnException() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }

    ChannelAnswer a;
    try (ChannelClient client = new ChannelClient(endpoints("http://127.0.0.1:" + closedPort))) {
      a =
          client
              .send(Requests.inWindow(Channel.WHATSAPP, "1", "49", Instant.now()), Secret.of(TOKEN))
              .get(20, TimeUnit.SECONDS);
    }

    assertThat(a)
        .isEqualTo(new ChannelAnswer.Failed(ChannelClient.NO_ANSWER, null, "cannot connect"));
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private static ChannelEndpoints endpoints(String base) {
    return ChannelEndpoints.builder().baseUrl(base).requestTimeout(Duration.ofSeconds(10)).build();
  }
}
