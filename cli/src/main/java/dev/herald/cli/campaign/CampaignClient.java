package dev.herald.cli.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes campaign records to the {@code campaigns} topic as the campaign tooling of the contract
 * does: each record checked by the codec first (a record the job would dead-letter is never
 * written), keyed by its campaign id ({@code channel/account} for an account record), and
 * acknowledged by all replicas before the call returns.
 *
 * <p>The decisions topic is remembered for the commands that read it back ({@link
 * CampaignCommand}); this class only writes.
 */
public final class CampaignClient implements AutoCloseable {

  /** How long to wait for Kafka before calling it unreachable; a local broker answers in ms. */
  static final Duration KAFKA_WAIT = Duration.ofSeconds(15);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String bootstrapServers;
  private final String campaignsTopic;
  private final String decisionsTopic;
  private final Duration kafkaWait;
  private final KafkaProducer<byte[], byte[]> producer;

  /** Where a record went: its key (the campaign id) and its place in the topic. */
  public record Published(String id, int partition, long offset) {}

  public CampaignClient(String bootstrapServers, String campaignsTopic, String decisionsTopic) {
    this(bootstrapServers, campaignsTopic, decisionsTopic, KAFKA_WAIT);
  }

  /** With {@code kafkaWait}: how long to wait for Kafka before calling it unreachable. */
  CampaignClient(
      String bootstrapServers, String campaignsTopic, String decisionsTopic, Duration kafkaWait) {
    this.bootstrapServers = requireText(bootstrapServers, "bootstrapServers");
    this.campaignsTopic = requireText(campaignsTopic, "campaignsTopic");
    this.decisionsTopic = requireText(decisionsTopic, "decisionsTopic");
    this.kafkaWait = kafkaWait;
    long waitMs = kafkaWait.toMillis();
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                // Without a broker, send() blocks for metadata this long, then fails: the
                // command reports Kafka unreachable instead of hanging.
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                (int) waitMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) waitMs,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) waitMs * 2,
                ProducerConfig.CLIENT_ID_CONFIG,
                "herald-campaign"),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  /**
   * Validates with {@link RecordCodec#parseControl}; publishes keyed by id; waits for the ack.
   *
   * @throws InvalidCampaignException with the codec's reason; nothing was published
   * @throws KafkaUnreachableException if Kafka did not acknowledge the record in time
   */
  public Published publish(String json) throws InvalidCampaignException {
    Parsed<ControlRecord> parsed = RecordCodec.parseControl(json);
    if (!parsed.isOk()) {
      throw new InvalidCampaignException(parsed.reason());
    }
    String key = keyOf(parsed.value());
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            campaignsTopic,
            key.getBytes(StandardCharsets.UTF_8),
            json.strip().getBytes(StandardCharsets.UTF_8));
    try {
      RecordMetadata m = producer.send(record).get(kafkaWait.toMillis() * 3, TimeUnit.MILLISECONDS);
      return new Published(key, m.partition(), m.offset());
    } catch (ExecutionException e) {
      throw unreachable(e.getCause());
    } catch (TimeoutException e) {
      throw unreachable(e);
    } catch (org.apache.kafka.common.KafkaException e) {
      // send() itself throws when the metadata never comes (max.block.ms).
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(e);
    }
  }

  /**
   * Publishes a cancel for {@code campaignId} (a campaign or reminder) at {@code at}: the
   * campaign's decisions from then on are {@code SKIP}/{@code CAMPAIGN_CANCELLED}.
   *
   * @throws IllegalArgumentException if the id is not one the contract accepts
   * @throws KafkaUnreachableException if Kafka did not acknowledge the record in time
   */
  public void cancel(String campaignId, Instant at) {
    try {
      publish(cancelRecord(campaignId, at));
    } catch (InvalidCampaignException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The wire form of a cancel: {@code {"type":"cancel","campaign":ID,"at":AT}}. */
  public static String cancelRecord(String campaignId, Instant at) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "cancel");
    n.put("campaign", Objects.requireNonNull(campaignId, "campaignId"));
    n.put("at", at.truncatedTo(ChronoUnit.MILLIS).toString());
    return n.toString();
  }

  /** The key the contract gives a record of the campaigns topic. */
  static String keyOf(ControlRecord r) {
    if (r instanceof ControlRecord.Campaign c) {
      return c.id();
    } else if (r instanceof ControlRecord.Reminder m) {
      return m.id();
    } else if (r instanceof ControlRecord.Cancel c) {
      return c.campaign();
    }
    ControlRecord.AccountStatus a = (ControlRecord.AccountStatus) r;
    return a.channel().wire() + "/" + a.account();
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  String campaignsTopic() {
    return campaignsTopic;
  }

  String decisionsTopic() {
    return decisionsTopic;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }

  private KafkaUnreachableException unreachable(Throwable cause) {
    return new KafkaUnreachableException(
        "Kafka at " + bootstrapServers + " did not acknowledge the record: " + cause.getMessage(),
        cause);
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }
}
