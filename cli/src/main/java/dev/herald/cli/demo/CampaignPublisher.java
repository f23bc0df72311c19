package dev.herald.cli.demo;

import dev.herald.schema.ControlRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes the demo's campaign records the way the campaign tool does: checked by the codec first
 * (a record the job would dead-letter is refused here, with the codec's reason), then written to
 * the campaigns topic keyed by the campaign's id, acknowledged by every replica.
 *
 * <p>Stands in for {@code dev.herald.cli.campaign.CampaignClient} until that lands on this branch;
 * it has the same contract for {@code publish}.
 */
final class CampaignPublisher implements AutoCloseable {

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProducer<String, String> producer;
  private final String campaignsTopic;

  CampaignPublisher(String bootstrapServers, String campaignsTopic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-demo-campaigns");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    this.campaignsTopic = campaignsTopic;
  }

  /**
   * Publishes one campaign, reminder or cancel record and returns its id.
   *
   * @throws IllegalArgumentException if the codec refuses the record (its reason is the message)
   */
  String publish(String json) throws InterruptedException, ExecutionException, TimeoutException {
    Parsed<ControlRecord> parsed = RecordCodec.parseControl(json);
    if (!parsed.isOk()) {
      throw new IllegalArgumentException("not a valid campaign record: " + parsed.reason());
    }
    String id = key(parsed.value());
    producer
        .send(new ProducerRecord<>(campaignsTopic, id, json))
        .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return id;
  }

  /** The record's key on the campaigns topic: the campaign (or reminder) it defines or cancels. */
  private static String key(ControlRecord r) {
    if (r instanceof ControlRecord.Campaign c) {
      return c.id();
    }
    if (r instanceof ControlRecord.Reminder m) {
      return m.id();
    }
    if (r instanceof ControlRecord.Cancel c) {
      return c.campaign();
    }
    throw new IllegalArgumentException("not a campaign, reminder or cancel record: " + r);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
