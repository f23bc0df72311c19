package dev.herald.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.connectors.file.SourceLine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** How Kafka records become source lines, and output becomes Kafka records. */
class KafkaRecordsTest {

  private static List<SourceLine> read(ConsumerRecord<byte[], byte[]> record) throws Exception {
    List<SourceLine> out = new ArrayList<>();
    new KafkaInput.Raw()
        .deserialize(
            record,
            new Collector<>() {
              @Override
              public void collect(SourceLine line) {
                out.add(line);
              }

              @Override
              public void close() {}
            });
    return out;
  }

  @Test
  void aRecordIsItsValueAsWrittenFromTopicPartitionOffset() throws Exception {
    byte[] value = {'{', (byte) 0xff, '}'};
    assertThat(read(new ConsumerRecord<>("user-events", 3, 1234L, "k".getBytes(), value)))
        .containsExactly(new SourceLine("user-events/3/1234", value));
  }

  @Test
  void aTombstoneIsAnEmptyRecord() throws Exception {
    assertThat(read(new ConsumerRecord<>("campaigns", 0, 7L, null, null)))
        .containsExactly(new SourceLine("campaigns/0/7", new byte[0]));
  }

  @Test
  void outputCarriesKeyAndValueButNotTheEventTime() {
    KafkaOutput.Json<String> json = new KafkaOutput.Json<>("decisions", v -> "c-1", v -> v);
    ProducerRecord<byte[], byte[]> r =
        json.serialize("{\"at\":\"9999-12-31T23:59:59.999Z\"}", null, 253402300799999L);
    assertThat(r.topic()).isEqualTo("decisions");
    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("c-1");
    assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("9999");
    assertThat(r.timestamp())
        .as("brokers refuse timestamps more than an hour ahead; the producer stamps its own")
        .isNull();
    assertThat(r.partition()).isNull();
  }

  @Test
  void aRecordWithoutKeyHasNone() {
    KafkaOutput.Json<String> json = new KafkaOutput.Json<>("dead-letters", v -> null, v -> v);
    assertThat(json.serialize("{}", null, null).key()).isNull();
  }

  @Test
  void transactionsNeedAPrefixAndATimeout() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new KafkaOutput.Transactions("", Duration.ofMinutes(1)))
        .hasMessageContaining("prefix");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new KafkaOutput.Transactions("h", Duration.ZERO))
        .hasMessageContaining("timeout");
  }
}
