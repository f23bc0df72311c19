package dev.herald.cli.demo;

import dev.herald.cli.campaign.CampaignClient;
import dev.herald.connectors.kafka.TopicNames;
import dev.herald.connectors.kafka.Topics;
import dev.herald.connectors.kafka.local.LocalKafka;
import dev.herald.job.HeraldJob;
import dev.herald.job.JobConfig;
import dev.herald.simulator.AccountCounters;
import dev.herald.simulator.ChannelSimulator;
import dev.herald.simulator.Counters;
import dev.herald.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on this machine: a Kafka broker (or the one given), Herald's topics, the
 * channel simulator as both platforms, the delivery job on an embedded Flink cluster with its Web
 * UI and Prometheus reporter, and the demo traffic with the sample campaigns. {@link #start} brings
 * it up and says where everything is, {@link #runUntil} prints the status until told to stop, and
 * {@link #close} takes it all down again, last started first, leaving nothing running.
 */
final class Pipeline implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  /** How often the status line is printed. */
  static final Duration STATUS_EVERY = Duration.ofSeconds(5);

  /** The sample campaigns wait for every user to be introduced, and at least this long. */
  static final Duration WARM_UP = Duration.ofSeconds(5);

  /** How long a component may take to stop before the demo says so and goes on. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private static final int PARTITIONS = 2;
  private static final int PARALLELISM = 2;

  private final DemoOptions options;
  private final PrintStream out;
  private final Deque<Step> started = new ArrayDeque<>();
  private final AtomicLong events = new AtomicLong();
  private final List<Integer> ports = new ArrayList<>();
  private volatile boolean generating = true;
  private ChannelSimulator simulator;
  private JobClient job;
  private StatusReader reader;
  private Thread generator;
  private Instant upAt;

  /** Something started, and how to stop it. */
  private record Step(String what, AutoCloseable stop) {}

  private Pipeline(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /**
   * Starts everything, in {@code runDir} (created), and prints where the Web UI, the metrics and
   * the simulator are. On a failure, what had started is stopped again before the exception leaves.
   */
  static Pipeline start(DemoOptions options, Path runDir, PrintStream out) throws Exception {
    Pipeline p = new Pipeline(options, out);
    try {
      p.startAll(runDir);
      return p;
    } catch (Exception | Error e) {
      p.close();
      throw e;
    }
  }

  /** The ports the pipeline listens on (Web UI, metrics, simulator, and the local broker's). */
  List<Integer> ports() {
    return List.copyOf(ports);
  }

  private void startAll(Path runDir) throws Exception {
    Files.createDirectories(runDir);
    String runId = runDir.getFileName().toString();
    String servers = options.bootstrapServers();
    if (servers == null) {
      out.println("starting Kafka...");
      LocalKafka kafka = LocalKafka.start(runDir.resolve("kafka"), options.kafkaPort());
      started.push(new Step("Kafka", kafka));
      servers = kafka.bootstrapServers();
      ports.add(Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1)));
    }
    // This run's own topics, so an earlier run's records never replay into it: a fresh broker has
    // only these; on a shared Kafka the names carry the run's id.
    TopicNames names =
        options.bootstrapServers() == null ? TopicNames.DEFAULTS : suffixed("-" + runId);
    Map<String, Integer> partitions = new LinkedHashMap<>();
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (Admin a = Admin.create(admin)) {
      for (Topics.Row row : Topics.ensure(a, names, PARTITIONS, (short) 1)) {
        partitions.put(row.name(), row.partitions());
      }
    }

    // The platforms: tokens made up for this run, known to the simulator and the job only.
    Map<String, String> tokens = new LinkedHashMap<>();
    SecureRandom random = new SecureRandom();
    SimulatorConfig.Builder sim =
        SimulatorConfig.builder()
            .port(options.simulatorPort())
            .seed(options.seed())
            .userEvents(servers, names.userEvents());
    StringBuilder credentials = new StringBuilder("# this run's made-up tokens\n");
    for (DemoTraffic.Account a : DemoTraffic.ACCOUNTS) {
      byte[] bytes = new byte[16];
      random.nextBytes(bytes);
      String token = HexFormat.of().formatHex(bytes);
      tokens.put(a.account(), token);
      sim.token(a.account(), token);
      credentials.append(a.channel()).append('/').append(a.account()).append('=').append(token);
      credentials.append('\n');
    }
    simulator = ChannelSimulator.start(sim.build());
    started.push(new Step("the channel simulator", simulator));
    ports.add(simulator.messengerBaseUrl().getPort());
    Path credentialsFile = runDir.resolve("credentials");
    Files.writeString(credentialsFile, credentials);

    JobConfig config =
        JobConfig.parse(
            new String[] {
              "--bootstrap-servers", servers,
              "--topic-user-events", names.userEvents(),
              "--topic-campaigns", names.campaigns(),
              "--topic-decisions", names.decisions(),
              "--topic-send-requests", names.sendRequests(),
              "--topic-dead-letters", names.deadLetters(),
              "--topic-delivery-outcomes", names.deliveryOutcomes(),
              "--group-id", "herald-demo-" + runId,
              "--transactional-id-prefix", "herald-demo-" + runId,
              "--checkpoint-interval", "PT2S",
              "--checkpoint-dir", runDir.resolve("checkpoints").toUri().toString(),
              "--parallelism", Integer.toString(PARALLELISM),
              "--rocksdb-memory-per-slot", "64mb",
              "--messenger-base-url", simulator.messengerBaseUrl().toString(),
              "--whatsapp-base-url", simulator.whatsappBaseUrl().toString(),
              "--credentials-file", credentialsFile.toString()
            });
    int webUiPort = options.webUiPort() == 0 ? freePort() : requireFree(options.webUiPort());
    int metricsPort = options.metricsPort() == 0 ? freePort() : requireFree(options.metricsPort());
    Configuration conf = config.flinkConfiguration();
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.PORT, webUiPort);
    // The Web UI's job manager log page shows the run's log.
    conf.set(WebOptions.LOG_PATH, runDir.resolve("herald.log").toString());
    conf.set(
        ConfigOptions.key("metrics.reporter.prom.factory.class").stringType().noDefaultValue(),
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    conf.set(
        ConfigOptions.key("metrics.reporter.prom.port").stringType().noDefaultValue(),
        Integer.toString(metricsPort));
    // Account ids as they are (page-1, not page_1): the same names as the limits and logs.
    conf.set(
        ConfigOptions.key("metrics.reporter.prom.filterLabelValueCharacters")
            .booleanType()
            .noDefaultValue(),
        false);
    out.println("starting the Herald job on an embedded Flink cluster...");
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    HeraldJob.deliveryJob(config, partitions, PARALLELISM).build(env);
    job = env.executeAsync("Herald demo " + runId);
    started.push(new Step("the Herald job", () -> stopJob(webUiPort, metricsPort)));
    ports.add(webUiPort);
    ports.add(metricsPort);

    reader = new StatusReader(servers, names.decisions(), names.deliveryOutcomes());
    started.push(new Step("the status reader", reader));

    KafkaProducer<String, String> producer = eventProducer(servers);
    started.push(new Step("the event producer", () -> producer.close(Duration.ofSeconds(5))));
    CampaignClient publisher = new CampaignClient(servers, names.campaigns(), names.decisions());
    started.push(new Step("the campaign client", publisher));
    generator =
        new Thread(() -> generate(producer, publisher, names.userEvents()), "herald-demo-traffic");
    generator.setDaemon(true);
    generator.start();
    started.push(new Step("the traffic generator", this::stopGenerator));

    upAt = Instant.now();
    out.println();
    out.println("Herald is running (run " + runId + ", files in " + runDir + ")");
    out.println("  Flink Web UI        http://127.0.0.1:" + webUiPort);
    out.println("  Prometheus metrics  http://127.0.0.1:" + metricsPort + "/metrics");
    out.println(
        "  channel simulator   "
            + simulator.messengerBaseUrl().resolve("/counters")
            + "  (and /metrics)");
    out.println("  Kafka               " + servers + "  (topics " + names.userEvents() + ", ...)");
    out.println("  log                 " + runDir.resolve("herald.log"));
    out.printf(
        "  demo traffic        %d users on %s, %d events/s%n",
        options.users(),
        String.join(", ", DemoTraffic.ACCOUNTS.stream().map(DemoTraffic.Account::account).toList()),
        options.eventsPerSecond());
    out.println(
        options.duration() == null
            ? "Ctrl-C stops it."
            : "Stops after " + StatusText.clock(options.duration()) + " (or Ctrl-C).");
    out.println();
  }

  /**
   * Prints the status line every {@link #STATUS_EVERY} until {@code stop} opens, the duration has
   * passed, or the job fails; then stops the traffic and returns the totals for the summary.
   *
   * @return the totals, and whether the job was still running
   */
  Totals runUntil(CountDownLatch stop) throws InterruptedException {
    Instant end = options.duration() == null ? null : upAt.plus(options.duration());
    Totals before = totals(reader.poll(Duration.ZERO));
    Instant lastLine = Instant.now();
    while (stop.getCount() > 0 && (end == null || Instant.now().isBefore(end))) {
      Duration wait = Duration.between(Instant.now(), lastLine.plus(STATUS_EVERY));
      if (end != null) {
        Duration left = Duration.between(Instant.now(), end);
        wait = left.compareTo(wait) < 0 ? left : wait;
      }
      if (wait.isNegative() || wait.isZero()) {
        wait = Duration.ZERO;
      }
      StatusReader.Counts counts =
          reader.poll(wait.compareTo(Duration.ofMillis(500)) < 0 ? wait : Duration.ofMillis(500));
      Instant now = Instant.now();
      if (!now.isBefore(lastLine.plus(STATUS_EVERY))) {
        Totals current = totals(counts);
        out.println(
            StatusText.line(
                before, current, Duration.between(lastLine, now), Duration.between(upAt, now)));
        before = current;
        lastLine = now;
        if (jobEnded()) {
          out.println("the Herald job stopped unexpectedly; see the log");
          throw new IllegalStateException("the Herald job stopped unexpectedly");
        }
      }
    }
    generating = false;
    return totals(reader.poll(Duration.ofMillis(500)));
  }

  /** How long the pipeline has been up. */
  Duration uptime() {
    return upAt == null ? Duration.ZERO : Duration.between(upAt, Instant.now());
  }

  private boolean jobEnded() {
    try {
      JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
      return status.isGloballyTerminalState();
    } catch (Exception e) {
      LOG.info("could not ask the job's status", e);
      return false;
    }
  }

  private Totals totals(StatusReader.Counts counts) {
    Counters c = simulator.counters();
    Map<String, Totals.AccountSends> accounts = new LinkedHashMap<>();
    for (DemoTraffic.Account a : DemoTraffic.ACCOUNTS) {
      AccountCounters ac = c.accounts().get(a.account());
      int limit =
          a.channel().equals("whatsapp")
              ? SimulatorConfig.WHATSAPP_PER_SECOND
              : SimulatorConfig.MESSENGER_PER_SECOND;
      accounts.put(
          a.account(),
          ac == null
              ? new Totals.AccountSends(0, 0, limit)
              : new Totals.AccountSends(ac.accepted(), ac.maxInAnyOneSecond(), ac.limit()));
    }
    return new Totals(
        events.get(),
        counts.decisions(),
        counts.skipReasons(),
        counts.outcomes(),
        accounts,
        c.rejections(),
        c.rejectionsByCode(),
        c.duplicates());
  }

  /**
   * The traffic generator's loop: events at the configured rate on the wall clock (a burst after a
   * stall is capped at one second's worth, as a webhook backlog would be), and the sample campaigns
   * once every user has been introduced and the warm-up has passed.
   */
  private void generate(
      KafkaProducer<String, String> producer, CampaignClient publisher, String topic) {
    DemoTraffic traffic = new DemoTraffic(options.seed(), options.users());
    long perSecond = options.eventsPerSecond();
    long startNanos = System.nanoTime();
    long sent = 0;
    boolean published = false;
    try {
      while (generating) {
        long elapsed = System.nanoTime() - startNanos;
        long due = elapsed / 1_000_000L * perSecond / 1000L;
        if (due - sent > perSecond) {
          sent = due - perSecond;
        }
        Instant now = Instant.now();
        while (sent < due && generating) {
          DemoTraffic.Line line = traffic.next(now);
          producer.send(new ProducerRecord<>(topic, line.key(), line.json()));
          sent++;
          events.incrementAndGet();
        }
        if (!published && traffic.everyoneIntroduced() && elapsed >= WARM_UP.toNanos()) {
          published = true;
          publish(publisher);
        }
        LockSupport.parkNanos(Math.max(1_000_000L, 1_000_000_000L / perSecond));
      }
    } catch (RuntimeException e) {
      if (generating) {
        LOG.warn("the traffic generator stopped: {}", e.toString());
        LOG.info("the traffic generator stopped", e);
      }
    }
  }

  /** The sample campaigns, through the campaign tool's own client, as a marketer publishes them. */
  private void publish(CampaignClient client) {
    List<String> ids = new ArrayList<>();
    for (String record : SampleCampaigns.at(Instant.now())) {
      try {
        ids.add(client.publish(record).id());
      } catch (Exception e) {
        out.println("could not publish a sample campaign: " + e.getMessage());
        LOG.info("could not publish a sample campaign", e);
      }
    }
    out.println("published the sample campaigns: " + String.join(", ", ids));
  }

  private void stopGenerator() throws InterruptedException {
    generating = false;
    generator.join(STOP_TIMEOUT.toMillis());
  }

  /**
   * Cancels the job and waits until its embedded cluster has shut down (it does once its only job
   * has ended), which is when the Web UI's and the reporter's ports close.
   */
  private void stopJob(int webUiPort, int metricsPort) throws Exception {
    JobStatus status = job.getJobStatus().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!status.isGloballyTerminalState()) {
      job.cancel().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    job.getJobExecutionResult()
        .handle((result, failure) -> null)
        .get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    while (listening(webUiPort) || listening(metricsPort)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the embedded Flink cluster still listens on " + webUiPort + "/" + metricsPort);
      }
      Thread.sleep(100); // no notice is given when the cluster has closed its sockets
    }
  }

  /** Stops everything started, last first; a part that will not stop is reported, not thrown. */
  @Override
  public void close() {
    generating = false;
    while (!started.isEmpty()) {
      Step step = started.pop();
      try {
        step.stop().close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        out.println("interrupted while stopping " + step.what());
      } catch (Exception e) {
        out.println("could not stop " + step.what() + " cleanly: " + e.getMessage());
        LOG.info("could not stop {} cleanly", step.what(), e);
      }
    }
  }

  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static int requireFree(int port) {
    if (listening(port)) {
      throw new IllegalStateException(
          "port " + port + " is in use (choose another with its flag, or 0 for any free port)");
    }
    return port;
  }

  private static TopicNames suffixed(String suffix) {
    TopicNames d = TopicNames.DEFAULTS;
    return new TopicNames(
        d.userEvents() + suffix,
        d.campaigns() + suffix,
        d.decisions() + suffix,
        d.sendRequests() + suffix,
        d.deadLetters() + suffix,
        d.deliveryOutcomes() + suffix);
  }

  private static KafkaProducer<String, String> eventProducer(String servers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-demo-traffic");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }
}
