package dev.herald.connectors.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker in this JVM, for development and tests: one KRaft node that is both broker
 * and controller, on 127.0.0.1, with its data under a directory of your choice. A new directory is
 * formatted; an existing one is reused, so a restart keeps topics and records.
 *
 * <p>Automatic topic creation is off: create topics with {@code Topics} (or {@code bin/kafka
 * topics}). Transactions may last up to an hour, which Flink's KafkaSink needs; see {@link
 * BrokerSettings}.
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.start(dir, 0)) {
 *   String servers = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class LocalKafka implements AutoCloseable {

  /** How long a start may take, formatting and the first client answer included. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final KafkaRaftServer server;
  private final FileLock lock;
  private final int port;
  private boolean closed;

  private LocalKafka(KafkaRaftServer server, FileLock lock, int port) {
    this.server = server;
    this.lock = lock;
    this.port = port;
  }

  /**
   * Starts a broker and waits until it answers clients.
   *
   * @param dataDir where the broker keeps its data; created and formatted if new
   * @param port the port for clients, or 0 for any free port
   * @throws IllegalStateException if another broker uses the directory, or the broker fails or does
   *     not answer within two minutes
   * @throws UncheckedIOException if the directory cannot be created
   */
  public static LocalKafka start(Path dataDir, int port) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Storage storage = new Storage(dataDir);
    FileLock lock;
    try {
      lock = storage.lock();
    } catch (IOException e) {
      throw new UncheckedIOException("could not use " + dataDir + " for Kafka's data: " + e, e);
    }
    int brokerPort;
    try {
      brokerPort = port == 0 ? freePort() : requireFree(port);
    } catch (RuntimeException e) {
      release(lock);
      throw e;
    }
    LocalKafka kafka = null;
    try {
      if (!storage.isFormatted()) {
        storage.format();
      }
      KafkaConfig config =
          new KafkaConfig(BrokerSettings.of(storage, brokerPort, freePort(), START_TIMEOUT));
      kafka = new LocalKafka(new KafkaRaftServer(config, Time.SYSTEM), lock, brokerPort);
      kafka.server.startup();
      kafka.awaitClients(deadline);
      return kafka;
    } catch (Exception e) { // the Scala server may throw checked exceptions undeclared
      IllegalStateException failure =
          new IllegalStateException(
              "Kafka did not start on port " + brokerPort + " (data in " + dataDir + "): " + e, e);
      try {
        if (kafka != null) {
          kafka.close();
        }
      } catch (RuntimeException closing) {
        failure.addSuppressed(closing);
      } finally {
        release(lock);
      }
      throw failure;
    }
  }

  /** Where clients connect, e.g. {@code localhost:9092}. */
  public String bootstrapServers() {
    return "localhost:" + port;
  }

  /** Shuts the broker down and waits until it has stopped. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      release(lock);
    }
  }

  private static void release(FileLock lock) {
    try {
      lock.channel().close(); // releases the lock too
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
  }

  /** Asks the broker to describe the cluster until it answers with a node. */
  private void awaitClients(long deadline) {
    Map<String, Object> props =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    Exception last = null;
    try (Admin admin = Admin.create(props)) {
      while (System.nanoTime() < deadline) {
        try {
          if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
    throw new IllegalStateException(
        "Kafka did not answer at "
            + bootstrapServers()
            + " within "
            + START_TIMEOUT.toSeconds()
            + " s"
            + (last == null ? "" : ": " + last.getMessage()));
  }

  /** A port nobody listens on now; the broker binds it moments later. */
  private static int freePort() {
    try (ServerSocket s = bind(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** Fails at once if the port is taken, rather than after the broker has started up to it. */
  private static int requireFree(int port) {
    try (ServerSocket s = bind(port)) {
      return port;
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use", e);
    }
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    try {
      s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port));
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return s;
  }
}
