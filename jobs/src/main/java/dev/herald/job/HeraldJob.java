package dev.herald.job;

import dev.herald.connectors.channel.ChannelEndpoints;
import dev.herald.connectors.channel.ChannelSinkFunction;
import dev.herald.connectors.channel.CredentialsSource;
import dev.herald.connectors.channel.ResiliencePresets;
import dev.herald.connectors.kafka.KafkaInput;
import dev.herald.connectors.kafka.KafkaOutput;
import dev.herald.job.dispatch.DispatchLimits;
import dev.herald.job.dispatch.Dispatcher;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.Decision;
import dev.herald.schema.DeliveryOutcome;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.SendRequest;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production entry point, the job jar's main class: the delivery job on Kafka. Reads {@code
 * user-events}, {@code campaigns} and {@code delivery-outcomes}, writes {@code decisions}, {@code
 * send-requests}, {@code dead-letters} and {@code delivery-outcomes} exactly once, and in live mode
 * delivers the messages to the channels. Run it with {@code flink run herald-job.jar [flags]};
 * {@code --help} lists the flags. A bad flag, or a topic that does not exist, fails before the job
 * is built.
 */
public final class HeraldJob {

  private static final Logger LOG = LoggerFactory.getLogger(HeraldJob.class);

  /** How long to wait for the brokers when checking the topics. */
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

  private HeraldJob() {}

