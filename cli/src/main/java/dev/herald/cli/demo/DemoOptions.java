package dev.herald.cli.demo;

import dev.herald.connectors.kafka.CommandFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags of {@code bin/herald run}, parsed once. Every flag has a default; a bad or unknown flag
 * fails at once with a message that names it.
 *
 * @param users how many demo users the traffic generator introduces
 * @param eventsPerSecond the generator's rate of user events, on the wall clock
 * @param duration how long to run once everything is up; {@code null}: until Ctrl-C
 * @param webUiPort the Flink Web UI and REST API
 * @param metricsPort Flink's Prometheus reporter
 * @param simulatorPort the channel simulator (both platforms, {@code /counters}, {@code /metrics})
 * @param kafkaPort the local broker's port (unused with {@code bootstrapServers})
 * @param bootstrapServers an existing Kafka to use instead of the local broker; {@code null}: start
 *     the local one
 * @param dataDir the parent of each run's own folder (broker data, checkpoints, log)
 * @param seed the traffic generator's seed: the same seed gives the same users and events
 */
public record DemoOptions(
    int users,
    int eventsPerSecond,
    Duration duration,
    int webUiPort,
    int metricsPort,
    int simulatorPort,
    int kafkaPort,
    String bootstrapServers,
    Path dataDir,
    long seed) {

  /** One flag: its name, default and description, for the usage text. */
  private record Flag(String name, String defaultValue, String description) {}

  private static final List<Flag> FLAGS =
      List.of(
          new Flag("users", "2000", "demo users the traffic generator introduces"),
          new Flag("events-per-second", "500", "user events per second the generator writes"),
          new Flag(
              "duration",
              "",
              "how long to run once the pipeline is up, in seconds or as an ISO-8601 duration"
                  + " (PT2M); empty: until Ctrl-C"),
          new Flag("web-ui-port", "8081", "Flink Web UI and REST API (0: any free port)"),
          new Flag("metrics-port", "9249", "Flink's Prometheus reporter"),
          new Flag("simulator-port", "8090", "the channel simulator (0: any free port)"),
          new Flag("kafka-port", "9092", "the local Kafka broker (0: any free port)"),
          new Flag(
              "bootstrap-servers",
              "",
              "use this Kafka instead of starting the local broker (topics get a per-run suffix)"),
          new Flag(
              "data-dir",
              "/tmp/herald/run",
              "each run gets its own folder here: broker data, checkpoints, herald.log"),
          new Flag("seed", "42", "the traffic generator's seed"));

  /**
   * @throws IllegalArgumentException if a value is out of range; the message names the flag
   */
  public DemoOptions {
    positive("users", users);
    positive("events-per-second", eventsPerSecond);
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("--duration: must be positive, got " + duration);
    }
    port("web-ui-port", webUiPort);
    port("metrics-port", metricsPort);
    port("simulator-port", simulatorPort);
    port("kafka-port", kafkaPort);
    if (bootstrapServers != null && bootstrapServers.isBlank()) {
      bootstrapServers = null;
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("--data-dir: must not be empty");
    }
  }

  /** The options with every default. */
  public static DemoOptions defaults() {
    return parse(new String[0]);
  }

  /**
   * Parses {@code --flag value} arguments.
   *
   * @throws IllegalArgumentException for an unknown flag, a flag without a value, or a bad value
   */
  public static DemoOptions parse(String[] args) {
    CommandFlags flags = new CommandFlags("usage: bin/herald run [flags]");
    for (Flag f : FLAGS) {
      flags.value(f.name(), f.defaultValue(), f.description());
    }
    Map<String, String> values = new LinkedHashMap<>();
    CommandFlags.Parsed parsed = flags.parse(args);
    for (Flag f : FLAGS) {
      values.put(f.name(), parsed.given(f.name()) ? parsed.text(f.name()) : "");
    }
    return new DemoOptions(
        integer(values, "users"),
        integer(values, "events-per-second"),
        duration(values.get("duration")),
        integer(values, "web-ui-port"),
        integer(values, "metrics-port"),
        integer(values, "simulator-port"),
        integer(values, "kafka-port"),
        values.get("bootstrap-servers"),
        Path.of(values.get("data-dir")),
        longValue(values, "seed"));
  }

  /** Whether {@code args} asks for the usage text. */
  public static boolean wantsHelp(String[] args) {
    return List.of(args).contains("--help") || List.of(args).contains("-h");
  }

  /** The usage text: every flag with its default and description. */
  public static String usage() {
    StringBuilder b =
        new StringBuilder(
            "Usage: bin/herald run [flags]\n"
                + "Starts a local Kafka broker, the channel simulator, the Herald job on an embedded"
                + " Flink cluster\n"
                + "and a demo traffic generator with sample campaigns; prints a status line every 5 s"
                + " and a\n"
                + "summary on exit (Ctrl-C or --duration).\n\nFlags:\n");
    for (Flag f : FLAGS) {
      b.append(String.format("  --%-20s %s%n", f.name(), f.description()));
      b.append(
          String.format(
              "  %-22s (default: %s)%n",
              "", f.defaultValue().isEmpty() ? "none" : f.defaultValue()));
    }
    return b.toString();
  }

  private static int integer(Map<String, String> values, String name) {
    try {
      return Integer.parseInt(values.get(name).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + name + ": not a whole number: '" + values.get(name) + "'");
    }
  }

  private static long longValue(Map<String, String> values, String name) {
    try {
      return Long.parseLong(values.get(name).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + name + ": not a whole number: '" + values.get(name) + "'");
    }
  }

  private static Duration duration(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      if (v.chars().allMatch(Character::isDigit)) {
        return Duration.ofSeconds(Long.parseLong(v));
      }
      return Duration.parse(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--duration: neither seconds nor an ISO-8601 duration: '" + value + "'");
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("--" + name + ": must be positive, got " + value);
    }
  }

  private static void port(String name, int value) {
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException("--" + name + ": not a port: " + value);
    }
  }
}
