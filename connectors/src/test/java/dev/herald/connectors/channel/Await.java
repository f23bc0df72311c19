package dev.herald.connectors.channel;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition, checking it every few milliseconds, up to a generous deadline. */
final class Await {

  private Await() {}

  static void until(BooleanSupplier condition, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("the condition did not hold within " + deadline);
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // between checks, not a wait for
    }
  }
}
