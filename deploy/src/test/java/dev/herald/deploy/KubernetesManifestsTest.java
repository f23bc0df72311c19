package dev.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.job.JobConfig;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes files in {@code deploy/kubernetes/}: each {@code FlinkDeployment} manifest fits
 * the Flink Kubernetes Operator's CRD (so a typo'd field or a wrong value fails the build, not the
 * {@code kubectl apply}), follows Herald's rules for running the job (its arguments parse, the jar
 * is the image's, upgrades go through savepoints, state and key groups as the job expects), and the
 * three scenarios are states of one deployment. The mutation tests show each check can fail.
 */
class KubernetesManifestsTest {

  private static final Path DIR = Path.of("kubernetes");
  private static final String CRD_RESOURCE = "/kubernetes/flinkdeployments.flink.apache.org-v1.yml";
  private static final OperatorCrd CRD = OperatorCrd.load(CRD_RESOURCE, "v1beta1");

  private static final String HA = HighAvailabilityOptions.HA_MODE.key();
  private static final String HA_STORAGE = HighAvailabilityOptions.HA_STORAGE_PATH.key();
  private static final String STATE_BACKEND = StateBackendOptions.STATE_BACKEND.key();
  private static final String INCREMENTAL = CheckpointingOptions.INCREMENTAL_CHECKPOINTS.key();
  private static final String INTERVAL = CheckpointingOptions.CHECKPOINTING_INTERVAL.key();
  private static final String CHECKPOINT_DIR = CheckpointingOptions.CHECKPOINTS_DIRECTORY.key();
  private static final String SAVEPOINT_DIR = CheckpointingOptions.SAVEPOINT_DIRECTORY.key();
  private static final String MAX_PARALLELISM = PipelineOptions.MAX_PARALLELISM.key();
  private static final String SLOTS = TaskManagerOptions.NUM_TASK_SLOTS.key();
  private static final String REPORTER = "metrics.reporter.prom.";
  private static final String PROMETHEUS_PORT = "9249";
  private static final String MAIN_CONTAINER = "flink-main-container";

  /** The least managed memory a slot needs for RocksDB's block cache and write buffers. */
  private static final MemorySize MIN_MANAGED_PER_SLOT = MemorySize.parse("512m");

  @ParameterizedTest
  @ValueSource(strings = {"basic.yaml", "upgrade-from-savepoint.yaml", "scaled-out.yaml"})
  void fitsTheOperatorsCrd(String file) {
    assertThat(CRD.problems(read(file))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"basic.yaml", "upgrade-from-savepoint.yaml", "scaled-out.yaml"})
  void followsHeraldsRules(String file) {
    assertThat(heraldProblems(read(file))).isEmpty();
  }

  @Test
  void theImageIsTheOfficialFlinkOneOfTheBuildWithTheJobJarWhereTheManifestsLook() {
    Dockerfile docker = Dockerfile.read(DIR.resolve("Dockerfile"));
    String flinkVersion = parentPomProperty("flink.version");

    assertThat(docker.from()).isEqualTo("flink:" + flinkVersion + "-scala_2.12-java17");
    assertThat(docker.copySource()).isEqualTo("jobs/target/herald-job.jar");
    for (String file : List.of("basic.yaml", "upgrade-from-savepoint.yaml", "scaled-out.yaml")) {
      JsonNode m = read(file);
      assertThat(m.at("/spec/job/jarURI").asText()).isEqualTo("local://" + docker.copyTarget());
      String[] v = flinkVersion.split("\\.");
      assertThat(m.at("/spec/flinkVersion").asText()).isEqualTo("v" + v[0] + "_" + v[1]);
    }
    // The build context is the repository's root: the ignore file must let the jar through.
    assertThat(DIR.resolve("Dockerfile.dockerignore"))
        .content()
        .contains("!" + docker.copySource());
  }

