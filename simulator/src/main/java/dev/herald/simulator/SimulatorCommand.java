package dev.herald.simulator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link ChannelSimulator} from the command line for the demo and benchmarks: prints the
 * base URLs to point Herald's sink at, then serves until killed.
 *
 * <pre>
 * java -cp ... dev.herald.simulator.SimulatorCommand --port 8090 \
 *     --bootstrap-servers localhost:9092 --topic-user-events user-events
 * </pre>
 */
public final class SimulatorCommand {

  /** Every option, declared once: the usage text and the parser both come from this list. */
  enum Option {
    PORT("--port", "N", "the port on 127.0.0.1; 0 picks a free one", "8090"),
    BOOTSTRAP_SERVERS(
        "--bootstrap-servers",
        "HOST:PORT",
        "the Kafka cluster the referee reads user events from (none: events only by hand)",
        null),
    TOPIC_USER_EVENTS("--topic-user-events", "TOPIC", "the user-events topic", "user-events"),
    MESSENGER_PER_SECOND(
        "--messenger-per-second",
        "N",
        "accepted calls per Messenger/Instagram account in any one second",
        Integer.toString(SimulatorConfig.MESSENGER_PER_SECOND)),
    WHATSAPP_PER_SECOND(
        "--whatsapp-per-second",
        "N",
        "accepted calls per WhatsApp number in any one second",
        Integer.toString(SimulatorConfig.WHATSAPP_PER_SECOND));

    final String flag;
    final String value;
    final String description;
    final String defaultValue;

    Option(String flag, String value, String description, String defaultValue) {
      this.flag = flag;
      this.value = value;
      this.description = description;
      this.defaultValue = defaultValue;
    }
  }

  private SimulatorCommand() {}

  public static void main(String[] args) throws Exception {
    Map<Option, String> options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    }
    if (options == null) {
      usage(System.out);
      return;
    }
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "log4j2-simulator.properties");
    }
    SimulatorConfig config;
    try {
      config = config(options);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    ChannelSimulator simulator = ChannelSimulator.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                },
                "herald-simulator-shutdown"));
    System.out.println("Messenger and Instagram: " + simulator.messengerBaseUrl());
    System.out.println("WhatsApp:                " + simulator.whatsappBaseUrl());
    System.out.println(
        "Counters: "
            + simulator.messengerBaseUrl().resolve("/counters")
            + "  Metrics: "
            + simulator.messengerBaseUrl().resolve("/metrics"));
    System.out.flush();
    stopped.await();
  }

  /** The options given, with defaults; {@code null} when help was asked for. */
  static Map<Option, String> parse(String[] args) {
    Map<String, Option> byFlag = new HashMap<>();
    for (Option o : Option.values()) {
      byFlag.put(o.flag, o);
    }
    Map<Option, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return null;
      }
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      Option option = byFlag.get(arg);
      if (option == null) {
        throw new IllegalArgumentException("Unknown option " + arg);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(option.flag + " needs a value: " + option.value);
        }
        value = args[++i];
      }
      given.put(option, value);
    }
    for (Option o : Option.values()) {
      if (!given.containsKey(o) && o.defaultValue != null) {
        given.put(o, o.defaultValue);
      }
    }
    return given;
  }

  static SimulatorConfig config(Map<Option, String> options) {
    SimulatorConfig.Builder builder =
        SimulatorConfig.builder()
            .port(integer(options, Option.PORT))
            .messengerPerSecond(integer(options, Option.MESSENGER_PER_SECOND))
            .whatsappPerSecond(integer(options, Option.WHATSAPP_PER_SECOND));
    String servers = options.get(Option.BOOTSTRAP_SERVERS);
    if (servers != null) {
      builder.userEvents(servers, options.get(Option.TOPIC_USER_EVENTS));
    }
    return builder.build();
  }

  private static int integer(Map<Option, String> options, Option option) {
    String value = options.get(option);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option.flag + " needs a whole number, not " + value);
    }
  }

  static void usage(PrintStream out) {
    List<String> lines = new ArrayList<>();
    lines.add("Usage: SimulatorCommand [options]");
    lines.add(
        "Serves Meta's Messenger Send API and WhatsApp Cloud API as Herald's sink uses them,"
            + " with the platforms' limits and an independent referee, until killed.");
    for (Option o : Option.values()) {
      lines.add(
          String.format(
              "  %-34s %s%s",
              o.flag + " " + o.value,
              o.description,
              o.defaultValue == null ? "" : " (default " + o.defaultValue + ")"));
    }
    lines.add(String.format("  %-34s %s", "--help", "this text"));
    lines.forEach(out::println);
  }
}
