package dev.herald.connectors.channel;

import dev.herald.schema.DeliveryStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * What {@link ChannelDelivery} reports as it works, for metrics. Accounts are {@code
 * channel/account} keys; no method takes a user, so label sets stay bounded by the accounts. Called
 * from HTTP and scheduler threads: implementations must be thread-safe.
 */
public interface DeliveryListener {

  /** Reports nothing. */
  DeliveryListener NONE = new DeliveryListener() {};

  /** The guards of a new account were built; {@code breaker} is its circuit breaker. */
  default void accountOpened(String account, CircuitBreaker breaker) {}

  /**
   * One HTTP call ended with {@code result}: {@code sent}, {@code error_<code>} (the platform's
   * error code), {@code http_<status>}, {@code no_answer} or {@code not_sent}.
   */
  default void call(String account, String result) {}

  /** A call is being tried again. */
  default void retry(String account) {}

  /** A request for an account without a token was refused. */
  default void noCredentials(String account) {}

  /** A request ended with {@code status}. */
  default void outcome(String account, DeliveryStatus status) {}
}
