package dev.herald.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void campaignsHaveOnePartitionTheOthersTheChosenCount() {
    assertThat(Topics.specs(TopicNames.DEFAULTS, 6, (short) 1))
        .extracting(Topics.Spec::name, Topics.Spec::partitions)
        .containsExactly(
            tuple("user-events", 6),
            tuple("campaigns", 1),
            tuple("decisions", 6),
            tuple("send-requests", 6),
            tuple("dead-letters", 6),
            tuple("delivery-outcomes", 6));
  }

  @Test
  void historyIsKeptForeverTheRestForItsUse() {
    assertThat(Topics.specs(TopicNames.DEFAULTS, 4, (short) 1))
        .extracting(Topics.Spec::name, Topics.Spec::retentionMs)
        .containsExactly(
            tuple("user-events", -1L),
            tuple("campaigns", -1L),
            tuple("decisions", Duration.ofDays(400).toMillis()),
            tuple("send-requests", Duration.ofDays(7).toMillis()),
            tuple("dead-letters", Duration.ofDays(30).toMillis()),
            tuple("delivery-outcomes", -1L));
  }

  @Test
  void newTopicsDeleteByAgeNeverCompact() {
    NewTopic topic = Topics.specs(TopicNames.DEFAULTS, 4, (short) 1).get(0).toNewTopic();

    assertThat(topic.configs())
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", "-1");
    assertThat(topic.replicationFactor()).isEqualTo((short) 1);
  }

  @Test
  void partitionsAndReplicationFactorAreAtLeastOne() {
    assertThatThrownBy(() -> Topics.specs(TopicNames.DEFAULTS, 0, (short) 1))
        .hasMessageContaining("partitions must be at least 1");
    assertThatThrownBy(() -> Topics.specs(TopicNames.DEFAULTS, 1, (short) 0))
        .hasMessageContaining("replication factor must be at least 1");
  }

  @Test
  void retentionReadsInDaysOrHours() {
    assertThat(Topics.retention(-1)).isEqualTo("forever");
    assertThat(Topics.retention(Duration.ofDays(400).toMillis())).isEqualTo("400 d");
    assertThat(Topics.retention(Duration.ofHours(36).toMillis())).isEqualTo("36 h");
    assertThat(Topics.retention(1500)).isEqualTo("1500 ms");
    assertThat(Topics.retention(0)).isEqualTo("0 ms");
  }

  @Test
  void tableIsAligned() {
    String table =
        Topics.table(
            List.of(
                new Topics.Row("user-events", 4, 1, -1, true),
                new Topics.Row("delivery-outcomes", 4, 1, Duration.ofDays(7).toMillis(), false)));

    assertThat(table.lines())
        .containsExactly(
            "topic              partitions  replication factor  retention  status",
            "user-events                 4                   1    forever  created",
            "delivery-outcomes           4                   1        7 d  exists");
  }
}
