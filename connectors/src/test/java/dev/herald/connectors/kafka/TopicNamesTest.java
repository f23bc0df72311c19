package dev.herald.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicNamesTest {

  @Test
  void defaults() {
    assertThat(TopicNames.DEFAULTS.all())
        .containsExactly(
            "user-events",
            "campaigns",
            "decisions",
            "send-requests",
            "dead-letters",
            "delivery-outcomes");
  }

  @Test
  void namesAreNonBlankAndDistinct() {
    assertThatThrownBy(() -> new TopicNames("a", " ", "c", "d", "e", "f"))
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> new TopicNames("a", "b", "c", "d", "e", "a"))
        .hasMessageContaining("two topics share a name");
  }
}
