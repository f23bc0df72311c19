package dev.herald.job.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.job.Metrics;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

/** An account's dispatch metrics: their names, and labels of channel, account and reason only. */
class DispatchMetricsTest {

  @Test
  void anAccountsMetricsAreLabelledByChannelAndAccount() {
    MetricListener listener = new MetricListener();
    var metrics = new Dispatcher.AccountMetrics("whatsapp/wa/1", 20, listener.getMetricGroup());

    metrics.released.inc(3);
    metrics.expired(Hold.PAIR).inc();
    metrics.expired(Hold.PAIR).inc();
    metrics.expired(Hold.PAUSED).inc();
    metrics.report(42, true);

    String[] account = {Metrics.CHANNEL, "whatsapp", Metrics.ACCOUNT, "wa/1"};
    assertThat(
            listener.getCounter(path(account, DispatchMetrics.RELEASED)).orElseThrow().getCount())
        .isEqualTo(3);
    assertThat(
            listener
                .getCounter(path(account, Metrics.REASON, "pair", DispatchMetrics.EXPIRED))
                .orElseThrow()
                .getCount())
        .isEqualTo(2);
    assertThat(
            listener
                .getCounter(path(account, Metrics.REASON, "paused", DispatchMetrics.EXPIRED))
                .orElseThrow()
                .getCount())
        .isEqualTo(1);
    Gauge<Long> backlog =
        listener.<Long>getGauge(path(account, DispatchMetrics.BACKLOG)).orElseThrow();
    Gauge<Integer> paused =
        listener.<Integer>getGauge(path(account, DispatchMetrics.PAUSED)).orElseThrow();
    Gauge<Integer> limit =
        listener.<Integer>getGauge(path(account, DispatchMetrics.LIMIT_PER_SECOND)).orElseThrow();
    assertThat(backlog.getValue()).isEqualTo(42L);
    assertThat(limit.getValue()).isEqualTo(20);
    assertThat(paused.getValue()).isEqualTo(1);

    metrics.report(0, false);
    assertThat(backlog.getValue()).isZero();
    assertThat(paused.getValue()).isZero();
  }

  private static String[] path(String[] prefix, String... rest) {
    String[] p = new String[prefix.length + rest.length];
    System.arraycopy(prefix, 0, p, 0, prefix.length);
    System.arraycopy(rest, 0, p, prefix.length, rest.length);
    return p;
  }
}