  public static void main(String[] args) throws Exception {
    JobConfig config;
    try {
      config = configure(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("herald: " + e.getMessage());
      System.err.println("(--help lists the flags)");
      System.exit(2);
      return;
    }
    if (config == null) {
      return; // --help
    }
    Map<String, Integer> partitions;
    try {
      partitions = partitions(config);
    } catch (IllegalStateException e) {
      System.err.println("herald: " + e.getMessage());
      System.exit(1);
      return;
    }
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(config.flinkConfiguration());
    deliveryJob(config, partitions, env.getParallelism()).build(env);
    env.execute("herald " + config.mode().name().toLowerCase(Locale.ROOT));
  }

  /**
   * The configuration from the flags, checked for what the Kafka job needs; {@code null} after
   * printing the usage for {@code --help}.
   *
   * @throws IllegalArgumentException naming the flag
   */
  static JobConfig configure(String[] args, PrintStream out) {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        out.print(usage());
        return null;
      }
    }
    JobConfig config = JobConfig.parse(args);
    if (config.checkpointInterval().isZero()) {
      throw new IllegalArgumentException(
          "--checkpoint-interval: must be longer than zero on Kafka: the output is exactly-once"
              + " and is committed at each checkpoint");
    }
    if (config.transactionTimeout().compareTo(config.checkpointInterval()) <= 0) {
      throw new IllegalArgumentException(
          "--transaction-timeout: must be longer than --checkpoint-interval ("
              + config.transactionTimeout()
              + " is not longer than "
              + config.checkpointInterval()
              + "), or transactions time out before the checkpoint that commits them");
    }
    return config;
  }

  /** The usage text of {@code --help}. */
  static String usage() {
    return "usage: flink run herald-job.jar [flags]\n"
        + "   or: java -cp herald-job.jar:<flink runtime> "
        + HeraldJob.class.getName()
        + " [flags]\n\n"
        + "The Herald delivery job on Kafka: reads user-events and campaigns, decides per user\n"
        + "at the instant of sending, writes decisions, send-requests and dead-letters exactly\n"
        + "once (read them with isolation.level=read_committed). In live mode it also delivers:\n"
        + "each account's dispatcher releases its messages no faster than the account's limits\n"
        + "to the Messenger Send API and the WhatsApp Cloud API, and what the platforms answer\n"
        + "goes to delivery-outcomes, which the job reads back as user events. Create the topics\n"
        + "first with the topics command (bin/kafka topics).\n\n"
        + JobConfig.usage();
  }

  /**
   * The partitions of every topic the job uses, asked of the brokers.
   *
   * @throws IllegalStateException if the brokers cannot be reached or a topic does not exist
   */
  static Map<String, Integer> partitions(JobConfig config) {
    List<String> topics =
        List.of(
            config.userEventsTopic(),
            config.campaignsTopic(),
            config.decisionsTopic(),
            config.sendRequestsTopic(),
            config.deadLettersTopic(),
            config.deliveryOutcomesTopic());
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
    Map<String, Integer> partitions = new LinkedHashMap<>();
    try (Admin admin = Admin.create(props)) {
      // One request for all of them; the answers are read in the order of the list.
      Map<String, KafkaFuture<TopicDescription>> described =
          admin.describeTopics(topics).topicNameValues();
      for (String topic : topics) {
        try {
          TopicDescription d =
              described.get(topic).get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          partitions.put(topic, d.partitions().size());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof UnknownTopicOrPartitionException) {
            throw new IllegalStateException(
                "topic "
                    + topic
                    + " does not exist at "
                    + config.bootstrapServers()
                    + "; create the topics with: bin/kafka topics --bootstrap-servers "
                    + config.bootstrapServers());
          }
          throw new IllegalStateException(
              "cannot read topic "
                  + topic
                  + " at "
                  + config.bootstrapServers()
                  + ": "
                  + e.getCause(),
              e);
        } catch (TimeoutException e) {
          throw new IllegalStateException(
              "no answer from Kafka at "
                  + config.bootstrapServers()
                  + " within "
                  + KAFKA_TIMEOUT.toSeconds()
                  + " s (--bootstrap-servers)");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
    if (partitions.get(config.campaignsTopic()) > 1) {
      LOG.warn(
          "topic {} has {} partitions: campaign records are read by one reader, but the order of"
              + " records in different partitions is not defined (create it with 1 partition)",
          config.campaignsTopic(),
          partitions.get(config.campaignsTopic()));
    }
    return partitions;
  }

  /**
   * The delivery job on Kafka. In live mode (unless {@code --delivery false}) it also delivers: the
   * per-account dispatcher, the channel sink, and the outcomes written to {@code
   * delivery-outcomes}, which it reads back as user events in either mode.
   *
   * @param partitions the partitions of the topics it reads: no more readers than partitions are
   *     started, since a reader without a partition would hold event time back
   * @param parallelism the job's parallelism (the flag's, or the cluster's default)
   */
  public static DeliveryJob deliveryJob(
      JobConfig config, Map<String, Integer> partitions, int parallelism) {
    boolean live = config.mode() == JobConfig.Mode.LIVE;
    KafkaInput.Reach reach = live ? KafkaInput.Reach.LIVE : KafkaInput.Reach.HISTORY;
    String servers = config.bootstrapServers();
    var transactions =
        new KafkaOutput.Transactions(config.transactionalIdPrefix(), config.transactionTimeout());
    List<DeliveryJob.Input> inputs =
        List.of(
            userEvents("user-events", config, config.userEventsTopic(), partitions, parallelism),
            new DeliveryJob.Input(
                "campaigns",
                KafkaInput.source(servers, config.campaignsTopic(), config.groupId(), reach),
                ParseRecords.Accepts.CAMPAIGNS,
                1,
                true),
            userEvents(
                "delivery-outcomes",
                config,
                config.deliveryOutcomesTopic(),
                partitions,
                parallelism));
    DeliveryJob.Sinks sinks =
        new DeliveryJob.Sinks(
            KafkaOutput.<Decision>sink(
                servers,
                config.decisionsTopic(),
                Decision::campaign,
                RecordCodec::write,
                transactions),
            KafkaOutput.<SendRequest>sink(
                servers,
                config.sendRequestsTopic(),
                r -> r.user().accountKey(),
                RecordCodec::write,
                transactions),
            KafkaOutput.<DeadLetter>sink(
                servers, config.deadLettersTopic(), d -> null, RecordCodec::write, transactions));
    DeliveryJob.Delivery delivery = null;
    if (live && config.delivery().enabled()) {
      JobConfig.DeliverySettings d = config.delivery();
      delivery =
          new DeliveryJob.Delivery(
              new Dispatcher(dispatchLimits(d)),
              channelSink(d),
              KafkaOutput.<DeliveryOutcome>sink(
                  servers,
                  config.deliveryOutcomesTopic(),
                  DeliveryOutcome::key,
                  RecordCodec::write,
                  transactions));
    }
    return new DeliveryJob(
        config, inputs, sinks, live ? DeliveryJob.Time.LIVE : DeliveryJob.Time.REPLAY, delivery);
  }

  /** An input of user events from {@code topic}, with no more readers than partitions. */
  private static DeliveryJob.Input userEvents(
      String name,
      JobConfig config,
      String topic,
      Map<String, Integer> partitions,
      int parallelism) {
    KafkaInput.Reach reach =
        config.mode() == JobConfig.Mode.LIVE ? KafkaInput.Reach.LIVE : KafkaInput.Reach.HISTORY;
    int readers = Math.max(1, Math.min(parallelism, partitions.getOrDefault(topic, 1)));
    return new DeliveryJob.Input(
        name,
        KafkaInput.source(config.bootstrapServers(), topic, config.groupId(), reach),
        ParseRecords.Accepts.USER_EVENTS,
        readers,
        true);
  }

  /** The channels' default limits, with the accounts' own from {@code --account-limits}. */
  static DispatchLimits dispatchLimits(JobConfig.DeliverySettings d) {
    DispatchLimits.Builder limits = DispatchLimits.builder().margin(d.margin());
    d.accountLimits().forEach(limits::account);
    return limits.build();
  }

  /** The channel sink: the platforms' APIs, with the tokens of the credentials file or env. */
  static ChannelSinkFunction channelSink(JobConfig.DeliverySettings d) {
    ResiliencePresets presets =
        ResiliencePresets.builder()
            .limits(d.accountLimits())
            // The dispatcher paces each account already: a guard refilled once a second never
            // delays that flow (so it adds no jitter), and still caps a runaway at the limit.
            .rateRefreshPeriod(Duration.ofSeconds(1))
            .maxCallsInFlight(d.inFlight())
            .build();
    ChannelEndpoints endpoints =
        ChannelEndpoints.builder()
            .messengerBaseUrl(d.messengerBaseUrl())
            .whatsappBaseUrl(d.whatsappBaseUrl())
            .apiVersion(d.apiVersion())
            .presets(presets)
            .build();
    return new ChannelSinkFunction(endpoints, CredentialsSource.fromFlag(d.credentialsFile()));
  }
}
