package dev.herald.job;

import dev.herald.channel.DeliveryLimits;
import dev.herald.channel.MessagingChannel;
import dev.herald.policy.FrequencyCap;
import dev.herald.policy.PolicyConfig;
import dev.herald.schema.Wire;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;

/**
 * The delivery job's settings, parsed once from {@code --flag value} arguments. Every flag has a
 * default and a description ({@link #usage()}); a bad or unknown flag fails at once with a message
 * naming it. The parsed values are the job's global parameters, so the Web UI shows them.
 *
 * @param parallelism the keyed operators' parallelism; 0: the cluster's default
 * @param checkpointDir where checkpoints go; {@code null}: the cluster's setting
 */
public record JobConfig(
    Mode mode,
    int parallelism,
    int maxParallelism,
    Duration checkpointInterval,
    String checkpointDir,
    boolean incrementalCheckpoints,
    MemorySize rocksdbMemoryPerSlot,
    FrequencyCap frequencyCap,
    Duration outOfOrderness,
    Duration idleAfter,
    String bootstrapServers,
    String userEventsTopic,
    String campaignsTopic,
    String decisionsTopic,
    String sendRequestsTopic,
    String deadLettersTopic,
    String groupId,
    String transactionalIdPrefix,
    Duration transactionTimeout,
    String deliveryOutcomesTopic,
    DeliverySettings delivery)
    implements Serializable {

  /**
   * How the job delivers to the channels (live mode only).
   *
   * @param enabled whether live mode delivers at all (false: send requests go to their topic only)
   * @param messengerBaseUrl the Messenger Send API's base (Messenger and Instagram)
   * @param whatsappBaseUrl the WhatsApp Cloud API's base
   * @param apiVersion the Graph API version in every call's path
   * @param credentialsFile the file of {@code channel/account=TOKEN} lines; {@code null}: the
   *     environment variable {@code HERALD_CREDENTIALS}, read on the task managers
   * @param accountLimits per-account limits that replace the channel's defaults, by {@code
   *     channel/account}
   * @param inFlight requests in flight per channel-sink subtask
   * @param margin the jitter allowed for between the dispatcher and the platform
   */
  public record DeliverySettings(
      boolean enabled,
      String messengerBaseUrl,
      String whatsappBaseUrl,
      String apiVersion,
      String credentialsFile,
      Map<String, DeliveryLimits> accountLimits,
      int inFlight,
      Duration margin)
      implements Serializable {}

  /** How the job reads its Kafka topics. */
  public enum Mode {
    /** From the consumer group's committed offsets (earliest on a first start), forever. */
    LIVE,
    /**
     * Each topic from its earliest offset to the end offsets found at start, with the event time of
     * {@code bin/replay} (all input, then event time runs to the end); then the job finishes.
     */
    REPLAY
  }

  /** One flag: its name, default, description and how its value is read. */
  private record Flag(String name, String defaultValue, String description) {}

  private static final List<Flag> FLAGS =
      List.of(
          new Flag(
              "mode",
              "live",
              "live: read from the committed offsets on and run forever, event time following the"
                  + " records and the wall clock; replay: read every topic from the earliest to the"
                  + " end offsets found at start, decide as bin/replay does, and finish"),
          new Flag(
              "parallelism",
              "",
              "parallel subtasks of the keyed operators; empty: the cluster's default (flink run"
                  + " -p N, parallelism.default)"),
          new Flag(
              "max-parallelism",
              "128",
              "key groups of the keyed state: the most a restored job can be rescaled to; fixed"
                  + " for the life of the state (a savepoint keeps it)"),
          new Flag(
              "checkpoint-interval",
              "PT10S",
              "time between checkpoints, an ISO-8601 duration; PT0S turns checkpoints off"),
          new Flag(
              "checkpoint-dir",
              "",
              "where checkpoints are written (a file:// or other Flink file-system URI); empty: the"
                  + " cluster's execution.checkpointing.dir"),
          new Flag(
              "incremental-checkpoints",
              "true",
              "RocksDB incremental checkpoints (only changed SST files are uploaded)"),
          new Flag(
              "rocksdb-memory-per-slot",
              "",
              "fixed RocksDB memory per slot (e.g. 256mb); empty: Flink's managed memory"),
          new Flag(
              "frequency-cap",
              "",
              "at most N promotional messages per user per period, written N/PERIOD (e.g."
                  + " 1/PT24H); empty: no cap"),
          new Flag(
              "out-of-orderness",
              "PT0.5S",
              "how far behind the newest event time a user event may arrive and still be"
                  + " applied in order"),
          new Flag(
              "idle-after",
              "PT0.2S",
              "after this long without input, event time follows the wall clock (so campaigns"
                  + " start on time without traffic)"),
          new Flag("bootstrap-servers", "localhost:9092", "Kafka bootstrap servers"),
          new Flag("topic-user-events", "user-events", "topic of user events"),
          new Flag(
              "topic-campaigns", "campaigns", "topic of campaign, reminder and cancel records"),
          new Flag("topic-decisions", "decisions", "topic the decisions are written to"),
          new Flag(
              "topic-send-requests", "send-requests", "topic of messages released for sending"),
          new Flag("topic-dead-letters", "dead-letters", "topic of input the job could not use"),
          new Flag(
              "group-id",
              "herald",
              "Kafka consumer group; live mode starts from its committed offsets and commits to it"
                  + " at each checkpoint"),
          new Flag(
              "transactional-id-prefix",
              "herald",
              "prefix of the output's Kafka transactional ids; unique per job on a cluster"),
          new Flag(
              "transaction-timeout",
              "PT15M",
              "Kafka transaction timeout of the exactly-once output: longer than a checkpoint"
                  + " interval plus a restart, at most the brokers' transaction.max.timeout.ms"),
          new Flag(
              "topic-delivery-outcomes",
              "delivery-outcomes",
              "topic the channel sink writes what the platforms answered to; the job reads it"
                  + " back as user events"),
          new Flag(
              "delivery",
              "true",
              "in live mode, release send requests through the per-account dispatcher to the"
                  + " channels; false: write them to their topic only (replay mode never sends)"),
          new Flag(
              "messenger-base-url",
              MessagingChannel.GRAPH_API,
              "base URL of the Messenger Send API (Messenger and Instagram); calls go to"
                  + " {base}/{api-version}/{page or Instagram account id}/messages"),
          new Flag(
              "whatsapp-base-url",
              MessagingChannel.GRAPH_API,
              "base URL of the WhatsApp Cloud API; calls go to"
                  + " {base}/{api-version}/{phone-number id}/messages"),
          new Flag("api-version", "v23.0", "Graph API version in every call's path"),
          new Flag(
              "credentials-file",
              "",
              "file of access tokens, one channel/account=TOKEN line per account (# comments);"
                  + " empty: the same lines from the environment variable HERALD_CREDENTIALS on the"
                  + " task managers. Tokens go in an Authorization header and are never logged"),
          new Flag(
              "account-limits",
              "",
              "JSON file of per-account limits replacing the channel's defaults (WhatsApp 80/s,"
                  + " 1 per 6 s to one user; Messenger and Instagram 300/s), e.g."
                  + " {\"whatsapp/1234\":{\"perSecond\":1000,\"tier\":10000}}"),
          new Flag(
              "delivery-in-flight",
              "100",
              "send requests one channel-sink subtask holds at once, waiting or in flight, and"
                  + " the most calls in flight to one account; beyond it the dispatcher is"
                  + " backpressured"),
          new Flag(
              "delivery-margin",
              "PT0.05S",
              "jitter allowed for between the dispatcher and the platform: an account's rate is"
                  + " kept over windows of one second plus this, and WhatsApp's 6 s between two"
                  + " messages to a user is this much longer (under 1 s)"));

  /** A configuration with every default. */
  public static JobConfig defaults() {
    return parse(new String[0]);
  }

  /**
   * Parses {@code --flag value} pairs.
   *
   * @throws IllegalArgumentException naming the flag, if one is unknown, has no value or a bad one
   */
  public static JobConfig parse(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Flag f : FLAGS) {
      values.put(f.name(), f.defaultValue());
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException(
            "expected a flag (--name value), got '" + arg + "'\n" + usage());
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("unknown flag --" + name + "\n" + usage());
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      values.put(name, value);
    }
    JobConfig config =
        new JobConfig(
            read(values, "mode", JobConfig::mode),
            read(values, "parallelism", v -> v.isEmpty() ? 0 : positiveInt(v)),
            read(values, "max-parallelism", JobConfig::positiveInt),
            read(values, "checkpoint-interval", JobConfig::duration),
            read(values, "checkpoint-dir", v -> v.isEmpty() ? null : v),
            read(values, "incremental-checkpoints", JobConfig::bool),
            read(values, "rocksdb-memory-per-slot", v -> v.isEmpty() ? null : MemorySize.parse(v)),
            read(values, "frequency-cap", JobConfig::frequencyCap),
            read(values, "out-of-orderness", JobConfig::duration),
            read(values, "idle-after", JobConfig::duration),
            read(values, "bootstrap-servers", JobConfig::nonEmpty),
            read(values, "topic-user-events", JobConfig::nonEmpty),
            read(values, "topic-campaigns", JobConfig::nonEmpty),
            read(values, "topic-decisions", JobConfig::nonEmpty),
            read(values, "topic-send-requests", JobConfig::nonEmpty),
            read(values, "topic-dead-letters", JobConfig::nonEmpty),
            read(values, "group-id", JobConfig::nonEmpty),
            read(values, "transactional-id-prefix", JobConfig::nonEmpty),
            read(values, "transaction-timeout", JobConfig::positiveDuration),
            read(values, "topic-delivery-outcomes", JobConfig::nonEmpty),
            new DeliverySettings(
                read(values, "delivery", JobConfig::bool),
                read(values, "messenger-base-url", JobConfig::baseUrl),
                read(values, "whatsapp-base-url", JobConfig::baseUrl),
                read(values, "api-version", JobConfig::apiVersion),
                read(values, "credentials-file", v -> v.isEmpty() ? null : v),
                read(values, "account-limits", AccountLimits::read),
                read(values, "delivery-in-flight", JobConfig::positiveInt),
                read(values, "delivery-margin", JobConfig::margin)));
    if (config.parallelism() > config.maxParallelism()) {
      throw new IllegalArgumentException(
          "--parallelism: must be at most --max-parallelism ("
              + config.maxParallelism()
              + "), got "
              + config.parallelism());
    }
    return config;
  }

  /** Every flag with its default and description. */
  public static String usage() {
    StringBuilder b = new StringBuilder("flags:\n");
    for (Flag f : FLAGS) {
      b.append("  --")
          .append(f.name())
          .append(" (default: ")
          .append(f.defaultValue().isEmpty() ? "none" : f.defaultValue())
          .append(")\n      ")
          .append(f.description())
          .append('\n');
    }
    return b.toString();
  }

  private static <T> T read(Map<String, String> values, String flag, Function<String, T> parser) {
    String v = values.get(flag);
    try {
      return parser.apply(v.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--" + flag + ": " + e.getMessage(), e);
    }
  }

  private static int positiveInt(String v) {
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + v + "' is not a whole number");
    }
    if (n < 1) {
      throw new IllegalArgumentException("must be at least 1, got " + n);
    }
    return n;
  }

  private static Duration duration(String v) {
    Duration d = Wire.parseDuration(v);
    if (d == null) {
      throw new IllegalArgumentException("'" + v + "' is not a duration (e.g. PT10S, PT0.5S)");
    }
    return d;
  }

  private static String baseUrl(String v) {
    URI uri;
    try {
      uri = new URI(v);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + v + "' is not a URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null
        || uri.getQuery() != null) {
      throw new IllegalArgumentException(
          "'"
              + v
              + "' is not an http(s) base URL without a query (e.g. https://graph.facebook.com)");
    }
    return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
  }

  private static Duration margin(String v) {
    Duration d = duration(v);
    if (d.compareTo(Duration.ofSeconds(1)) >= 0) {
      throw new IllegalArgumentException("must be under 1 s, got " + Wire.format(d));
    }
    return d;
  }

  private static String apiVersion(String v) {
    if (!v.matches("v[0-9]+\\.[0-9]+")) {
      throw new IllegalArgumentException("'" + v + "' is not a Graph API version (e.g. v23.0)");
    }
    return v;
  }

  private static Mode mode(String v) {
    return switch (v) {
      case "live" -> Mode.LIVE;
      case "replay" -> Mode.REPLAY;
      default -> throw new IllegalArgumentException("'" + v + "' is not live or replay");
    };
  }

  private static Duration positiveDuration(String v) {
    Duration d = duration(v);
    if (d.isZero()) {
      throw new IllegalArgumentException("must be longer than zero");
    }
    return d;
  }

  private static boolean bool(String v) {
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException("'" + v + "' is not true or false");
  }

  private static String nonEmpty(String v) {
    if (v.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return v;
  }

  private static FrequencyCap frequencyCap(String v) {
    if (v.isEmpty()) {
      return null;
    }
    int slash = v.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + v + "' is not N/PERIOD (e.g. 1/PT24H)");
    }
    int max;
    try {
      max = Integer.parseInt(v.substring(0, slash));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + v + "': N must be a whole number");
    }
    return new FrequencyCap(max, duration(v.substring(slash + 1)));
  }

  /** The policy settings of this deployment. */
  public PolicyConfig policy() {
    return new PolicyConfig(frequencyCap);
  }

  /**
   * The Flink configuration of the job: RocksDB state (incremental checkpoints unless turned off),
   * checkpoints, parallelism, and no silent fallback to Kryo for any type.
   */
  public Configuration flinkConfiguration() {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, incrementalCheckpoints);
    if (checkpointDir != null) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
    }
    if (!checkpointInterval.isZero()) {
      conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    }
    if (rocksdbMemoryPerSlot != null) {
      conf.set(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE, rocksdbMemoryPerSlot);
    }
    if (parallelism > 0) {
      conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
    }
    conf.set(PipelineOptions.MAX_PARALLELISM, maxParallelism);
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(100));
    return conf;
  }

  /** The values as the Web UI shows them. */
  public ExecutionConfig.GlobalJobParameters asJobParameters() {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("mode", mode.name().toLowerCase(Locale.ROOT));
    shown.put("parallelism", parallelism > 0 ? Integer.toString(parallelism) : "cluster default");
    shown.put("max-parallelism", Integer.toString(maxParallelism));
    shown.put("checkpoint-interval", Wire.format(checkpointInterval));
    shown.put("checkpoint-dir", checkpointDir == null ? "cluster default" : checkpointDir);
    shown.put("incremental-checkpoints", Boolean.toString(incrementalCheckpoints));
    shown.put(
        "rocksdb-memory-per-slot",
        rocksdbMemoryPerSlot == null ? "managed" : rocksdbMemoryPerSlot.toString());
    shown.put(
        "frequency-cap",
        frequencyCap == null ? "none" : frequencyCap.max() + "/" + Wire.format(frequencyCap.per()));
    shown.put("out-of-orderness", Wire.format(outOfOrderness));
    shown.put("idle-after", Wire.format(idleAfter));
    shown.put("bootstrap-servers", bootstrapServers);
    shown.put("topic-user-events", userEventsTopic);
    shown.put("topic-campaigns", campaignsTopic);
    shown.put("topic-decisions", decisionsTopic);
    shown.put("topic-send-requests", sendRequestsTopic);
    shown.put("topic-dead-letters", deadLettersTopic);
    shown.put("group-id", groupId);
    shown.put("transactional-id-prefix", transactionalIdPrefix);
    shown.put("transaction-timeout", Wire.format(transactionTimeout));
    shown.put("topic-delivery-outcomes", deliveryOutcomesTopic);
    shown.put("delivery", Boolean.toString(delivery.enabled()));
    shown.put("messenger-base-url", delivery.messengerBaseUrl());
    shown.put("whatsapp-base-url", delivery.whatsappBaseUrl());
    shown.put("api-version", delivery.apiVersion());
    shown.put(
        "credentials-file",
        delivery.credentialsFile() == null ? "HERALD_CREDENTIALS" : delivery.credentialsFile());
    shown.put("account-limits", AccountLimits.describe(delivery.accountLimits()));
    shown.put("delivery-in-flight", Integer.toString(delivery.inFlight()));
    shown.put("delivery-margin", Wire.format(delivery.margin()));

    return new Parameters(shown);
  }

  /** Global job parameters with a fixed map. */
  private static final class Parameters extends ExecutionConfig.GlobalJobParameters {
    private static final long serialVersionUID = 1L;
    private final Map<String, String> values;

    Parameters(Map<String, String> values) {
      this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values)); // flag order
    }

    @Override
    public Map<String, String> toMap() {
      return new LinkedHashMap<>(values);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Parameters p && p.values.equals(values);
    }

    @Override
    public int hashCode() {
      return values.hashCode();
    }
  }
}
