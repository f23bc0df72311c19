package dev.herald.connectors.channel;

import dev.herald.schema.DeliveryStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

/**
 * The channel sink's metrics, under the group {@value #GROUP} of the sink operator, labelled by
 * {@value #CHANNEL} and {@value #ACCOUNT} (Flink's key/value groups, which the Prometheus reporter
 * turns into labels). Never by user: the label sets stay bounded by the accounts.
 *
 * <ul>
 *   <li>{@value #CALLS}{@code {result}}: HTTP calls, by result ({@code sent}, {@code error_<code>},
 *       {@code http_<status>}, {@code no_answer}, {@code not_sent});
 *   <li>{@value #OUTCOMES}{@code {status}}: requests ended, by outcome status;
 *   <li>{@value #RETRIES}: calls tried again;
 *   <li>{@value #NO_CREDENTIALS}: requests refused for want of a token;
 *   <li>{@value #BREAKER_STATE}: the account's circuit breaker, by Resilience4j's order of states:
 *       0 closed, 1 open, 2 half-open (3 and up: disabled, forced open, metrics only).
 * </ul>
 *
 * <p>Counters are thread-safe: they are counted on the HTTP client's and the scheduler's threads.
 */
public final class ChannelMetrics implements DeliveryListener {

  public static final String GROUP = "channel_sink";
  public static final String CHANNEL = "channel";
  public static final String ACCOUNT = "account";
  public static final String RESULT = "result";
  public static final String STATUS = "status";

  public static final String CALLS = "calls";
  public static final String OUTCOMES = "outcomes";
  public static final String RETRIES = "retries";
  public static final String NO_CREDENTIALS = "no_credentials";
  public static final String BREAKER_STATE = "breaker_state";

  private final MetricGroup group;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

  /** Metrics under {@code operatorGroup}, the sink operator's group. */
  public ChannelMetrics(MetricGroup operatorGroup) {
    this.group = operatorGroup.addGroup(GROUP);
  }

  @Override
  public void accountOpened(String account, CircuitBreaker breaker) {
    Gauge<Integer> state = () -> breaker.getState().getOrder();
    accountGroup(account).gauge(BREAKER_STATE, state);
  }

  @Override
  public void call(String account, String result) {
    counter(account, RESULT, result, CALLS).inc();
  }

  @Override
  public void retry(String account) {
    counter(account, null, null, RETRIES).inc();
  }

  @Override
  public void noCredentials(String account) {
    counter(account, null, null, NO_CREDENTIALS).inc();
  }

  @Override
  public void outcome(String account, DeliveryStatus status) {
    counter(account, STATUS, status.wire(), OUTCOMES).inc();
  }

  /** One counter per account, label and name, registered once (Flink refuses a second). */
  private Counter counter(String account, String label, String value, String name) {
    String key = account + '\u0000' + label + '\u0000' + value + '\u0000' + name;
    return counters.computeIfAbsent(
        key,
        k -> {
          MetricGroup g = accountGroup(account);
          if (label != null) {
            g = g.addGroup(label, value);
          }
          return g.counter(name, new ThreadSafeSimpleCounter());
        });
  }

  private MetricGroup accountGroup(String account) {
    int slash = account.indexOf('/');
    return group
        .addGroup(CHANNEL, account.substring(0, slash))
        .addGroup(ACCOUNT, account.substring(slash + 1));
  }
}
