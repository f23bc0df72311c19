package dev.herald.job.kafka;

import static dev.herald.job.kafka.DeliveryStack.campaign;
import static dev.herald.job.kafka.DeliveryStack.interaction;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.connectors.kafka.local.LocalKafka;
import dev.herald.job.HeraldJob;
import dev.herald.job.JobConfig;
import dev.herald.simulator.ChannelSimulator;
import dev.herald.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards in {@code deploy/grafana/dashboards} against the running pipeline: a real
 * broker, the channel simulator, the job at parallelism 2 on an embedded cluster with Flink's
 * Prometheus reporter, and Debian's {@code prometheus} binary scraping both every second. After
 * traffic that exercises every panel (users, campaigns that send, a bad record, an unreachable
 * user, a paused account whose messages expire), every panel's query must return data from
 * Prometheus; the failures name the dashboard, the panel and the query.
 */
class DashboardsITCase {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The repository's deploy folder, seen from the jobs module (Maven runs tests there). */
  private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

  private static final int REPORTER_PORT = freePort();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(
                  Configuration.fromMap(
                      Map.of(
                          "metrics.reporter.prom.factory.class",
                          "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                          "metrics.reporter.prom.port",
                          String.valueOf(REPORTER_PORT),
                          // Account ids as they are ("page-1", not "page_1"), as the
                          // simulator and the credentials spell them.
                          "metrics.reporter.prom.filterLabelValueCharacters",
                          "false")))
              .setNumberTaskManagers(2)
              .setNumberSlotsPerTaskManager(1)
              .build());

  @TempDir static Path work;

  private static LocalKafka kafka;
  private static KafkaTopics topics;

  @BeforeAll
  static void start() throws Exception {
    kafka = LocalKafka.start(work.resolve("kafka"), 0);
    topics = new KafkaTopics(kafka.bootstrapServers());
  }

  @AfterAll
  static void stop() throws Exception {
    if (topics != null) {
      topics.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void everyPanelsQueryReturnsDataFromTheRunningPipeline() throws Exception {
    Path prometheusBinary = prometheusBinary();
    List<Target> targets = targets();
    assertThat(targets).as("panel queries in " + DEPLOY.resolve("grafana/dashboards")).isNotEmpty();

    Map<String, Integer> partitions = DeliveryStack.createTopics(topics);

    try (ChannelSimulator sim =
        ChannelSimulator.start(
            SimulatorConfig.builder()
                .port(0)
                .accountPerSecond("page-1", 20)
                .accountPerSecond("page-2", 20)
                .accountPerSecond("wa-1", 10)
                .token("page-1", "page-token")
                .token("page-2", "page-2-token")
                .token("wa-1", "phone-token")
                .userEvents(kafka.bootstrapServers(), "user-events")
                .build())) {
      JobConfig config =
          DeliveryStack.liveConfig(
              kafka.bootstrapServers(),
              work,
              sim,
              Map.of(
                  "messenger/page-1", "page-token",
                  "messenger/page-2", "page-2-token",
                  "whatsapp/wa-1", "phone-token"),
              Map.of("messenger/page-1", 20, "messenger/page-2", 20, "whatsapp/wa-1", 10));
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(config.flinkConfiguration());
      HeraldJob.deliveryJob(config, partitions, 2).build(env);
      JobClient job = env.executeAsync("dashboards");
      try (Prometheus prometheus =
          Prometheus.start(
              prometheusBinary,
              work.resolve("prometheus"),
              REPORTER_PORT,
              sim.messengerBaseUrl().getPort())) {
        traffic(sim);
        checkReporterNames();
        List<String> failures = awaitData(prometheus, targets);
        assertThat(failures).as("panel queries without data").isEmpty();
        // The panels show what the traffic did, not only that some series exists.
        assertShows(prometheus, targets, "Decisions by outcome and reason", "outcome", "SKIP");
        assertShows(prometheus, targets, "Dead letters by problem", "problem", "NOT_JSON");
        assertShows(prometheus, targets, "Channel errors by code", "result", "error_551");
        assertShows(prometheus, targets, "Expired before release", "reason", "paused");
        assertShows(prometheus, targets, "Sends per account against the limit", "account", "wa-1");
      } finally {
        job.cancel().get();
      }
    }
  }

  /** Traffic that gives every panel's series a value. */
  private void traffic(ChannelSimulator sim) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant hourAgo = now.minus(Duration.ofHours(1));
    for (int i = 0; i < 40; i++) {
      send(interaction("messenger", "page-1", "m-" + i, hourAgo));
    }
    // Outside their window, with nothing else: skipped.
    for (int i = 40; i < 45; i++) {
      send(interaction("messenger", "page-1", "m-" + i, now.minus(Duration.ofDays(2))));
    }
    for (int i = 0; i < 10; i++) {
      send(interaction("messenger", "page-2", "p-" + i, hourAgo));
    }
    for (int i = 0; i < 10; i++) {
      send(interaction("whatsapp", "wa-1", "w-" + i, hourAgo));
    }
    // A record that is not JSON: a dead letter.
    topics.send("user-events", "broken", "{not json");
    // Blocked the page: the platform answers error 551.
    sim.markUnreachable("page-1", "m-0");
    topics.awaitCaughtUp("herald", "user-events", DEADLINE);

    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant start = at.plusSeconds(2);
    // page-2 is paused before its campaign, which ends 3 s after its start: its messages wait,
    // then expire at the campaign's end (reason "paused").
    topics.send(
        "campaigns",
        "page-2",
        "{\"type\":\"account\",\"at\":\""
            + at
            + "\",\"channel\":\"messenger\",\"account\":\"page-2\",\"status\":\"PAUSED\"}");
    topics.send(
        "campaigns",
        "short",
        campaign("short", "messenger", "page-2", at, start)
            + ",\"endAt\":\""
            + start.plusSeconds(3)
            + "\",\"message\":{\"text\":\"Today only\"}}");
    topics.send(
        "campaigns",
        "hello",
        campaign("hello", "messenger", "page-1", at, start)
            + ",\"message\":{\"text\":\"Hello again\"}}");
    topics.send(
        "campaigns",
        "wa-hello",
        campaign("wa-hello", "whatsapp", "wa-1", at, start)
            + ",\"promotional\":false,\"message\":{\"text\":\"Your order shipped\"}}");
    // Every message ends in an outcome: 39 sent and 1 failed on page-1, 10 sent on wa-1, 10
    // expired on page-2.
    int outcomes = 40 + 10 + 10;
    topics.awaitCommitted("delivery-outcomes", l -> l.size() >= outcomes, DEADLINE);
  }

  /**
   * Queries every target until each has returned data once, or until the deadline; the targets that
   * never did, with their dashboard, panel and query.
   */
  private static List<String> awaitData(Prometheus prometheus, List<Target> targets)
      throws Exception {
    List<Target> waiting = new ArrayList<>(targets);
    Instant deadline = Instant.now().plus(DEADLINE);
    while (true) {
      waiting.removeIf(t -> prometheus.hasData(t.query()));
      if (waiting.isEmpty() || Instant.now().isAfter(deadline)) {
        break;
      }
      Thread.sleep(1_000); // Prometheus scrapes every second: a new sample to look at
    }
    System.out.printf(
        "dashboards: %d panel queries, %d with data%n",
        targets.size(), targets.size() - waiting.size());
    return waiting.stream().map(Target::toString).toList();
  }

  /** Asserts that a panel's queries, together, return a series with {@code label=value}. */
  private static void assertShows(
      Prometheus prometheus, List<Target> targets, String panel, String label, String value) {
    List<Target> queries = targets.stream().filter(t -> t.panel().equals(panel)).toList();
    assertThat(queries).as("queries of the panel " + panel).isNotEmpty();
    List<String> values =
        queries.stream()
            .flatMap(t -> prometheus.series(t.query()).stream())
            .map(labels -> labels.get(label))
            .toList();
    assertThat(values).as(panel + ": its series' " + label).contains(value);
  }

  /** Labels Flink's reporter puts on every task metric: its scope's variables. */
  private static final Set<String> FLINK_LABELS =
      Set.of(
          "host",
          "tm_id",
          "job_id",
          "job_name",
          "task_id",
          "task_name",
          "task_attempt_id",
          "task_attempt_num",
          "subtask_index",
          "operator_id",
          "operator_name");

  /** Herald's own labels: each has a value set bounded by the accounts or a closed list. */
  private static final Set<String> HERALD_LABELS =
      Set.of(
          "channel", "account", "outcome", "basis", "reason", "stage", "problem", "input", "status",
          "result");

  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"");

  /**
   * Prints the names the job's reporter exposes, once, for whoever edits a panel; and checks that
   * Herald's series carry no label but Flink's and Herald's bounded ones (never a user).
   */
  private static void checkReporterNames() throws Exception {
    TreeSet<String> names = new TreeSet<>();
    TreeSet<String> unbounded = new TreeSet<>();
    String body = get(URI.create("http://127.0.0.1:" + REPORTER_PORT + "/metrics"));
    for (String line : body.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      int end = line.indexOf('{');
      String name = end < 0 ? line.substring(0, line.indexOf(' ')) : line.substring(0, end);
      boolean herald = name.contains("herald") || name.contains("channel_sink");
      if (herald || keepFlinkName(name)) {
        names.add(name);
      }
      Matcher label = LABEL.matcher(end < 0 ? "" : line.substring(end));
      while (herald && label.find()) {
        String key = label.group(1);
        if (!FLINK_LABELS.contains(key) && !HERALD_LABELS.contains(key)) {
          unbounded.add(name + "{" + key + "}");
        }
      }
    }
    System.out.println("reporter names: " + String.join("\n  ", names));
    assertThat(names).as("Herald's series on the reporter").anyMatch(n -> n.contains("herald"));
    assertThat(unbounded).as("labels outside the bounded sets").isEmpty();
  }

  private static boolean keepFlinkName(String n) {
    return n.contains("Checkpoint")
        || n.contains("backPressured")
        || n.contains("pendingRecords")
        || n.contains("lag")
        || n.contains("numRecordsIn");
  }

  // ------------------------------------------------------------------ dashboards

  /** One panel query of a dashboard. */
  record Target(String dashboard, String panel, String expr, String query) {
    @Override
    public String toString() {
      return dashboard + " / " + panel + ": " + expr;
    }
  }

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

  /**
   * Every panel target of every dashboard, its template variables replaced by their "All" value, as
   * Grafana would send it with everything selected.
   */
  static List<Target> targets() throws IOException {
    Path folder = DEPLOY.resolve("grafana/dashboards");
    List<Target> targets = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode dashboard = JSON.readTree(file.toFile());
        Map<String, String> all = new LinkedHashMap<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
          all.put(v.path("name").asText(), v.path("allValue").asText(".*"));
        }
        collect(file.getFileName().toString(), dashboard.path("panels"), all, targets);
      }
    }
    return targets;
  }

  private static void collect(
      String dashboard, JsonNode panels, Map<String, String> all, List<Target> targets) {
    for (JsonNode panel : panels) {
      collect(dashboard, panel.path("panels"), all, targets); // a collapsed row's panels
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder query = new StringBuilder();
        while (m.find()) {
          String value = all.get(m.group(1));
          assertThat(value).as(dashboard + ": unknown variable in " + expr).isNotNull();
          m.appendReplacement(query, Matcher.quoteReplacement(value));
        }
        m.appendTail(query);
        targets.add(new Target(dashboard, panel.path("title").asText(), expr, query.toString()));
      }
    }
  }

  // ------------------------------------------------------------------ prometheus

  /** Debian's binary, or the one named by {@code PROMETHEUS}; a clear failure if neither exists. */
  private static Path prometheusBinary() {
    String override = System.getenv("PROMETHEUS");
    List<Path> candidates = new ArrayList<>();
    if (override != null) {
      candidates.add(Path.of(override));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      candidates.add(Path.of(dir, "prometheus"));
    }
    candidates.add(Path.of("/usr/bin/prometheus"));
    return candidates.stream()
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no prometheus binary: install it with `apt-get install prometheus` (.ci/run"
                        + " does) or set PROMETHEUS to its path"));
  }

  /** A Prometheus server of its own: its config, its storage, a free port; stopped on close. */
  private static final class Prometheus implements AutoCloseable {
    private final Process process;
    private final URI base;

    private Prometheus(Process process, URI base) {
      this.process = process;
      this.base = base;
    }

    static Prometheus start(Path binary, Path dir, int reporterPort, int simulatorPort)
        throws Exception {
      Files.createDirectories(dir);
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          testConfig(
              Files.readString(DEPLOY.resolve("prometheus/prometheus.yml")),
              Map.of(
                  "herald-flink", "127.0.0.1:" + reporterPort,
                  "herald-simulator", "127.0.0.1:" + simulatorPort)));
      int port = freePort();
      Process process =
          new ProcessBuilder(
                  binary.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      Prometheus p = new Prometheus(process, URI.create("http://127.0.0.1:" + port));
      p.awaitReady(dir.resolve("prometheus.log"));
      return p;
    }

    /**
     * The deployed config, scraping every second, each job's targets replaced by this test's one;
     * fails if a job of the file has no target here, so that a new job is not left untested.
     */
    static String testConfig(String deployed, Map<String, String> targetByJob) {
      Pattern job = Pattern.compile("^\\s*- job_name: (\\S+)\\s*$");
      Pattern targets = Pattern.compile("^(\\s*- targets: ).*$");
      StringBuilder out = new StringBuilder();
      String current = null;
      TreeSet<String> rewritten = new TreeSet<>();
      for (String line : deployed.split("\n", -1)) {
        Matcher j = job.matcher(line);
        Matcher t = targets.matcher(line);
        if (j.matches()) {
          current = j.group(1);
          assertThat(targetByJob).as("a target for scrape job " + current).containsKey(current);
        } else if (t.matches() && current != null) {
          line = t.group(1) + "['" + targetByJob.get(current) + "']";
          rewritten.add(current);
        } else {
          line = line.replaceAll("(scrape_interval|evaluation_interval): \\S+", "$1: 1s");
        }
        out.append(line).append('\n');
      }
      assertThat(rewritten)
          .as("scrape jobs with targets")
          .isEqualTo(new TreeSet<>(targetByJob.keySet()));
      return out.toString();
    }

    private void awaitReady(Path log) throws Exception {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (true) {
        if (!process.isAlive()) {
          throw new AssertionError("prometheus exited:\n" + Files.readString(log));
        }
        try {
          HttpResponse<String> r =
              HTTP.send(
                  HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("prometheus not ready:\n" + Files.readString(log));
        }
        Thread.sleep(200); // the process gives no other sign of readiness
      }
    }

    /** Whether an instant query returns at least one series. */
    boolean hasData(String query) {
      return !series(query).isEmpty();
    }

    /** The label sets of the series an instant query returns. */
    List<Map<String, String>> series(String query) {
      try {
        String body =
            get(
                base.resolve(
                    "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)));
        JsonNode answer = JSON.readTree(body);
        if (!"success".equals(answer.path("status").asText())) {
          throw new AssertionError("query " + query + " failed: " + body);
        }
        List<Map<String, String>> series = new ArrayList<>();
        for (JsonNode r : answer.path("data").path("result")) {
          Map<String, String> labels = new LinkedHashMap<>();
          for (Map.Entry<String, JsonNode> f : r.path("metric").properties()) {
            labels.put(f.getKey(), f.getValue().asText());
          }
          series.add(labels);
        }
        return series;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private static String get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    // Any status: Prometheus answers a bad query with 400 and a JSON error, which the caller shows.
    return r.body();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(String userEvent) throws Exception {
    DeliveryStack.send(topics, userEvent);
  }
}
