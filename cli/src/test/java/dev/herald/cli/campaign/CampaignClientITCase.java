package dev.herald.cli.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.connectors.kafka.local.LocalKafka;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The campaign client against a real broker: a valid record lands on the campaigns topic under its
 * key, an invalid one is refused with the codec's reason and nothing is written, a cancel is a
 * cancel record, and a broker that is not there is reported, not waited for forever.
 */
class CampaignClientITCase {

  static final String CAMPAIGN =
      "{\"type\":\"campaign\",\"id\":\"restock-42\",\"at\":\"2026-05-03T08:00:00Z\","
          + "\"channel\":\"messenger\",\"account\":\"page-1\",\"outsideWindow\":\"OTN\","
          + "\"topic\":\"restock\",\"message\":{\"text\":\"Back in stock!\"}}";

  @TempDir static Path work;
  private static LocalKafka kafka;
  private static TestTopics topics;

  @BeforeAll
  static void start() throws Exception {
    kafka = LocalKafka.start(work.resolve("kafka"), 0);
    topics = new TestTopics(kafka.bootstrapServers());
    topics.create(Map.of("c1", 3, "c2", 1, "c3", 1, "d", 1));
  }

  @AfterAll
  static void stop() {
    if (topics != null) {
      topics.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void publishesACampaignKeyedByItsIdAndAnAccountRecordByChannelAndAccount() throws Exception {
    String account =
        "{\"type\":\"account\",\"at\":\"2026-05-03T08:00:00Z\",\"channel\":\"whatsapp\","
            + "\"account\":\"wa-1\",\"status\":\"PAUSED\"}";
    try (CampaignClient client = new CampaignClient(kafka.bootstrapServers(), "c1", "d")) {
      CampaignClient.Published p = client.publish(CAMPAIGN);
      CampaignClient.Published a = client.publish(account);
      assertThat(p.id()).isEqualTo("restock-42");
      assertThat(a.id()).isEqualTo("whatsapp/wa-1");
      List<TestTopics.Read> read = topics.readAll("c1");
      assertThat(read)
          .extracting(TestTopics.Read::key, TestTopics.Read::value)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("restock-42", CAMPAIGN),
              org.assertj.core.groups.Tuple.tuple("whatsapp/wa-1", account));
      TestTopics.Read r = read.stream().filter(x -> x.key().equals("restock-42")).findFirst().get();
      assertThat(r.partition()).isEqualTo(p.partition());
      assertThat(r.offset()).isEqualTo(p.offset());
    }
  }

  @Test
  void aRecordTheCodecRejectsIsNotPublishedAndTheReasonSaysWhy() {
    String noTopic = CAMPAIGN.replace(",\"topic\":\"restock\"", "");
    try (CampaignClient client = new CampaignClient(kafka.bootstrapServers(), "c2", "d")) {
      assertThatThrownBy(() -> client.publish(noTopic))
          .isInstanceOf(InvalidCampaignException.class)
          .hasMessageContaining("restock-42")
          .hasMessageContaining("topic");
      assertThatThrownBy(() -> client.publish("{\"type\":\"interaction\"}"))
          .isInstanceOf(InvalidCampaignException.class);
    }
    assertThat(topics.readAll("c2")).isEmpty();
  }

  @Test
  void cancelWritesACancelRecordForTheCampaign() throws Exception {
    Instant at = Instant.parse("2026-05-03T11:00:00.123Z");
    try (CampaignClient client = new CampaignClient(kafka.bootstrapServers(), "c3", "d")) {
      client.cancel("restock-42", at);
    }
    assertThat(topics.readAll("c3"))
        .extracting(TestTopics.Read::key, TestTopics.Read::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "restock-42",
                "{\"type\":\"cancel\",\"campaign\":\"restock-42\",\"at\":\"2026-05-03T11:00:00.123Z\"}"));
  }

  @Test
  void aBrokerThatIsNotThereIsReportedAsUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (CampaignClient client =
        new CampaignClient("localhost:" + port, "c1", "d", Duration.ofSeconds(2))) {
      assertThatThrownBy(() -> client.publish(CAMPAIGN))
          .isInstanceOf(KafkaUnreachableException.class)
          .hasMessageContaining("localhost:" + port);
    }
  }
}
