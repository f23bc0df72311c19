package dev.herald.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProduceCommandTest {

  private static ProduceCommand.Destination to(String line) {
    return ProduceCommand.destination(line.getBytes(StandardCharsets.UTF_8), "ue", "camps");
  }

  @Test
  void userEventsGoByUserKeyCampaignRecordsByCampaignId() {
    assertThat(
            to(
                "{\"type\":\"interaction\",\"at\":\"2021-06-01T10:00:00Z\",\"channel\":\"whatsapp\","
                    + "\"account\":\"waba-1\",\"user\":\"+4412\"}"))
        .isEqualTo(new ProduceCommand.Destination("ue", "whatsapp/waba-1/+4412"));
    assertThat(
            to(
                "{\"type\":\"campaign\",\"id\":\"restock-42\",\"at\":\"2021-06-01T10:00:00Z\","
                    + "\"channel\":\"messenger\",\"account\":\"page-1\",\"message\":{\"text\":\"Hi\"}}"))
        .isEqualTo(new ProduceCommand.Destination("camps", "restock-42"));
    assertThat(
            to("{\"type\":\"cancel\",\"campaign\":\"restock-42\",\"at\":\"2021-06-01T10:00:00Z\"}"))
        .isEqualTo(new ProduceCommand.Destination("camps", "restock-42"));
  }

  @Test
  void aRejectedRecordGoesWithoutKeyWhereItsTypeSays() {
    assertThat(to("{\"type\":\"campaign\",\"id\":7}"))
        .isEqualTo(new ProduceCommand.Destination("camps", null));
    assertThat(to("not json")).isEqualTo(new ProduceCommand.Destination("ue", null));
  }

  @Test
  void aMissingFileIsABadFlag() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ProduceCommand.run(
            new String[] {"--file", "/no/such/file"},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("produce: --file: ");
    assertThat(
            ProduceCommand.run(
                new String[0],
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())))
        .isEqualTo(2);
  }
}