  @Test
  void theScenariosAreOneDeploymentThatKeepsItsIdentities() {
    JsonNode basic = read("basic.yaml");
    JsonNode upgrade = read("upgrade-from-savepoint.yaml");
    JsonNode scaled = read("scaled-out.yaml");
    JobConfig basicJob = jobConfig(basic);
    for (JsonNode next : List.of(upgrade, scaled)) {
      JobConfig job = jobConfig(next);
      assertThat(next.at("/metadata/name")).isEqualTo(basic.at("/metadata/name"));
      assertThat(job.groupId()).isEqualTo(basicJob.groupId());
      assertThat(job.transactionalIdPrefix()).isEqualTo(basicJob.transactionalIdPrefix());
      assertThat(job.maxParallelism()).isEqualTo(basicJob.maxParallelism());
      assertThat(next.at("/spec/flinkConfiguration"))
          .isEqualTo(basic.at("/spec/flinkConfiguration"));
    }

    // The redeploy names a savepoint where the job writes them, and a nonce that triggers it.
    String savepointDir = basic.at("/spec/flinkConfiguration").path(SAVEPOINT_DIR).asText();
    assertThat(upgrade.at("/spec/job/initialSavepointPath").asText())
        .startsWith(savepointDir + "/");
    assertThat(upgrade.at("/spec/job/savepointRedeployNonce").isIntegralNumber()).isTrue();
    assertThat(upgrade.at("/spec/image")).isNotEqualTo(basic.at("/spec/image"));

    // Scaled out: more subtasks, so more TaskManagers of the same size.
    int slots = basic.at("/spec/flinkConfiguration").path(SLOTS).asInt();
    int before = basic.at("/spec/job/parallelism").asInt();
    int after = scaled.at("/spec/job/parallelism").asInt();
    assertThat(after).isGreaterThan(before);
    assertThat(taskManagers(after, slots)).isGreaterThan(taskManagers(before, slots));
    assertThat(scaled.at("/spec/taskManager")).isEqualTo(basic.at("/spec/taskManager"));
  }

  @Test
  void theProcessesAreSizedAsTheCommentsSay() {
    JsonNode spec = read("basic.yaml").path("spec");
    Configuration conf = flinkConfiguration(spec);

    Configuration tm = new Configuration(conf);
    tm.set(
        TaskManagerOptions.TOTAL_PROCESS_MEMORY,
        MemorySize.parse(spec.at("/taskManager/resource/memory").asText()));
    var tmSpec = TaskExecutorProcessUtils.processSpecFromConfig(tm);
    MemorySize managedPerSlot =
        tmSpec.getManagedMemorySize().divide(conf.get(TaskManagerOptions.NUM_TASK_SLOTS));
    assertThat(managedPerSlot).isGreaterThanOrEqualTo(MIN_MANAGED_PER_SLOT);
    assertThat(managedPerSlot.getMebiBytes()).isBetween(680, 690); // "about 686 MiB per slot"
    assertThat(tmSpec.getTaskHeapSize().getMebiBytes()).isBetween(1400, 1500); // "about 1.4 GiB"

    Configuration jm = new Configuration(conf);
    jm.set(
        JobManagerOptions.TOTAL_PROCESS_MEMORY,
        MemorySize.parse(spec.at("/jobManager/resource/memory").asText()));
    var jmSpec = JobManagerProcessUtils.processSpecFromConfig(jm);
    assertThat(jmSpec.getJvmHeapMemorySize().getMebiBytes()).isBetween(1400, 1500);
  }

  // The checks can fail: each mutation of the basic manifest below is caught.

  @Test
  void aTypoedFieldIsRejected() {
    ObjectNode m = (ObjectNode) read("basic.yaml");
    ObjectNode job = (ObjectNode) m.at("/spec/job");
    job.set("upgradeMod", job.remove("upgradeMode"));

    assertThat(CRD.problems(m)).anySatisfy(p -> assertThat(p).contains("upgradeMod"));
  }

  @Test
  void aTypoedFieldInsideThePodTemplateIsRejected() {
    ObjectNode m = (ObjectNode) read("basic.yaml");
    ObjectNode mount =
        (ObjectNode) m.at("/spec/taskManager/podTemplate/spec/containers/0/volumeMounts/0");
    mount.set("mountpath", mount.remove("mountPath"));

    assertThat(CRD.problems(m)).anySatisfy(p -> assertThat(p).contains("mountpath"));
  }

