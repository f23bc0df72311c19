package dev.herald.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.policy.FrequencyCap;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The job's flags: defaults, parsing, the errors that name the flag, and the Flink settings. */
class JobConfigTest {

  private static final String[] EVERY_FLAG = {
    "mode",
    "parallelism",
    "max-parallelism",
    "checkpoint-interval",
    "checkpoint-dir",
    "incremental-checkpoints",
    "rocksdb-memory-per-slot",
    "frequency-cap",
    "out-of-orderness",
    "idle-after",
    "bootstrap-servers",
    "topic-user-events",
    "topic-campaigns",
    "topic-decisions",
    "topic-send-requests",
    "topic-dead-letters",
    "group-id",
    "transactional-id-prefix",
    "transaction-timeout",
    "topic-delivery-outcomes",
    "delivery",
    "messenger-base-url",
    "whatsapp-base-url",
    "api-version",
    "credentials-file",
    "account-limits",
    "delivery-in-flight",
    "delivery-margin"
  };

  private static JobConfig parse(String... args) {
    return JobConfig.parse(args);
  }

  // ------------------------------------------------------------------ defaults

  @Test
  void defaults() {
    JobConfig c = JobConfig.defaults();

    assertThat(c.mode()).isEqualTo(JobConfig.Mode.LIVE);
    assertThat(c.parallelism()).as("the cluster's").isZero();
    assertThat(c.maxParallelism()).isEqualTo(128);
    assertThat(c.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.checkpointDir()).as("the cluster's").isNull();
    assertThat(c.incrementalCheckpoints()).isTrue();
    assertThat(c.rocksdbMemoryPerSlot()).isNull();
    assertThat(c.frequencyCap()).isNull();
    assertThat(c.outOfOrderness()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.idleAfter()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(c.userEventsTopic()).isEqualTo("user-events");
    assertThat(c.campaignsTopic()).isEqualTo("campaigns");
    assertThat(c.decisionsTopic()).isEqualTo("decisions");
    assertThat(c.sendRequestsTopic()).isEqualTo("send-requests");
    assertThat(c.deadLettersTopic()).isEqualTo("dead-letters");
    assertThat(c.groupId()).isEqualTo("herald");
    assertThat(c.transactionalIdPrefix()).isEqualTo("herald");
    assertThat(c.transactionTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.policy().frequencyCap()).isNull();
    assertThat(parse()).isEqualTo(c);
  }

  // ------------------------------------------------------------------ every flag

  private static final String[] VALUES = {
    "replay",
    "7",
    "256",
    "PT1M30S",
    "s3://bucket/herald/checkpoints",
    "false",
    "256mb",
    "3/P7D",
    "PT2.25S",
    "PT5S",
    "kafka-1:9092,kafka-2:9092",
    "ue",
    "camps",
    "decs",
    "sends",
    "dlq",
    "backtest-1",
    "herald-eu",
    "PT5M",
    "outcomes",
    "false",
    "http://127.0.0.1:8080/messenger/",
    "https://wa.example.com",
    "v24.0",
    "/etc/herald/tokens",
    "",
    "16",
    "PT0.2S"
  };

  private static void assertEveryFlagSet(JobConfig c) {
    assertThat(c.mode()).isEqualTo(JobConfig.Mode.REPLAY);
    assertThat(c.parallelism()).isEqualTo(7);
    assertThat(c.maxParallelism()).isEqualTo(256);
    assertThat(c.checkpointInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.checkpointDir()).isEqualTo("s3://bucket/herald/checkpoints");
    assertThat(c.incrementalCheckpoints()).isFalse();
    assertThat(c.rocksdbMemoryPerSlot()).isEqualTo(MemorySize.ofMebiBytes(256));
    assertThat(c.frequencyCap()).isEqualTo(new FrequencyCap(3, Duration.ofDays(7)));
    assertThat(c.deliveryOutcomesTopic()).isEqualTo("outcomes");
    assertThat(c.delivery().enabled()).isFalse();
    assertThat(c.delivery().messengerBaseUrl())
        .as("without its trailing slash")
        .isEqualTo("http://127.0.0.1:8080/messenger");
    assertThat(c.delivery().whatsappBaseUrl()).isEqualTo("https://wa.example.com");
    assertThat(c.delivery().apiVersion()).isEqualTo("v24.0");
    assertThat(c.delivery().credentialsFile()).isEqualTo("/etc/herald/tokens");
    assertThat(c.delivery().accountLimits()).isEmpty();
    assertThat(c.delivery().inFlight()).isEqualTo(16);
    assertThat(c.delivery().margin()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.outOfOrderness()).isEqualTo(Duration.ofMillis(2250));
    assertThat(c.idleAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
    assertThat(c.userEventsTopic()).isEqualTo("ue");
    assertThat(c.campaignsTopic()).isEqualTo("camps");
    assertThat(c.decisionsTopic()).isEqualTo("decs");
    assertThat(c.sendRequestsTopic()).isEqualTo("sends");
    assertThat(c.deadLettersTopic()).isEqualTo("dlq");
    assertThat(c.groupId()).isEqualTo("backtest-1");
    assertThat(c.transactionalIdPrefix()).isEqualTo("herald-eu");
    assertThat(c.transactionTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.policy().frequencyCap()).isEqualTo(c.frequencyCap());
  }

  @Test
  void everyFlagAsNameThenValue() {
    String[] args = new String[EVERY_FLAG.length * 2];
    for (int i = 0; i < EVERY_FLAG.length; i++) {
      args[2 * i] = "--" + EVERY_FLAG[i];
      args[2 * i + 1] = VALUES[i];
    }

    assertEveryFlagSet(JobConfig.parse(args));
  }

  @Test
  void everyFlagAsNameEqualsValue() {
    String[] args = new String[EVERY_FLAG.length];
    for (int i = 0; i < EVERY_FLAG.length; i++) {
      args[i] = "--" + EVERY_FLAG[i] + "=" + VALUES[i];
    }

    assertEveryFlagSet(JobConfig.parse(args));
  }

  @Test
  void bothFormsMixAndTheLastOfARepeatedFlagWins() {
    JobConfig c = parse("--parallelism=3", "--idle-after", "PT1S", "--parallelism", "4");

    assertThat(c.parallelism()).isEqualTo(4);
    assertThat(c.idleAfter()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aValueMayContainAnEqualsSign() {
    JobConfig c = parse("--checkpoint-dir=file:///tmp/a=b", "--bootstrap-servers", "x=y:9092");

    assertThat(c.checkpointDir()).isEqualTo("file:///tmp/a=b");
    assertThat(c.bootstrapServers()).isEqualTo("x=y:9092");
  }

  @Test
  void valuesAreTrimmed() {
    JobConfig c = parse("--parallelism", " 5 ", "--checkpoint-interval", " PT1S");

    assertThat(c.parallelism()).isEqualTo(5);
    assertThat(c.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void emptyOptionalValuesMeanNone() {
    JobConfig c =
        parse(
            "--rocksdb-memory-per-slot",
            "256mb",
            "--rocksdb-memory-per-slot=",
            "--frequency-cap=",
            "--parallelism",
            "3",
            "--parallelism=",
            "--checkpoint-dir",
            "  ");

    assertThat(c.rocksdbMemoryPerSlot()).isNull();
    assertThat(c.frequencyCap()).isNull();
    assertThat(c.parallelism()).as("the cluster's").isZero();
    assertThat(c.checkpointDir()).as("the cluster's").isNull();
  }

  // ------------------------------------------------------------------ bad values

  @ParameterizedTest(name = "--{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "mode|batch|'batch' is not live or replay",
        "mode|LIVE|'LIVE' is not live or replay",
        "group-id|''|must not be empty",
        "transactional-id-prefix|''|must not be empty",
        "transaction-timeout|PT0S|must be longer than zero",
        "transaction-timeout|15m|'15m' is not a duration",
        "parallelism|x|'x' is not a whole number",
        "parallelism|0|must be at least 1, got 0",
        "parallelism|-3|must be at least 1, got -3",
        "parallelism|2.5|'2.5' is not a whole number",
        "parallelism|99999999999|'99999999999' is not a whole number",
        "checkpoint-interval|x|'x' is not a duration",
        "checkpoint-interval|10s|'10s' is not a duration",
        "checkpoint-interval|P1W|'P1W' is not a duration",
        "checkpoint-interval|-PT1S|'-PT1S' is not a duration",
        "incremental-checkpoints|yes|'yes' is not true or false",
        "incremental-checkpoints|TRUE|'TRUE' is not true or false",
        "rocksdb-memory-per-slot|lots|",
        "rocksdb-memory-per-slot|256 parsecs|",
        "frequency-cap|3|'3' is not N/PERIOD (e.g. 1/PT24H)",
        "frequency-cap|x/PT24H|'x/PT24H': N must be a whole number",
        "frequency-cap|/PT24H|'/PT24H': N must be a whole number",
        "frequency-cap|1/24h|'24h' is not a duration",
        "frequency-cap|1/|'' is not a duration",
        "frequency-cap|-1/PT24H|frequency cap max must be at least 0, got -1",
        "frequency-cap|1/PT0S|frequency cap period must be positive",
        "frequency-cap|1/P36501D|frequency cap period must be at most P36500D (100 years), got P36501D",
        "frequency-cap|1/P99999999999D|frequency cap period must be at most P36500D",
        "out-of-orderness|half a second|'half a second' is not a duration",
        "idle-after|PT|'PT' is not a duration",
        "bootstrap-servers|''|must not be empty",
        "topic-user-events|''|must not be empty",
        "topic-campaigns|''|must not be empty",
        "topic-decisions|''|must not be empty",
        "topic-send-requests|''|must not be empty",
        "topic-dead-letters|''|must not be empty",
        "topic-delivery-outcomes|''|must not be empty",
        "delivery|on|'on' is not true or false",
        "messenger-base-url|graph.facebook.com|'graph.facebook.com' is not an http(s) base URL",
        "messenger-base-url|ftp://host|'ftp://host' is not an http(s) base URL",
        "whatsapp-base-url|https://host/?access_token=x|'https://host/?access_token=x' is not an"
            + " http(s) base URL",
        "whatsapp-base-url|http://a b|'http://a b' is not a URL",
        "api-version|23.0|'23.0' is not a Graph API version (e.g. v23.0)",
        "api-version|v23|'v23' is not a Graph API version",
        "account-limits|/no/such/file.json|cannot read /no/such/file.json",
        "delivery-in-flight|0|must be at least 1, got 0",
        "delivery-margin|PT1S|must be under 1 s, got PT1S",
        "delivery-margin|50ms|'50ms' is not a duration"
      })
  void aBadValueFailsNamingTheFlag(String flag, String value, String reason) {
    String expectedReason = reason == null ? "" : reason;
    for (String[] args : new String[][] {{"--" + flag, value}, {"--" + flag + "=" + value}}) {
      assertThatThrownBy(() -> JobConfig.parse(args))
          .as(String.join(" ", args))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--" + flag + ": " + expectedReason);
    }
  }

  @Test
  void theParallelismIsAtMostTheMaxParallelism() {
    assertThat(parse("--parallelism", "128").parallelism()).isEqualTo(128);
    assertThatThrownBy(() -> parse("--parallelism", "129"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--parallelism: must be at most --max-parallelism (128), got 129");
    assertThat(parse("--parallelism", "300", "--max-parallelism", "512").parallelism())
        .isEqualTo(300);
  }

  @Test
  void theMessageOfABadDurationIsExact() {
    assertThatThrownBy(() -> parse("--checkpoint-interval", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--checkpoint-interval: 'x' is not a duration (e.g. PT10S, PT0.5S)");
  }

  @Test
  void anUnknownFlagFailsNamingItAndListsTheFlags() {
    assertThatThrownBy(() -> parse("--paralelism", "3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown flag --paralelism\n")
        .hasMessageContaining(JobConfig.usage());
    assertThatThrownBy(() -> parse("--nope=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown flag --nope\n");
    assertThatThrownBy(() -> parse("--parallelism", "2", "--bogus"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown flag --bogus\n");
  }

  @Test
  void theWebUiListsTheFlagsInTheirOrder() {
    assertThat(JobConfig.defaults().asJobParameters().toMap().keySet())
        .startsWith("mode", "parallelism", "max-parallelism", "checkpoint-interval");
  }

  @Test
  void aFlagWithoutAValueFails() {
    assertThatThrownBy(() -> parse("--parallelism"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--parallelism needs a value");
    assertThatThrownBy(() -> parse("--idle-after", "PT1S", "--checkpoint-dir"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--checkpoint-dir needs a value");
  }

  @ParameterizedTest
  @ValueSource(strings = {"parallelism", "-p", "3"})
  void anArgumentThatIsNotAFlagFails(String arg) {
    assertThatThrownBy(() -> parse(arg))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expected a flag (--name value), got '" + arg + "'");
  }

  // ------------------------------------------------------------------ frequency cap

  @Test
  void aFrequencyCapIsNSlashPeriod() {
    assertThat(parse("--frequency-cap", "1/PT24H").frequencyCap())
        .isEqualTo(new FrequencyCap(1, Duration.ofHours(24)));
    assertThat(parse("--frequency-cap=2/P1DT12H").frequencyCap())
        .isEqualTo(new FrequencyCap(2, Duration.ofHours(36)));
    assertThat(parse("--frequency-cap", "0/PT1H").frequencyCap())
        .isEqualTo(new FrequencyCap(0, Duration.ofHours(1)));
    assertThat(parse("--frequency-cap", "1/PT24H").policy().frequencyCap())
        .isEqualTo(new FrequencyCap(1, Duration.ofHours(24)));
  }

  // ------------------------------------------------------------------ usage

  @Test
  void usageListsEveryFlagWithItsDefault() {
    String usage = JobConfig.usage();

    for (String flag : EVERY_FLAG) {
      assertThat(usage).contains("--" + flag + " (default: ");
    }
    assertThat(usage).contains("--parallelism (default: none)");
    assertThat(usage).contains("empty: the cluster's default");
    assertThat(usage).contains("--frequency-cap (default: none)");
    Matcher m = Pattern.compile("(?m)^  --([a-z-]+) ").matcher(usage);
    int n = 0;
    while (m.find()) {
      n++;
    }
    assertThat(n).isEqualTo(EVERY_FLAG.length);
  }

  // ------------------------------------------------------------------ Flink configuration

  @Test
  void theFlinkConfigurationOfTheDefaults() {
    Configuration conf = JobConfig.defaults().flinkConfiguration();

    assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .as("the cluster's")
        .isFalse();
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    assertThat(conf.contains(CoreOptions.DEFAULT_PARALLELISM)).as("the cluster's").isFalse();
    assertThat(conf.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(128);
    assertThat(conf.get(PipelineOptions.AUTO_WATERMARK_INTERVAL)).isEqualTo(Duration.ofMillis(100));
    assertThat(conf.contains(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE)).isFalse();

    Map<String, String> map = conf.toMap();
    assertThat(map)
        .containsEntry("state.backend.type", "rocksdb")
        .containsEntry("execution.checkpointing.incremental", "true")
        .containsEntry("pipeline.generic-types", "false")
        .doesNotContainKey("execution.checkpointing.dir")
        .containsKey("execution.checkpointing.interval")
        .doesNotContainKey("parallelism.default")
        .doesNotContainKey("state.backend.rocksdb.memory.fixed-per-slot");
  }

  @Test
  void theFlinkConfigurationFollowsTheFlags() {
    Configuration conf =
        parse(
                "--parallelism=5",
                "--checkpoint-interval=PT1M",
                "--checkpoint-dir=s3://b/cp",
                "--incremental-checkpoints=false",
                "--rocksdb-memory-per-slot=512mb")
            .flinkConfiguration();

    assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("s3://b/cp");
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(conf.get(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE))
        .isEqualTo(MemorySize.ofMebiBytes(512));
    assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(5);
    assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    assertThat(conf.toMap())
        .containsEntry("execution.checkpointing.incremental", "false")
        .containsKey("state.backend.rocksdb.memory.fixed-per-slot");
  }

  @Test
  void aZeroCheckpointIntervalSetsNoInterval() {
    Configuration conf = parse("--checkpoint-interval", "PT0S").flinkConfiguration();

    assertThat(conf.contains(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isFalse();
    assertThat(conf.toMap()).doesNotContainKey("execution.checkpointing.interval");
  }

  // ------------------------------------------------------------------ job parameters

  @Test
  void theJobParametersShowEveryFlag() {
    Map<String, String> shown = JobConfig.defaults().asJobParameters().toMap();

    assertThat(shown.keySet()).containsExactlyInAnyOrder(EVERY_FLAG);
    assertThat(shown)
        .containsEntry("mode", "live")
        .containsEntry("parallelism", "cluster default")
        .containsEntry("max-parallelism", "128")
        .containsEntry("checkpoint-interval", "PT10S")
        .containsEntry("checkpoint-dir", "cluster default")
        .containsEntry("incremental-checkpoints", "true")
        .containsEntry("rocksdb-memory-per-slot", "managed")
        .containsEntry("frequency-cap", "none")
        .containsEntry("out-of-orderness", "PT0.500S")
        .containsEntry("idle-after", "PT0.200S")
        .containsEntry("bootstrap-servers", "localhost:9092")
        .containsEntry("topic-user-events", "user-events")
        .containsEntry("topic-campaigns", "campaigns")
        .containsEntry("topic-decisions", "decisions")
        .containsEntry("topic-send-requests", "send-requests")
        .containsEntry("topic-dead-letters", "dead-letters");
  }

  @Test
  void theJobParametersShowTheValuesGiven() {
    String[] args = new String[EVERY_FLAG.length];
    for (int i = 0; i < EVERY_FLAG.length; i++) {
      args[i] = "--" + EVERY_FLAG[i] + "=" + VALUES[i];
    }

    Map<String, String> shown = JobConfig.parse(args).asJobParameters().toMap();

    assertThat(shown.keySet()).containsExactlyInAnyOrder(EVERY_FLAG);
    assertThat(shown)
        .containsEntry("parallelism", "7")
        .containsEntry("checkpoint-interval", "PT1M30S")
        .containsEntry("checkpoint-dir", "s3://bucket/herald/checkpoints")
        .containsEntry("incremental-checkpoints", "false")
        .containsEntry("rocksdb-memory-per-slot", MemorySize.ofMebiBytes(256).toString())
        .containsEntry("frequency-cap", "3/P7D")
        .containsEntry("out-of-orderness", "PT2.250S")
        .containsEntry("idle-after", "PT5S")
        .containsEntry("bootstrap-servers", "kafka-1:9092,kafka-2:9092")
        .containsEntry("topic-user-events", "ue")
        .containsEntry("topic-campaigns", "camps")
        .containsEntry("topic-decisions", "decs")
        .containsEntry("topic-send-requests", "sends")
        .containsEntry("topic-dead-letters", "dlq");
    // Every value shown parses back to the same setting (except the words for "none").
    assertThat(JobConfig.parse(new String[] {"--frequency-cap", shown.get("frequency-cap")}))
        .extracting(JobConfig::frequencyCap)
        .isEqualTo(new FrequencyCap(3, Duration.ofDays(7)));
  }

  @Test
  void equalConfigurationsHaveEqualJobParameters() {
    assertThat(JobConfig.defaults().asJobParameters())
        .isEqualTo(JobConfig.defaults().asJobParameters())
        .hasSameHashCodeAs(JobConfig.defaults().asJobParameters())
        .isNotEqualTo(parse("--parallelism", "3").asJobParameters());
  }

  @Test
  void theConfigurationAndItsParametersAreJavaSerializable() throws Exception {
    JobConfig c = parse("--frequency-cap", "1/PT24H", "--rocksdb-memory-per-slot", "64mb");

    JobConfig back =
        InstantiationUtil.deserializeObject(
            InstantiationUtil.serializeObject(c), getClass().getClassLoader());

    assertThat(back).isEqualTo(c);
    assertThat(
            InstantiationUtil.<Object>deserializeObject(
                InstantiationUtil.serializeObject(c.asJobParameters()),
                getClass().getClassLoader()))
        .isEqualTo(c.asJobParameters());
  }
}
