package dev.herald.connectors.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schema.DeliveryStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

/** The sink's metrics, read back through Flink's metric listener. */
class ChannelMetricsTest {

  private final MetricListener registry = new MetricListener();
  private final ChannelMetrics metrics = new ChannelMetrics(registry.getMetricGroup());

  @Test
  void countsCallsByResultAndOutcomesByStatusPerAccount() {
    metrics.call("messenger/page-1", "sent");
    metrics.call("messenger/page-1", "sent");
    metrics.call("messenger/page-1", "error_613");
    metrics.call("whatsapp/123", "no_answer");
    metrics.outcome("messenger/page-1", DeliveryStatus.SENT);
    metrics.outcome("messenger/page-1", DeliveryStatus.EXPIRED);
    metrics.retry("messenger/page-1");
    metrics.noCredentials("whatsapp/9");

    assertThat(count("messenger", "page-1", "result", "sent", ChannelMetrics.CALLS)).isEqualTo(2);
    assertThat(count("messenger", "page-1", "result", "error_613", ChannelMetrics.CALLS))
        .isEqualTo(1);
    assertThat(count("whatsapp", "123", "result", "no_answer", ChannelMetrics.CALLS)).isEqualTo(1);
    assertThat(count("messenger", "page-1", "status", "sent", ChannelMetrics.OUTCOMES))
        .isEqualTo(1);
    assertThat(count("messenger", "page-1", "status", "expired", ChannelMetrics.OUTCOMES))
        .isEqualTo(1);
    assertThat(
            registry
                .getCounter(
                    ChannelMetrics.GROUP, "channel", "messenger", "account", "page-1", "retries")
                .map(Counter::getCount))
        .contains(1L);
    assertThat(
            registry
                .getCounter(
                    ChannelMetrics.GROUP, "channel", "whatsapp", "account", "9", "no_credentials")
                .map(Counter::getCount))
        .contains(1L);
  }

  @Test
  void theBreakerGaugeFollowsTheBreaker() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("whatsapp/123");
    metrics.accountOpened("whatsapp/123", breaker);
    Gauge<Integer> gauge =
        registry
            .<Integer>getGauge(
                ChannelMetrics.GROUP,
                "channel",
                "whatsapp",
                "account",
                "123",
                ChannelMetrics.BREAKER_STATE)
            .orElseThrow();

    assertThat(gauge.getValue()).isEqualTo(0);
    breaker.transitionToOpenState();
    assertThat(gauge.getValue()).isEqualTo(1);
    breaker.transitionToHalfOpenState();
    assertThat(gauge.getValue()).isEqualTo(2);
  }

  private long count(String channel, String account, String label, String value, String name) {
    return registry
        .getCounter(
            ChannelMetrics.GROUP, "channel", channel, "account", account, label, value, name)
        .orElseThrow(() -> new AssertionError("no counter " + name + " " + label + "=" + value))
        .getCount();
  }
}
