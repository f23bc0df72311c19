package dev.herald.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.channel.DeliveryLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccountLimitsTest {

  @TempDir Path dir;

  private Map<String, DeliveryLimits> read(String json) throws Exception {
    Path file = dir.resolve("limits.json");
    Files.writeString(file, json);
    return AccountLimits.read(file.toString());
  }

  @Test
  void whatIsLeftOutKeepsTheChannelsDefault() throws Exception {
    Map<String, DeliveryLimits> limits =
        read(
            "{\"whatsapp/1234\":{\"perSecond\":1000,\"tier\":10000},"
                + "\"messenger/page-1\":{\"perSecond\":100},"
                + "\"whatsapp/5678\":{\"pairInterval\":\"PT10S\",\"tier\":null}}");

    assertThat(limits)
        .containsEntry("whatsapp/1234", new DeliveryLimits(1000, Duration.ofSeconds(6), 10000))
        .containsEntry("messenger/page-1", new DeliveryLimits(100, null, null))
        .containsEntry("whatsapp/5678", new DeliveryLimits(80, Duration.ofSeconds(10), null))
        .hasSize(3);
    assertThat(AccountLimits.describe(limits))
        .isEqualTo(
            "messenger/page-1 100/s; whatsapp/1234 1000/s tier 10000 pair PT6S;"
                + " whatsapp/5678 80/s pair PT10S");
  }

  @Test
  void noFileMeansTheChannelDefaults() {
    assertThat(AccountLimits.read("")).isEmpty();
    assertThat(AccountLimits.describe(Map.of())).isEqualTo("channel defaults");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[]|expected a JSON object keyed by channel/account",
        "{\"page-1\":{}}|page-1: the key must be channel/account",
        "{\"telegram/bot\":{}}|telegram/bot: unknown channel 'telegram'",
        "{\"messenger/p\":3}|messenger/p: expected an object of limits",
        "{\"messenger/p\":{\"rate\":3}}|messenger/p: unknown field 'rate'",
        "{\"messenger/p\":{\"perSecond\":0}}|messenger/p.perSecond: expected a whole number of at"
            + " least 1",
        "{\"messenger/p\":{\"perSecond\":2.5}}|messenger/p.perSecond: expected a whole number",
        "{\"whatsapp/p\":{\"tier\":\"many\"}}|whatsapp/p.tier: expected a whole number",
        "{\"whatsapp/p\":{\"pairInterval\":\"6s\"}}|whatsapp/p.pairInterval: expected a positive"
            + " duration",
        "{\"whatsapp/p\":{\"pairInterval\":\"PT0S\"}}|whatsapp/p.pairInterval: expected a positive"
            + " duration",
        "{nope|cannot read"
      })
  void aBadFileFailsNamingTheAccountAndField(String json, String reason) {
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
