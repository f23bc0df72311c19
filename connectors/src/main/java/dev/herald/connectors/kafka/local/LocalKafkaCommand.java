package dev.herald.connectors.kafka.local;

import dev.herald.connectors.kafka.CommandFlags;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/kafka local}: runs a {@link LocalKafka} broker until the process is stopped (Ctrl-C or
 * a signal), then shuts it down cleanly. Its data stays in the directory for the next start. Exit
 * status: 1 when the broker failed to start, 2 on a bad flag.
 */
public final class LocalKafkaCommand {

  static final CommandFlags FLAGS =
      new CommandFlags("usage: bin/kafka local [--port N] [--dir PATH]")
          .value("port", "9092", "the port clients connect to (0: any free port)")
          .value("dir", "/tmp/herald/kafka", "where the broker keeps its data across restarts")
          .toggle("help", "print this help");

  private LocalKafkaCommand() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, System.err, new CountDownLatch(1)));
  }

  /**
   * Runs the command; returns the exit status once {@code stop} is released (never, from {@link
   * #main}: the process ends by a signal, and the shutdown hook closes the broker).
   */
  static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
    int port;
    Path dir;
    try {
      CommandFlags.Parsed flags = FLAGS.parse(args);
      if (flags.isSet("help")) {
        out.print(FLAGS.usage());
        return 0;
      }
      port = flags.number("port", 0, 65_535);
      dir = Path.of(flags.text("dir")).toAbsolutePath().normalize();
    } catch (IllegalArgumentException e) {
      err.println("kafka: " + e.getMessage());
      err.print(FLAGS.usage());
      return 2;
    }

    LocalKafka kafka;
    try {
      kafka = LocalKafka.start(dir, port);
    } catch (RuntimeException e) {
      err.println("kafka: " + e.getMessage());
      return 1;
    }
    Thread hook = new Thread(kafka::close, "local-kafka-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(
        "Kafka is ready at "
            + kafka.bootstrapServers()
            + " (data in "
            + dir
            + "); Ctrl-C stops it");
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().removeShutdownHook(hook);
    kafka.close();
    return 0;
  }
}
