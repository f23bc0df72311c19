package dev.herald.connectors.kafka;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * {@code bin/kafka topics}: creates Herald's topics that are missing and prints a table of all of
 * them (see {@link Topics}). Exit status: 0 on success, 1 when the broker failed or could not be
 * reached, 2 on a bad flag.
 */
public final class TopicsCommand {

  /**
   * The command's client id: bin/kafka's logging leaves out this client's connection warnings,
   * since the command reports an unreachable broker itself, in one line.
   */
  static final String CLIENT_ID = "herald-topics";

  /** How long the command waits for the broker before it gives up. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  static final CommandFlags FLAGS =
      new CommandFlags("usage: bin/kafka topics [flags]")
          .value("bootstrap-servers", "localhost:9092", "Kafka bootstrap servers")
          .value(
              "partitions",
              "4",
              "partitions of each new topic; the campaigns topic always has 1 (its records are"
                  + " read in one order)")
          .value("replication-factor", "1", "replicas of each partition of a new topic")
          .value("topic-user-events", TopicNames.USER_EVENTS, "topic of user events")
          .value(
              "topic-campaigns",
              TopicNames.CAMPAIGNS,
              "topic of campaign, reminder and cancel records")
          .value("topic-decisions", TopicNames.DECISIONS, "topic of the job's decisions")
          .value(
              "topic-send-requests",
              TopicNames.SEND_REQUESTS,
              "topic of messages released for sending")
          .value(
              "topic-dead-letters", TopicNames.DEAD_LETTERS, "topic of input the job could not use")
          .value(
              "topic-delivery-outcomes",
              TopicNames.DELIVERY_OUTCOMES,
              "topic of what the channels reported about each send")
          .toggle("verbose", "print the stack trace of a broker error")
          .toggle("help", "print this help");

  private TopicsCommand() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, System.err));
  }

  /** Runs the command; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      CommandFlags.Parsed flags = FLAGS.parse(args);
      if (flags.isSet("help")) {
        out.print(FLAGS.usage());
        return 0;
      }
      options = Options.of(flags);
    } catch (IllegalArgumentException e) {
      err.println("topics: " + e.getMessage());
      err.print(FLAGS.usage());
      return 2;
    }

    Map<String, Object> props =
        Map.of(
            AdminClientConfig.CLIENT_ID_CONFIG,
            CLIENT_ID,
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            options.servers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) TIMEOUT.toMillis(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            (int) TIMEOUT.toMillis() / 2);
    try (Admin admin = Admin.create(props)) {
      out.print(
          Topics.table(
              Topics.ensure(
                  admin, options.names(), options.partitions(), options.replicationFactor())));
      return 0;
    } catch (ExecutionException | RuntimeException e) {
      if (e.getCause() instanceof TimeoutException) {
        err.println(
            "topics: Kafka at "
                + options.servers()
                + " did not answer within "
                + TIMEOUT.toSeconds()
                + " s (is it running? bin/kafka local starts one)");
      } else {
        err.println("topics: Kafka at " + options.servers() + ": " + message(e));
      }
      if (options.verbose()) {
        e.printStackTrace(err);
      }
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("topics: interrupted");
      return 1;
    }
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** The parsed flags. */
  private record Options(
      String servers, TopicNames names, int partitions, short replicationFactor, boolean verbose) {

    static Options of(CommandFlags.Parsed flags) {
      return new Options(
          flags.text("bootstrap-servers"),
          new TopicNames(
              flags.text("topic-user-events"),
              flags.text("topic-campaigns"),
              flags.text("topic-decisions"),
              flags.text("topic-send-requests"),
              flags.text("topic-dead-letters"),
              flags.text("topic-delivery-outcomes")),
          flags.number("partitions", 1, 100_000),
          (short) flags.number("replication-factor", 1, Short.MAX_VALUE),
          flags.isSet("verbose"));
    }
  }
}
