package dev.herald.job.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.job.JobConfig;
import dev.herald.simulator.ChannelSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the delivery integration tests share: Herald's topics on a test broker, the live job's flags
 * pointed at the channel simulator (with a credentials file and per-account limits), and the
 * records they write, keyed as upstream keys them.
 */
final class DeliveryStack {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DeliveryStack() {}

  /** The contract's topics and their partitions; the job reads the first and last with 3. */
  static Map<String, Integer> createTopics(KafkaTopics topics) throws Exception {
    Map<String, Integer> partitions = new LinkedHashMap<>();
    partitions.put("user-events", 3);
    partitions.put("campaigns", 1);
    partitions.put("decisions", 2);
    partitions.put("send-requests", 2);
    partitions.put("dead-letters", 1);
    partitions.put("delivery-outcomes", 3);
    topics.create(partitions);
    return partitions;
  }

  /**
   * The live job's configuration on the default topics, checkpointing every second, delivering to
   * {@code sim}.
   *
   * @param tokens the token of each account, by {@code channel/account}: the credentials file
   * @param perSecond each account's rate, by {@code channel/account}: the limits file
   * @param extra further flags
   */
  static JobConfig liveConfig(
      String bootstrapServers,
      Path work,
      ChannelSimulator sim,
      Map<String, String> tokens,
      Map<String, Integer> perSecond,
      String... extra)
      throws Exception {
    Path credentials = work.resolve("credentials");
    Files.writeString(
        credentials,
        tokens.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue() + "\n")
            .collect(Collectors.joining("", "# tokens\n", "")));
    Path limits = work.resolve("limits.json");
    Files.writeString(
        limits,
        perSecond.entrySet().stream()
            .map(e -> "\"" + e.getKey() + "\":{\"perSecond\":" + e.getValue() + "}")
            .collect(Collectors.joining(",", "{", "}")));
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap-servers",
                bootstrapServers,
                "--checkpoint-interval",
                "PT1S",
                "--checkpoint-dir",
                work.resolve("checkpoints").toUri().toString(),
                "--parallelism",
                "2",
                "--rocksdb-memory-per-slot",
                "32mb",
                "--out-of-orderness",
                "PT0.3S",
                "--idle-after",
                "PT0.2S",
                "--messenger-base-url",
                sim.messengerBaseUrl().toString(),
                "--whatsapp-base-url",
                sim.whatsappBaseUrl().toString(),
                "--credentials-file",
                credentials.toString(),
                "--account-limits",
                limits.toString()));
    args.addAll(List.of(extra));
    return JobConfig.parse(args.toArray(String[]::new));
  }

  /** Writes a user event to {@code user-events}, keyed {@code channel/account/user}. */
  static void send(KafkaTopics topics, String userEvent) throws Exception {
    JsonNode e = JSON.readTree(userEvent);
    String key =
        e.get("channel").asText() + "/" + e.get("account").asText() + "/" + e.get("user").asText();
    topics.send("user-events", key, userEvent);
  }

  /** A user event's opening fields, without the closing brace: add the type's own fields. */
  static String userEvent(String type, String channel, String account, String user, Instant at) {
    return "{\"type\":\""
        + type
        + "\",\"at\":\""
        + at
        + "\",\"channel\":\""
        + channel
        + "\",\"account\":\""
        + account
        + "\",\"user\":\""
        + user
        + "\"";
  }

  static String interaction(String channel, String account, String user, Instant at) {
    return userEvent("interaction", channel, account, user, at) + "}";
  }

  /** A campaign's opening fields, without the closing brace: add its message and the rest. */
  static String campaign(String id, String channel, String account, Instant at, Instant start) {
    return "{\"type\":\"campaign\",\"id\":\""
        + id
        + "\",\"at\":\""
        + at
        + "\",\"startAt\":\""
        + start
        + "\",\"channel\":\""
        + channel
        + "\",\"account\":\""
        + account
        + "\"";
  }
}
