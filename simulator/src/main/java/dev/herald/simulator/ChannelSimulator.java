package dev.herald.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real HTTP server that answers Herald's channel sink as Meta's Messenger Send API and WhatsApp
 * Cloud API would: it checks payloads, enforces the platforms' per-account limits, judges every
 * message with an independent {@link Referee}, injects {@link Faults} on demand and counts it all
 * ({@link Counters}, {@code GET /counters}, {@code GET /metrics}). Used by tests, the demo and
 * benchmarks; see simulator/README.md.
 *
 * <p>Routes: {@code POST /messenger/vNN.N/{account}/messages} (Messenger pages and Instagram
 * accounts), {@code POST /whatsapp/vNN.N/{account}/messages}, {@code GET /counters}, {@code GET
 * /metrics}, {@code GET /health}.
 */
public final class ChannelSimulator implements AutoCloseable {

  /**
   * The header in which Herald's channel sink sends a send request's {@code requestId}, the same on
   * every retry of one request; the simulator counts a repeat as a duplicate.
   */
  public static final String REQUEST_ID_HEADER = "X-Herald-Request-Id";

  private static final Logger LOG = LoggerFactory.getLogger(ChannelSimulator.class);
  private static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Connections waiting to be accepted: a benchmark opens many at once. */
  private static final int BACKLOG = 1024;

