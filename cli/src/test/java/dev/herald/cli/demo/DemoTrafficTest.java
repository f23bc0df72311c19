package dev.herald.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DemoTrafficTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00.123Z");

  @Test
  void everyLineIsAUserEventTheJobAcceptsKeyedByItsUser() {
    DemoTraffic traffic = new DemoTraffic(7, 300);
    Set<String> types = new TreeSet<>();
    for (int i = 0; i < 5_000; i++) {
      DemoTraffic.Line line = traffic.next(NOW.plusMillis(i));
      Parsed<UserEvent> parsed = RecordCodec.parseUserEvent(line.json());
      assertThat(parsed.reason()).as(line.json()).isNull();
      UserEvent e = parsed.value();
      assertThat(line.key()).isEqualTo(e.key().toString());
      types.add(line.json().replaceAll(".*\"type\":\"([a-z_]+)\".*", "$1"));
    }
    assertThat(types)
        .containsExactlyInAnyOrder(
            "interaction",
            "tag",
            "otn_optin",
            "recurring_optin",
            "recurring_status",
            "optin",
            "optout");
  }

  @Test
  void introducesEveryUserFirstSomeAsTheyWereDaysAgoThenGoesOnAtNow() {
    int users = 200;
    DemoTraffic traffic = new DemoTraffic(7, users);
    Map<String, Instant> firstSeen = new HashMap<>();
    List<String> order = new ArrayList<>();
    while (!traffic.everyoneIntroduced()) {
      DemoTraffic.Line line = traffic.next(NOW);
      UserEvent e = RecordCodec.parseUserEvent(line.json()).value();
      if (firstSeen.putIfAbsent(line.key(), e.at()) == null) {
        order.add(line.key());
        assertThat(line.json()).contains("\"type\":\"interaction\"");
      }
    }
    assertThat(firstSeen).hasSize(users);
    long outsideWindow =
        firstSeen.values().stream()
            .filter(at -> at.isBefore(NOW.minus(Duration.ofHours(24))))
            .count();
    assertThat(outsideWindow).isBetween(users / 5L, users / 2L);
    assertThat(firstSeen.values()).allMatch(at -> !at.isAfter(NOW));
    for (int i = 0; i < 100; i++) {
      assertThat(RecordCodec.parseUserEvent(traffic.next(NOW).json()).value().at()).isEqualTo(NOW);
    }
    Map<String, Long> byAccount = new HashMap<>();
    order.forEach(k -> byAccount.merge(k.substring(0, k.lastIndexOf('/')), 1L, Long::sum));
    assertThat(byAccount)
        .containsOnlyKeys("messenger/page-1", "messenger/page-2", "whatsapp/wa-1")
        .containsEntry("messenger/page-1", 90L)
        .containsEntry("messenger/page-2", 70L)
        .containsEntry("whatsapp/wa-1", 40L);
  }

  @Test
  void theSameSeedGivesTheSameEvents() {
    DemoTraffic a = new DemoTraffic(11, 50);
    DemoTraffic b = new DemoTraffic(11, 50);
    for (int i = 0; i < 500; i++) {
      assertThat(a.next(NOW)).isEqualTo(b.next(NOW));
    }
  }
}
