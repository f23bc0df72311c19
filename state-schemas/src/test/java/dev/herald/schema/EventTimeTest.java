package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimeTest {

  private static long eventTime(String json) {
    return RecordCodec.eventTime(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void isTheAtThatTheFullReadFinds() {
    String json =
        "{\"type\":\"interaction\",\"channel\":\"messenger\",\"account\":\"p\",\"user\":\"u\","
            + "\"tags\":{\"at\":\"1999-01-01T00:00:00Z\"},\"at\":\"2021-05-03T12:00:00.123456+02:00\"}";
    Parsed<InputRecord> parsed = RecordCodec.parse(json);
    assertThat(parsed.isOk()).isTrue();
    assertThat(eventTime(json))
        .isEqualTo(Instant.parse("2021-05-03T10:00:00.123Z").toEpochMilli())
        .isEqualTo(parsed.value().at().toEpochMilli());
  }

  @Test
  void readsOnlyTheTopLevel() {
    assertThat(eventTime("{\"x\":{\"at\":\"2021-05-03T10:00:00Z\"}}")).isEqualTo(Long.MIN_VALUE);
    assertThat(eventTime("[{\"at\":\"2021-05-03T10:00:00Z\"}]")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void isMinValueWhenThereIsNoValidAt() {
    assertThat(eventTime("")).isEqualTo(Long.MIN_VALUE);
    assertThat(eventTime("not json")).isEqualTo(Long.MIN_VALUE);
    assertThat(eventTime("{\"at\":12}")).isEqualTo(Long.MIN_VALUE);
    assertThat(eventTime("{\"at\":\"yesterday\"}")).isEqualTo(Long.MIN_VALUE);
    assertThat(eventTime("{\"at\":\"1969-12-31T23:59:59Z\"}")).isEqualTo(Long.MIN_VALUE);
    assertThat(eventTime("{\"type\":\"tag\",\"at\":\"2021-05-03T10:00:00Z\"")) // cut short
        .isEqualTo(Instant.parse("2021-05-03T10:00:00Z").toEpochMilli());
    assertThat(RecordCodec.eventTime(new byte[] {(byte) 0xff, '{'})).isEqualTo(Long.MIN_VALUE);
  }
}