  static {
    // The JDK server writes an answer's headers and body separately; with Nagle's algorithm on,
    // the client's delayed ACK then costs ~40 ms per call. Read once, when the first server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Slow bodies are written in this many pieces over the configured time. */
  private static final int SLOW_PIECES = 8;

  private final HttpServer server;
  private final ExecutorService workers;
  private final ScheduledExecutorService delays;
  private final Faults faults;
  private final Referee referee;
  private final Platform platform;
  private final UserEventReader reader;
  private final URI base;

  private ChannelSimulator(SimulatorConfig config) throws IOException {
    this.faults = new Faults(config.seed());
    this.referee = new Referee(config.catchUpWait());
    this.platform = new Platform(config, faults, referee);
    this.workers = Executors.newFixedThreadPool(config.threads(), daemon("herald-simulator-http"));
    this.delays = Executors.newScheduledThreadPool(2, daemon("herald-simulator-delay"));
    this.server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), BACKLOG);
    server.setExecutor(workers);
    server.createContext("/messenger/", exchange -> send(Api.MESSENGER, exchange));
    server.createContext("/whatsapp/", exchange -> send(Api.WHATSAPP, exchange));
    server.createContext(
        "/counters", exchange -> get(exchange, "application/json", () -> countersJson()));
    server.createContext(
        "/metrics",
        exchange ->
            get(
                exchange,
                "text/plain; version=0.0.4; charset=utf-8",
                () -> platform.metrics().getBytes(StandardCharsets.UTF_8)));
    server.createContext(
        "/health",
        exchange -> get(exchange, "text/plain", () -> "OK\n".getBytes(StandardCharsets.UTF_8)));
    server.start();
    this.base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    UserEventReader started = null;
    if (config.readsUserEvents()) {
      try {
        started =
            UserEventReader.start(
                config.userEventsBootstrapServers(), config.userEventsTopic(), referee);
      } catch (RuntimeException e) {
        // A Kafka setting the client refuses: leave nothing running behind the exception.
        stopServing();
        throw e;
      }
      referee.attach(started);
    }
    this.reader = started;
  }

  /** Starts a simulator; it serves until {@link #close()}. */
  public static ChannelSimulator start(SimulatorConfig config) throws IOException {
    ChannelSimulator simulator = new ChannelSimulator(config);
    LOG.info(
        "Channel simulator on {} and {} ({})",
        simulator.messengerBaseUrl(),
        simulator.whatsappBaseUrl(),
        config);
    return simulator;
  }

  /** {@code http://127.0.0.1:PORT/messenger}: Messenger pages and Instagram accounts. */
  public URI messengerBaseUrl() {
    return URI.create(base + "/messenger");
  }

  /** {@code http://127.0.0.1:PORT/whatsapp}. */
  public URI whatsappBaseUrl() {
    return URI.create(base + "/whatsapp");
  }

  /** The faults to inject, changeable while the simulator runs. */
  public Faults faults() {
    return faults;
  }

  /** The referee; {@code referee().accept(line)} feeds it a user event by hand. */
  public Referee referee() {
    return referee;
  }

  /** A consistent snapshot of the counters. */
  public Counters counters() {
    return platform.counters();
  }

  /**
   * Answers every message to this user with the platform's "unreachable" error (Messenger 551,
   * WhatsApp 131026) until the user interacts after this moment.
   */
  public void markUnreachable(String account, String user) {
    platform.markUnreachable(account, user);
  }

  /** Stops the server and the Kafka reader. */
  @Override
  public void close() {
    stopServing();
    if (reader != null) {
      reader.close();
    }
  }

  private void stopServing() {
    server.stop(0);
    delays.shutdownNow();
    workers.shutdownNow();
  }

  private void send(Api api, HttpExchange exchange) {
    boolean answered = true;
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String[] parts = exchange.getRequestURI().getPath().split("/", -1);
      // "", api, version, account, "messages"
      if (parts.length != 5
          || !VERSION.matcher(parts[2]).matches()
          || parts[3].isEmpty()
          || !parts[4].equals("messages")) {
        reply(exchange, Answer.error(404, 100, null, "(#100) Unknown path components"));
      } else if (!exchange.getRequestMethod().equals("POST")) {
        reply(exchange, Answer.error(405, 100, null, "(#100) Only POST is supported here"));
      } else {
        Answer answer =
            platform.send(
                api,
                parts[3],
                exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst(REQUEST_ID_HEADER),
                body);
        answered = respond(exchange, answer);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Send call failed inside the simulator", e);
    } finally {
      if (answered) {
        exchange.close();
      }
    }
  }

  /**
   * Answers now and returns {@code true}, or hands the exchange to a timer (latency, slow body,
   * timeout) that answers or closes it later, and returns {@code false}.
   */
  private boolean respond(HttpExchange exchange, Answer answer) throws IOException {
    if (answer instanceof Answer.Hang hang) {
      // Closing an exchange before any header is sent drops the connection unanswered.
      later(exchange, hang.hold(), exchange::close);
      return false;
    }
    Answer.Reply reply = (Answer.Reply) answer;
    Duration latency = faults.latency();
    Duration slow = faults.slowBody();
    if (latency.isZero() && slow.isZero()) {
      reply(exchange, reply);
      return true;
    }
    later(exchange, latency, () -> writeSlowly(exchange, reply, slow));
    return false;
  }

  private void writeSlowly(HttpExchange exchange, Answer.Reply reply, Duration slow)
      throws IOException {
    byte[] body = reply.body();
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(reply.httpStatus(), body.length);
    if (slow.isZero()) {
      exchange.getResponseBody().write(body);
      exchange.close();
      return;
    }
    int pieces = Math.min(SLOW_PIECES, body.length);
    long pause = slow.toNanos() / pieces;
    writePiece(exchange, body, 0, pieces, pause);
  }

  private void writePiece(HttpExchange exchange, byte[] body, int piece, int pieces, long pause) {
    delays.schedule(
        () -> {
          try {
            int from = body.length * piece / pieces;
            int to = body.length * (piece + 1) / pieces;
            OutputStream out = exchange.getResponseBody();
            out.write(Arrays.copyOfRange(body, from, to));
            out.flush();
            if (piece + 1 == pieces) {
              exchange.close();
            } else {
              writePiece(exchange, body, piece + 1, pieces, pause);
            }
          } catch (IOException | RuntimeException e) {
            exchange.close();
          }
        },
        pause,
        TimeUnit.NANOSECONDS);
  }

  private interface Io {
    void run() throws IOException;
  }

  private void later(HttpExchange exchange, Duration delay, Io task) {
    delays.schedule(
        () -> {
          try {
            task.run();
          } catch (IOException | RuntimeException e) {
            exchange.close();
          }
        },
        delay.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  private static void reply(HttpExchange exchange, Answer.Reply reply) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(reply.httpStatus(), reply.body().length);
    exchange.getResponseBody().write(reply.body());
  }

  private interface Body {
    byte[] get() throws IOException;
  }

  private static void get(HttpExchange exchange, String contentType, Body body) {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      if (!path.equals(exchange.getHttpContext().getPath())) {
        reply(exchange, Answer.error(404, 100, null, "(#100) Unknown path components"));
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        reply(exchange, Answer.error(405, 100, null, "(#100) Only GET is supported here"));
        return;
      }
      byte[] bytes = body.get();
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (IOException | RuntimeException e) {
      LOG.warn("GET {} failed inside the simulator", exchange.getRequestURI().getPath(), e);
    }
  }

  private byte[] countersJson() throws IOException {
    return JSON.writeValueAsBytes(counters());
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
