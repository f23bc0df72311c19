package dev.herald.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The faults the simulator injects, changeable while it runs. Injected errors and timeouts happen
 * before the limits and the referee, count as {@code injectedFaults} and never as rejections.
 * Latency and slow bodies only delay answers. Random faults draw from a seeded generator, so a run
 * can be repeated. Thread-safe.
 */
public final class Faults {

  /** What happens to one call instead of being processed. */
  sealed interface Injection {}

  /** Answer with this error. */
  record Failure(int httpStatus, long code, Long subcode) implements Injection {}

  /** Hold the exchange this long, then close it without an answer. */
  record Timeout(Duration hold) implements Injection {}

  /** A server error at a random rate: the code is the API's transient error. */
  record ServerError(int httpStatus) implements Injection {}

  private final long seed;
  private Random random;
  private final Map<String, Deque<Failure>> nextFailures = new HashMap<>();
  private double serverErrorRate;
  private int serverErrorStatus = 500;
  private double timeoutRate;
  private Duration timeoutHold = Duration.ZERO;
  private Duration latency = Duration.ZERO;
  private Duration slowBody = Duration.ZERO;

  Faults(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
  }

  /** Answers the next {@code calls} calls to {@code account} with this error, in order. */
  public synchronized void failNext(
      String account, int calls, int httpStatus, long code, Long subcode) {
    Objects.requireNonNull(account, "account");
    if (calls < 1) {
      throw new IllegalArgumentException("calls must be at least 1, not " + calls);
    }
    if (httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException("an error's HTTP status is 400-599, not " + httpStatus);
    }
    Deque<Failure> queue = nextFailures.computeIfAbsent(account, a -> new ArrayDeque<>());
    for (int i = 0; i < calls; i++) {
      queue.add(new Failure(httpStatus, code, subcode));
    }
  }

  /** Answers this share of calls (0 to 1) with a transient server error of this status. */
  public synchronized void serverErrors(double rate, int httpStatus) {
    requireRate(rate);
    if (httpStatus < 500 || httpStatus > 599) {
      throw new IllegalArgumentException("a server error's status is 500-599, not " + httpStatus);
    }
    this.serverErrorRate = rate;
    this.serverErrorStatus = httpStatus;
  }

  /** Delays every answer by {@code d}. */
  public synchronized void latency(Duration d) {
    this.latency = requireNotNegative(d, "latency");
  }

  /** Holds this share of calls (0 to 1) for {@code hold}, then closes them unanswered. */
  public synchronized void timeouts(double rate, Duration hold) {
    requireRate(rate);
    this.timeoutRate = rate;
    this.timeoutHold = requireNotNegative(hold, "hold");
  }

  /** Spreads the writing of every answer's body over {@code d}. */
  public synchronized void slowBody(Duration d) {
    this.slowBody = requireNotNegative(d, "slowBody");
  }

  /** Ends every fault and restarts the random sequence. */
  public synchronized void clear() {
    nextFailures.clear();
    serverErrorRate = 0;
    timeoutRate = 0;
    timeoutHold = Duration.ZERO;
    latency = Duration.ZERO;
    slowBody = Duration.ZERO;
    random = new Random(seed);
  }

  /**
   * What to do to the next call to {@code account} instead of processing it; {@code null}: none.
   */
  synchronized Injection next(String account) {
    Deque<Failure> queue = nextFailures.get(account);
    if (queue != null && !queue.isEmpty()) {
      return queue.poll();
    }
    // Draw only for an active rate, so that one kind of fault does not shift another's sequence.
    if (timeoutRate > 0 && random.nextDouble() < timeoutRate) {
      return new Timeout(timeoutHold);
    }
    if (serverErrorRate > 0 && random.nextDouble() < serverErrorRate) {
      return new ServerError(serverErrorStatus);
    }
    return null;
  }

  synchronized Duration latency() {
    return latency;
  }

  synchronized Duration slowBody() {
    return slowBody;
  }

  private static void requireRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("a rate is between 0 and 1, not " + rate);
    }
  }

  private static Duration requireNotNegative(Duration d, String name) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be zero or positive, not " + d);
    }
    return d;
  }
}
