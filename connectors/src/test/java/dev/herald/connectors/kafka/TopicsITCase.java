package dev.herald.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.herald.connectors.kafka.local.LocalKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Topics} and {@code bin/kafka topics} against a real broker. */
class TopicsITCase {

  @TempDir static Path dir;
  private static LocalKafka kafka;
  private static Admin admin;

  @BeforeAll
  static void start() {
    kafka = LocalKafka.start(dir, 0);
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void createsWhatIsMissingAndLeavesTheRestAsItIs() throws Exception {
    TopicNames names = names("idem");
    // One topic made beforehand, unlike Herald would: it must stay exactly so.
    admin
        .createTopics(
            List.of(
                new NewTopic(names.decisions(), 1, (short) 1)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "3600000"))))
        .all()
        .get();

    List<Topics.Row> first = Topics.ensure(admin, names, 3, (short) 1);
    assertThat(first)
        .extracting(Topics.Row::name, Topics.Row::partitions, Topics.Row::status)
        .containsExactly(
            tuple(names.userEvents(), 3, "created"),
            tuple(names.campaigns(), 1, "created"),
            tuple(names.decisions(), 1, "exists"),
            tuple(names.sendRequests(), 3, "created"),
            tuple(names.deadLetters(), 3, "created"),
            tuple(names.deliveryOutcomes(), 3, "created"));
    assertThat(first.get(2).retentionMs()).isEqualTo(3_600_000L);

    List<Topics.Row> second = Topics.ensure(admin, names, 8, (short) 1);
    assertThat(second).allSatisfy(r -> assertThat(r.created()).isFalse());
    assertThat(second)
        .extracting(Topics.Row::partitions, Topics.Row::retentionMs)
        .isEqualTo(first.stream().map(r -> tuple(r.partitions(), r.retentionMs())).toList());
  }

  @Test
  void eachTopicDeletesByAgeWithItsRetention() throws Exception {
    TopicNames names = names("cfg");
    Topics.ensure(admin, names, 2, (short) 1);

    Map<String, Map<String, String>> configs = configs(names.all());
    long day = 24 * 3600 * 1000L;
    assertThat(configs)
        .allSatisfy(
            (topic, c) -> assertThat(c.get(TopicConfig.CLEANUP_POLICY_CONFIG)).isEqualTo("delete"));
    assertThat(configs.get(names.userEvents()).get(TopicConfig.RETENTION_MS_CONFIG))
        .isEqualTo("-1");
    assertThat(configs.get(names.campaigns()).get(TopicConfig.RETENTION_MS_CONFIG)).isEqualTo("-1");
    assertThat(configs.get(names.deliveryOutcomes()).get(TopicConfig.RETENTION_MS_CONFIG))
        .isEqualTo("-1");
    assertThat(configs.get(names.decisions()).get(TopicConfig.RETENTION_MS_CONFIG))
        .isEqualTo(Long.toString(400 * day));
    assertThat(configs.get(names.sendRequests()).get(TopicConfig.RETENTION_MS_CONFIG))
        .isEqualTo(Long.toString(7 * day));
    assertThat(configs.get(names.deadLetters()).get(TopicConfig.RETENTION_MS_CONFIG))
        .isEqualTo(Long.toString(30 * day));
  }

  @Test
  void commandPrintsTheTable() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = {
      "--bootstrap-servers", kafka.bootstrapServers(),
      "--topic-user-events", "cmd-user-events",
      "--topic-campaigns", "cmd-campaigns",
      "--topic-decisions", "cmd-decisions",
      "--topic-send-requests", "cmd-send-requests",
      "--topic-dead-letters", "cmd-dead-letters",
      "--topic-delivery-outcomes", "cmd-delivery-outcomes"
    };

    int status = TopicsCommand.run(args, print(out), print(err));

    assertThat(status).isEqualTo(0);
    assertThat(text(err)).isEmpty();
    assertThat(text(out).lines())
        .hasSize(7)
        .anySatisfy(l -> assertThat(l).matches("cmd-user-events +4 +1 +forever +created"))
        .anySatisfy(l -> assertThat(l).matches("cmd-campaigns +1 +1 +forever +created"))
        .anySatisfy(l -> assertThat(l).matches("cmd-decisions +4 +1 +400 d +created"));
  }

  @Test
  void aBrokerErrorIsOneLineAndStatusOne() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = {
      "--bootstrap-servers", kafka.bootstrapServers(),
      "--replication-factor", "3",
      "--topic-user-events", "rf-user-events",
      "--topic-campaigns", "rf-campaigns",
      "--topic-decisions", "rf-decisions",
      "--topic-send-requests", "rf-send-requests",
      "--topic-dead-letters", "rf-dead-letters",
      "--topic-delivery-outcomes", "rf-delivery-outcomes"
    };

    int status = TopicsCommand.run(args, print(out), print(err));

    assertThat(status).isEqualTo(1);
    assertThat(text(out)).isEmpty();
    assertThat(text(err).lines())
        .singleElement()
        .asString()
        .startsWith("topics: Kafka at " + kafka.bootstrapServers() + ": creating topic rf-")
        .contains("replication factor of 3");
  }

  private static TopicNames names(String prefix) {
    return new TopicNames(
        prefix + "-user-events",
        prefix + "-campaigns",
        prefix + "-decisions",
        prefix + "-send-requests",
        prefix + "-dead-letters",
        prefix + "-delivery-outcomes");
  }

  private static Map<String, Map<String, String>> configs(List<String> topics) throws Exception {
    List<ConfigResource> resources =
        topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> all = admin.describeConfigs(resources).all().get();
    return all.entrySet().stream()
        .collect(
            Collectors.toMap(
                e -> e.getKey().name(),
                e ->
                    e.getValue().entries().stream()
                        .collect(Collectors.toMap(c -> c.name(), c -> String.valueOf(c.value())))));
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
