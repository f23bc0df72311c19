package dev.herald.bench.job;

import dev.herald.bench.Population;
import dev.herald.connectors.kafka.TopicNames;
import dev.herald.connectors.kafka.Topics;
import dev.herald.connectors.kafka.local.LocalKafka;
import dev.herald.job.HeraldJob;
import dev.herald.job.JobConfig;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the job benchmarks run on: a Kafka broker (the project's own {@link LocalKafka}, or the one
 * given), Herald's topics for each run, the benchmark population written to {@code user-events},
 * and the delivery job itself ({@link HeraldJob#deliveryJob}, built from {@link JobConfig} flags as
 * in production) on an embedded Flink cluster at parallelism {@value #PARALLELISM}: RocksDB,
 * incremental checkpoints, exactly-once Kafka sinks.
 *
 * <pre>{@code
 * try (JobRig rig = JobRig.start(workDir, null)) {
 *   JobRig.RunTopics topics = rig.createTopics("run-1", 2);
 *   rig.produce(topics.names().userEvents(), new Population(200_000));
 *   try (RigJob job = rig.startJob(topics, "run-1", "--mode", "live")) {
 *     job.awaitRunning(Duration.ofMinutes(2));
 *     ... job.metrics(), job.restUrl(), rig.tail(topics.names().decisions(), READ_COMMITTED)
 *   }
 * }
 * }</pre>
 *
 * <p>Each run gets its own topics (names suffixed with the run's name), consumer group,
 * transactional ids and checkpoint directory, so that no run reads what another wrote.
 */
public final class JobRig implements AutoCloseable {

  /** The job's parallelism, and the embedded cluster's slots. */
  public static final int PARALLELISM = 2;

  /**
   * Managed memory of the embedded task manager, shared by its slots: RocksDB's block cache and
   * write buffers (Flink's default for a local cluster, 128 MB, starves a million users).
   */
  public static final MemorySize MANAGED_MEMORY = MemorySize.parse("512mb");

  /**
   * The producer compresses as an upstream producer of JSON would: it keeps a large population's
   * topic small on disk, and the job and the plain-consumer limit both pay the decompression.
   */
  public static final String COMPRESSION = "lz4";

  /** Herald's topics of one run, and their partitions as created. */
  public record RunTopics(TopicNames names, Map<String, Integer> partitions) {}

  private final Path workDir;
  private final LocalKafka kafka;
  private final String bootstrapServers;
  private final Admin admin;
  private final KafkaProducer<String, String> producer;

  private JobRig(Path workDir, LocalKafka kafka, String bootstrapServers) {
    this.workDir = workDir;
    this.kafka = kafka;
    this.bootstrapServers = bootstrapServers;
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(a);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-producer");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    // One request in flight: on a topic created a moment ago the first batch may be refused
    // (its leader not known yet) while later ones are taken, and the idempotent producer's retry
    // of it is then refused forever as out of order. Each request still carries every
    // partition's batch.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /**
   * Starts the rig: a broker under {@code workDir/kafka} unless {@code bootstrapServers} is given.
   *
   * @param workDir where the broker's data and each run's checkpoints go; created
   * @param bootstrapServers a running Kafka to use instead, or {@code null}
   */
  public static JobRig start(Path workDir, String bootstrapServers) throws Exception {
    Files.createDirectories(workDir);
    if (bootstrapServers != null) {
      return new JobRig(workDir, null, bootstrapServers);
    }
    LocalKafka kafka = LocalKafka.start(workDir.resolve("kafka"), 0);
    try {
      return new JobRig(workDir, kafka, kafka.bootstrapServers());
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  /** Where clients connect. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The rig's working directory. */
  public Path workDir() {
    return workDir;
  }

  /**
   * Creates Herald's topics for a run, as the product does ({@link Topics#ensure}): every topic
   * with {@code partitions} partitions but {@code campaigns}, which has one. Names are the defaults
   * suffixed with {@code -run}.
   */
  public RunTopics createTopics(String run, int partitions) throws Exception {
    TopicNames d = TopicNames.DEFAULTS;
    String s = "-" + run;
    TopicNames names =
        new TopicNames(
            d.userEvents() + s,
            d.campaigns() + s,
            d.decisions() + s,
            d.sendRequests() + s,
            d.deadLetters() + s,
            d.deliveryOutcomes() + s);
    Map<String, Integer> created = new LinkedHashMap<>();
    for (Topics.Row row : Topics.ensure(admin, names, partitions, (short) 1)) {
      created.put(row.name(), row.partitions());
    }
    return new RunTopics(names, created);
  }

  /**
   * Writes the population's user events to {@code topic}, keyed {@code channel/account/user} as
   * upstream keys them (so all of a user's events share a partition, in order), and waits until the
   * broker has acknowledged all of them.
   *
   * @return the events written
   */
  public long produce(String topic, Population population) throws Exception {
    producer.partitionsFor(topic); // the topic's leaders known before the first batch
    AtomicReference<Exception> failed = new AtomicReference<>();
    long[] written = {0};
    for (int i = 0; i < population.users(); i++) {
      String key = Population.key(i);
      population.userEvents(
          i,
          json -> {
            producer.send(
                new ProducerRecord<>(topic, key, json),
                (meta, e) -> {
                  if (e != null) {
                    failed.compareAndSet(null, e);
                  }
                });
            written[0]++;
          });
      if (failed.get() != null) {
        break;
      }
    }
    producer.flush();
    if (failed.get() != null) {
      throw new IllegalStateException(
          "writing the population to " + topic + " failed: " + failed.get(), failed.get());
    }
    return written[0];
  }

  /**
   * Writes one record to {@code topic} keyed by its campaign id (a campaign, reminder or cancel) or
   * {@code channel/account} (an account record), as campaign tooling does, and waits for the
   * broker's acknowledgement.
   *
   * @throws IllegalArgumentException if the codec does not accept the record
   */
  public RecordMetadata publish(String topic, String campaignRecord) throws Exception {
    Parsed<ControlRecord> parsed = RecordCodec.parseControl(campaignRecord);
    if (!parsed.isOk()) {
      throw new IllegalArgumentException(
          "not a valid campaign record (" + parsed.reason() + "): " + campaignRecord);
    }
    ControlRecord r = parsed.value();
    String key;
    if (r instanceof ControlRecord.Campaign c) {
      key = c.id();
    } else if (r instanceof ControlRecord.Reminder m) {
      key = m.id();
    } else if (r instanceof ControlRecord.Cancel c) {
      key = c.campaign();
    } else {
      ControlRecord.AccountStatus a = (ControlRecord.AccountStatus) r;
      key = a.channel().wire() + "/" + a.account();
    }
    return producer.send(new ProducerRecord<>(topic, key, campaignRecord)).get();
  }

  /**
   * Starts the delivery job of a run on a new embedded cluster and returns as soon as it is
   * submitted (see {@link RigJob#awaitRunning}).
   *
   * <p>The rig gives the job its topics, {@code --parallelism 2}, a consumer group and
   * transactional-id prefix of its own ({@code herald-bench-RUN}) and a checkpoint directory under
   * the work directory; {@code flags} are the job's own flags ({@code --mode}, {@code
   * --checkpoint-interval}, {@code --messenger-base-url}, ...; {@code HeraldJob --help}), given
   * after the rig's and so able to replace them. Everything else is the job's default: live mode,
   * checkpoints every 10 s, RocksDB with incremental checkpoints.
   */
  public RigJob startJob(RunTopics topics, String run, String... flags) throws Exception {
    return startJob(topics, run, new Configuration(), flags);
  }

  /**
   * As {@link #startJob(RunTopics, String, String...)}, with options of the embedded cluster's own
   * that a benchmark needs set differently (e.g. a longer checkpoint history for the Web UI and
   * REST), applied over the rig's.
   */
  public RigJob startJob(
      RunTopics topics, String run, Configuration clusterOptions, String... flags)
      throws Exception {
    Path runDir = workDir.resolve("runs").resolve(run);
    Files.createDirectories(runDir);
    TopicNames n = topics.names();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap-servers", bootstrapServers,
                "--topic-user-events", n.userEvents(),
                "--topic-campaigns", n.campaigns(),
                "--topic-decisions", n.decisions(),
                "--topic-send-requests", n.sendRequests(),
                "--topic-dead-letters", n.deadLetters(),
                "--topic-delivery-outcomes", n.deliveryOutcomes(),
                "--group-id", "herald-bench-" + run,
                "--transactional-id-prefix", "herald-bench-" + run,
                "--checkpoint-dir", runDir.resolve("checkpoints").toUri().toString(),
                "--parallelism", Integer.toString(PARALLELISM)));
    args.addAll(List.of(flags));
    JobConfig config = JobConfig.parse(args.toArray(String[]::new));

    Configuration conf = config.flinkConfiguration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    // The Web UI's and REST metrics refresh this often (10 s by default).
    conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MANAGED_MEMORY);
    conf.addAll(clusterOptions);
    JobMetrics metrics = JobMetrics.install(conf);
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(PARALLELISM)
                .build());
    try {
      cluster.start();
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(config.flinkConfiguration());
      HeraldJob.deliveryJob(config, topics.partitions(), PARALLELISM).build(env);
      StreamGraph graph = env.getStreamGraph();
      graph.setJobName("herald bench " + run);
      long submitted = System.nanoTime();
      var id = cluster.submitJob(graph).get().getJobID();
      return new RigJob(cluster, id, config, metrics, submitted);
    } catch (Exception | Error e) {
      metrics.release();
      cluster.close();
      throw e;
    }
  }

  /** A tail of {@code topic} from its beginning (see {@link TopicTail}). */
  public TopicTail tail(String topic, TopicTail.Isolation isolation) {
    return new TopicTail(bootstrapServers, topic, isolation);
  }

  /** The Kafka admin client of the rig's broker. */
  public Admin admin() {
    return admin;
  }

  /** Stops the producer, the admin client and the broker (if the rig started it). */
  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
    admin.close(Duration.ofSeconds(10));
    if (kafka != null) {
      kafka.close();
    }
  }
}