  @Test
  void aValueOutsideAnEnumIsRejected() {
    ObjectNode m = (ObjectNode) read("basic.yaml");
    ((ObjectNode) m.path("spec")).put("flinkVersion", "v2_9");
    ((ObjectNode) m.at("/spec/job")).put("upgradeMode", "savepoints");

    assertThat(CRD.problems(m))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("flinkVersion"))
        .anySatisfy(p -> assertThat(p).contains("upgradeMode"));
  }

  @Test
  void aValueOfTheWrongTypeOrAWrongKindIsRejected() {
    ObjectNode m = (ObjectNode) read("basic.yaml");
    ((ObjectNode) m.at("/spec/job")).put("parallelism", "four");
    m.put("kind", "FlinkDeploymnet");

    assertThat(CRD.problems(m))
        .anySatisfy(p -> assertThat(p).contains("parallelism"))
        .anySatisfy(p -> assertThat(p).contains("kind"));
  }

  @Test
  void aManifestThatBreaksHeraldsRulesIsReported() {
    ObjectNode m = (ObjectNode) read("basic.yaml");
    ObjectNode conf = (ObjectNode) m.at("/spec/flinkConfiguration");
    conf.put(MAX_PARALLELISM, "256");
    conf.put("execution.checkpointing.incremantal", "true");
    ((ObjectNode) m.at("/spec/job")).put("upgradeMode", "last-state");

    assertThat(CRD.problems(m)).isEmpty(); // the CRD leaves flinkConfiguration free
    assertThat(heraldProblems(m))
        .anySatisfy(p -> assertThat(p).contains(MAX_PARALLELISM))
        .anySatisfy(p -> assertThat(p).contains("execution.checkpointing.incremantal"))
        .anySatisfy(p -> assertThat(p).contains("upgradeMode"));
  }

  @Test
  void argumentsTheJobDoesNotTakeOrATokenInThemAreReported() {
    ObjectNode m = (ObjectNode) read("basic.yaml");
    ArrayNode args = (ArrayNode) m.at("/spec/job/args");
    args.add("--bootstrap-server").add("kafka:9092");
    assertThat(heraldProblems(m)).anySatisfy(p -> assertThat(p).contains("--bootstrap-server"));

    m = (ObjectNode) read("basic.yaml");
    args = (ArrayNode) m.at("/spec/job/args");
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).asText().equals("--credentials-file")) {
        args.set(i + 1, "/tmp/credentials");
      }
    }
    args.add("--topic-decisions").add("whatsapp/123=EAAG-secret");
    assertThat(heraldProblems(m))
        .anySatisfy(p -> assertThat(p).contains("--credentials-file"))
        .anySatisfy(p -> assertThat(p).contains("credentials line"));
  }

  /** What breaks Herald's rules in a {@code FlinkDeployment} of the job; empty when nothing. */
  private static List<String> heraldProblems(JsonNode manifest) {
    List<String> problems = new ArrayList<>();
    JsonNode spec = manifest.path("spec");
    JsonNode conf = spec.path("flinkConfiguration");
    JsonNode job = spec.path("job");

    Set<String> known = knownFlinkKeys();
    conf.fieldNames()
        .forEachRemaining(
            key -> {
              if (!key.startsWith(REPORTER) && !known.contains(key)) {
                problems.add("flinkConfiguration: " + key + " is no Flink option");
              }
            });

    JobConfig config;
    try {
      config = jobConfig(manifest);
    } catch (IllegalArgumentException e) {
      problems.add("job.args: " + e.getMessage().lines().findFirst().orElse(""));
      return problems;
    }
    expect(problems, job, "entryClass", "dev.herald.job.HeraldJob");
    if (JobConfig.class.getResource("HeraldJob.class") == null) {
      problems.add("job.entryClass: no class dev.herald.job.HeraldJob in the job");
    }
    expect(problems, job, "jarURI", "local:///opt/flink/usrlib/herald-job.jar");
    expect(problems, job, "upgradeMode", "savepoint");
    expect(problems, job, "state", "running");
    if (config.mode() != JobConfig.Mode.LIVE) {
      problems.add("job.args: --mode must be live on Kubernetes (replay mode finishes)");
    }

    expect(problems, conf, STATE_BACKEND, "rocksdb");
    expect(problems, conf, INCREMENTAL, "true");
    if (!config.incrementalCheckpoints()) {
      problems.add("job.args: --incremental-checkpoints must stay true");
    }
    expect(problems, conf, MAX_PARALLELISM, Integer.toString(config.maxParallelism()));
    if (!conf.path(INTERVAL).isTextual()
        || !TimeUtils.parseDuration(conf.path(INTERVAL).asText())
            .equals(config.checkpointInterval())
        || config.checkpointInterval().equals(Duration.ZERO)) {
      problems.add(INTERVAL + ": must be the job's --checkpoint-interval, not zero");
    }
    for (String dir : List.of(CHECKPOINT_DIR, SAVEPOINT_DIR, HA_STORAGE)) {
      if (conf.path(dir).asText().isEmpty()) {
        problems.add(dir + ": must be set (a volume every pod mounts, or an object store)");
      }
    }
    if (config.checkpointDir() != null) {
      problems.add("job.args: no --checkpoint-dir; the cluster's " + CHECKPOINT_DIR + " is it");
    }
    expect(problems, conf, HA, "kubernetes");
    expect(problems, conf, REPORTER + "factory.class", PrometheusReporterFactory.class.getName());
    expect(problems, conf, REPORTER + "port", PROMETHEUS_PORT);
    // Account ids as they are in the job (page-1), not rewritten (page_1).
    expect(problems, conf, REPORTER + "filterLabelValueCharacters", "false");
    if (!exposesMetricsPort(spec.path("podTemplate"))) {
      problems.add("podTemplate: the main container must expose port " + PROMETHEUS_PORT);
    }

    int parallelism = job.path("parallelism").asInt(0);
    if (parallelism < 1 || parallelism > config.maxParallelism()) {
      problems.add("job.parallelism: must be 1 to --max-parallelism, got " + parallelism);
    }
    if (config.parallelism() != 0 && config.parallelism() != parallelism) {
      problems.add("job.args: --parallelism differs from job.parallelism");
    }

    String credentials = config.delivery().credentialsFile();
    if (credentials == null
        || !underSecretMount(spec.at("/taskManager/podTemplate"), credentials)) {
      problems.add(
          "job.args: --credentials-file must be a file of a Secret mounted on the TaskManagers");
    }
    for (JsonNode arg : job.path("args")) {
      if (arg.asText().matches("[a-z]+/[^=\\s]+=\\S+")) {
        problems.add("job.args: a credentials line in the arguments");
      }
    }
    return problems;
  }

  private static void expect(List<String> problems, JsonNode node, String field, String value) {
    JsonNode actual = node.path(field);
    if (!actual.isValueNode() || !actual.asText().equals(value)) {
      problems.add(
          field + ": must be " + value + ", got " + (actual.isMissingNode() ? "nothing" : actual));
    }
  }

  private static boolean exposesMetricsPort(JsonNode podTemplate) {
    for (JsonNode c : podTemplate.at("/spec/containers")) {
      if (c.path("name").asText().equals(MAIN_CONTAINER)) {
        for (JsonNode port : c.path("ports")) {
          if (port.path("containerPort").asText().equals(PROMETHEUS_PORT)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean underSecretMount(JsonNode podTemplate, String file) {
    Set<String> secretVolumes = new HashSet<>();
    for (JsonNode v : podTemplate.at("/spec/volumes")) {
      if (v.has("secret")) {
        secretVolumes.add(v.path("name").asText());
      }
    }
    for (JsonNode c : podTemplate.at("/spec/containers")) {
      if (!c.path("name").asText().equals(MAIN_CONTAINER)) {
        continue;
      }
      for (JsonNode mount : c.path("volumeMounts")) {
        if (secretVolumes.contains(mount.path("name").asText())
            && file.startsWith(mount.path("mountPath").asText() + "/")) {
          return true;
        }
      }
    }
    return false;
  }

  private static JobConfig jobConfig(JsonNode manifest) {
    List<String> args = new ArrayList<>();
    manifest.at("/spec/job/args").forEach(a -> args.add(a.asText()));
    return JobConfig.parse(args.toArray(new String[0]));
  }

  private static Configuration flinkConfiguration(JsonNode spec) {
    Map<String, String> map = new TreeMap<>();
    spec.path("flinkConfiguration")
        .fields()
        .forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return Configuration.fromMap(map);
  }

  private static int taskManagers(int parallelism, int slots) {
    return (parallelism + slots - 1) / slots;
  }

  /** Every key (current or fallback) of the Flink options the manifests may set. */
  private static Set<String> knownFlinkKeys() {
    Set<String> keys = new HashSet<>();
    for (Class<?> options :
        List.of(
            CheckpointingOptions.class,
            StateBackendOptions.class,
            StateRecoveryOptions.class,
            HighAvailabilityOptions.class,
            PipelineOptions.class,
            CoreOptions.class,
            TaskManagerOptions.class,
            JobManagerOptions.class,
            MetricOptions.class,
            RestOptions.class)) {
      for (Field f : options.getFields()) {
        if (Modifier.isStatic(f.getModifiers())
            && ConfigOption.class.isAssignableFrom(f.getType())) {
          try {
            ConfigOption<?> option = (ConfigOption<?>) f.get(null);
            keys.add(option.key());
            for (FallbackKey k : option.fallbackKeys()) {
              keys.add(k.getKey());
            }
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return keys;
  }

  private static JsonNode read(String file) {
    try {
      return OperatorCrd.YAML.readTree(DIR.resolve(file).toFile());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DIR.resolve(file), e);
    }
  }

  private static String parentPomProperty(String name) {
    try {
      String pom = Files.readString(Path.of("..", "pom.xml"));
      Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
      if (!m.find()) {
        throw new IllegalStateException("no <" + name + "> in the parent POM");
      }
      return m.group(1).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The instructions of the image's Dockerfile that the manifests depend on. */
  private record Dockerfile(String from, String copySource, String copyTarget) {
    static Dockerfile read(Path file) {
      String from = null;
      String source = null;
      String target = null;
      try {
        for (String line : Files.readAllLines(file)) {
          String[] words = line.trim().split("\\s+");
          if (words[0].equals("FROM")) {
            from = words[1];
          } else if (words[0].equals("COPY")) {
            source = words[1];
            target = words[2];
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return new Dockerfile(from, source, target);
    }
  }
}
