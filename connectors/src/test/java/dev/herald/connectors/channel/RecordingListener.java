package dev.herald.connectors.channel;

import dev.herald.schema.DeliveryStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/** Counts what the delivery reports, and lets a test act when a call ends. */
final class RecordingListener implements DeliveryListener {

  final List<String> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger retries = new AtomicInteger();
  final AtomicInteger noCredentials = new AtomicInteger();
  final ConcurrentHashMap<DeliveryStatus, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  volatile BiConsumer<String, String> onCall = (account, result) -> {};

  @Override
  public void accountOpened(String account, CircuitBreaker breaker) {
    breakers.put(account, breaker);
  }

  @Override
  public void call(String account, String result) {
    calls.add(account + " " + result);
    onCall.accept(account, result);
  }

  @Override
  public void retry(String account) {
    retries.incrementAndGet();
  }

  @Override
  public void noCredentials(String account) {
    noCredentials.incrementAndGet();
  }

  @Override
  public void outcome(String account, DeliveryStatus status) {
    outcomes.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
  }

  int outcomes(DeliveryStatus status) {
    AtomicInteger n = outcomes.get(status);
    return n == null ? 0 : n.get();
  }
}
