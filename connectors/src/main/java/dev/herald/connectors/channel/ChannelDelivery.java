package dev.herald.connectors.channel;

import dev.herald.channel.ChannelAnswer;
import dev.herald.channel.ErrorEffect;
import dev.herald.channel.MessagingChannel;
import dev.herald.schema.Channel;
import dev.herald.schema.DeliveryOutcome;
import dev.herald.schema.PlatformError;
import dev.herald.schema.SendRequest;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Delivers send requests to the platforms, one {@link DeliveryOutcome} per request, behind guards
 * per account. This is the sink's logic in plain Java: the Flink function only opens it, hands it
 * requests and passes the outcomes on.
 *
 * <p>Each account ({@code channel/account}) gets named Resilience4j instances built from the shared
 * {@link ResiliencePresets}. One request goes through them in this order:
 *
 * <ol>
 *   <li>a <b>retry</b> with exponential backoff and jitter, for answers worth trying again only:
 *       the channel's retryable errors ({@link ErrorEffect#retryable()}), HTTP 429 and 5xx, and no
 *       answer at all (I/O error, timeout); also when the account had no room (bulkhead full, no
 *       rate permit in time), since nothing was sent. Before each attempt the request's {@code
 *       notAfter} is checked: past it, the request ends {@code expired};
 *   <li>a <b>circuit breaker</b> that records account-level failures only (5xx, no answer, rate
 *       limits, account-wide errors) and ignores per-user errors ({@link ErrorEffect#perUser()}): a
 *       user who blocked the page says nothing about the page, and must not stop its sends;
 *   <li>a <b>rate limiter</b>, a second guard behind the job's own pacing, at the account's {@code
 *       perSecond}, refilled in small steps so it smooths rather than bursts. Its wait is
 *       scheduled, never slept, and bounded by the time left to {@code notAfter};
 *   <li>a <b>bulkhead</b> bounding the account's calls in flight; it never waits.
 * </ol>
 *
 * <p>Errors are classified by the channel ({@link MessagingChannel#classify}), in one place per
 * channel; this class only asks what a class of error means. The returned futures never complete
 * exceptionally: a channel failure is an outcome, never a failed job.
 */
public final class ChannelDelivery {

  private final ChannelClient client;
  private final Credentials credentials;
  private final ResiliencePresets presets;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final DeliveryListener listener;

  private final RateLimiterRegistry rateLimiters;
  private final RetryRegistry retries;
  private final CircuitBreakerRegistry breakers;
  private final BulkheadRegistry bulkheads;
  private final ConcurrentHashMap<String, AccountGuards> guards = new ConcurrentHashMap<>();

  /**
   * @param scheduler runs retries after their backoff and calls after their rate-limit wait
   */
  public ChannelDelivery(
      ChannelClient client,
      Credentials credentials,
      ResiliencePresets presets,
      Clock clock,
      ScheduledExecutorService scheduler,
      DeliveryListener listener) {
    this.client = client;
    this.credentials = credentials;
    this.presets = presets;
    this.clock = clock;
    this.scheduler = scheduler;
    this.listener = listener;
    this.rateLimiters = RateLimiterRegistry.of(RateLimiterConfig.ofDefaults());
    this.retries = RetryRegistry.of(retryConfig(presets));
    this.breakers = CircuitBreakerRegistry.of(breakerConfig(presets));
    this.bulkheads =
        BulkheadRegistry.of(
            BulkheadConfig.custom()
                .maxConcurrentCalls(presets.maxCallsInFlight())
                .maxWaitDuration(Duration.ZERO) // waiting would block the caller's thread
                .build());
  }

  /** Sends {@code request}; the future always completes normally, with exactly one outcome. */
  public CompletableFuture<DeliveryOutcome> deliver(SendRequest request) {
    Channel channel = request.user().channel();
    String account = request.user().accountKey();
    try {
      Instant now = clock.instant();
      if (!now.isBefore(request.notAfter())) {
        return done(
            account, DeliveryOutcome.expired(request, now, "notAfter passed before sending"));
      }
      Optional<Secret> token = credentials.tokenFor(channel, request.user().account());
      if (token.isEmpty()) {
        listener.noCredentials(account);
        return done(
            account, DeliveryOutcome.failed(request, now, null, "no credentials for " + account));
      }
      AccountGuards g = guards.computeIfAbsent(account, key -> open(channel, key));
      AtomicInteger attempts = new AtomicInteger();
      Supplier<CompletionStage<Attempt>> attempt =
          () -> {
            if (attempts.get() > 0) {
              if (!clock.instant().isBefore(request.notAfter())) {
                return CompletableFuture.failedFuture(
                    new NotAfterPassed("notAfter passed while retrying"));
              }
              listener.retry(account);
            }
            attempts.incrementAndGet();
            try {
              return g.call(request, token.get());
            } catch (RuntimeException e) {
              // Thrown on the scheduler's thread, it would leave the request without an outcome.
              return CompletableFuture.failedFuture(e);
            }
          };
      return Retry.decorateCompletionStage(g.retry, scheduler, attempt)
          .get()
          .handle((last, error) -> outcome(request, last, error, attempts.get()))
          .toCompletableFuture()
          .thenApply(outcome -> report(account, outcome));
    } catch (RuntimeException e) {
      // A bug of ours must not fail the job either; the request fails with what happened.
      return done(account, DeliveryOutcome.failed(request, clock.instant(), null, unexpected(e)));
    }
  }

  /** The circuit breaker of {@code account} ({@code channel/account}), if it has sent anything. */
  public Optional<CircuitBreaker> breaker(String account) {
    return Optional.ofNullable(guards.get(account)).map(g -> g.breaker);
  }

  private CompletableFuture<DeliveryOutcome> done(String account, DeliveryOutcome outcome) {
    return CompletableFuture.completedFuture(report(account, outcome));
  }

  private DeliveryOutcome report(String account, DeliveryOutcome outcome) {
    listener.outcome(account, outcome.status());
    return outcome;
  }

  private DeliveryOutcome outcome(
      SendRequest request, Attempt last, Throwable error, int attempts) {
    Instant at = clock.instant();
    if (error != null) {
      Throwable cause = unwrap(error);
      if (cause instanceof NotAfterPassed e) {
        return DeliveryOutcome.expired(request, at, e.getMessage());
      }
      String reason;
      if (cause instanceof CallNotPermittedException) {
        reason = "circuit breaker open";
      } else if (cause instanceof BulkheadFullException) {
        reason = "bulkhead full";
      } else if (cause instanceof RequestNotPermitted) {
        reason = "no rate permit within " + presets.rateMaxWait();
      } else {
        reason = unexpected(cause);
      }
      return DeliveryOutcome.failed(request, at, null, withAttempts(reason, attempts));
    }
    if (last.answer() instanceof ChannelAnswer.Sent sent) {
      return DeliveryOutcome.sent(request, at, sent.messageId());
    }
    ChannelAnswer.Failed failed = (ChannelAnswer.Failed) last.answer();
    return DeliveryOutcome.failed(
        request, at, failed.error(), withAttempts(describe(failed), attempts));
  }

  /** A failed answer in words: the status and the platform's code, or what went wrong. */
  static String describe(ChannelAnswer.Failed failed) {
    if (failed.httpStatus() <= ChannelClient.NO_ANSWER) {
      return failed.message();
    }
    StringBuilder b = new StringBuilder("HTTP ").append(failed.httpStatus());
    PlatformError error = failed.error();
    if (error != null) {
      b.append(" error ").append(error.code());
      if (error.subcode() != null) {
        b.append('/').append(error.subcode());
      }
    }
    return b.toString();
  }

  private static String withAttempts(String reason, int attempts) {
    return attempts > 1 ? reason + " after " + attempts + " attempts" : reason;
  }

  private static String unexpected(Throwable e) {
    // The class only: a message could quote a request, and a request is not for the logs.
    return "unexpected " + e.getClass().getSimpleName();
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The call result label of {@link DeliveryListener#call}. */
  static String resultLabel(ChannelAnswer answer) {
    if (answer instanceof ChannelAnswer.Sent) {
      return "sent";
    }
    ChannelAnswer.Failed f = (ChannelAnswer.Failed) answer;
    if (f.error() != null) {
      return "error_" + f.error().code();
    }
    if (f.httpStatus() == ChannelClient.NO_ANSWER) {
      return "no_answer";
    }
    if (f.httpStatus() == ChannelClient.NOT_SENT) {
      return "not_sent";
    }
    return "http_" + f.httpStatus();
  }

  private AccountGuards open(Channel channel, String account) {
    int perSecond = presets.perSecond(channel, account.substring(account.indexOf('/') + 1));
    ResiliencePresets.RateCycle cycle = presets.rateCycle(perSecond);
    RateLimiter rateLimiter =
        rateLimiters.rateLimiter(
            account,
            RateLimiterConfig.custom()
                .limitForPeriod(cycle.permits())
                .limitRefreshPeriod(cycle.period())
                .timeoutDuration(presets.rateMaxWait())
                .build());
    AccountGuards g =
        new AccountGuards(
            account,
            MessagingChannel.of(channel),
            rateLimiter,
            retries.retry(account),
            breakers.circuitBreaker(account),
            bulkheads.bulkhead(account));
    listener.accountOpened(account, g.breaker);
    return g;
  }

  private static RetryConfig retryConfig(ResiliencePresets presets) {
    return RetryConfig.<Attempt>custom()
        .maxAttempts(presets.maxAttempts())
        .intervalFunction(
            IntervalFunction.ofExponentialRandomBackoff(
                presets.initialBackoff(), presets.backoffMultiplier(), presets.backoffJitter()))
        .retryOnResult(ChannelDelivery::worthRetrying)
        // Nothing was sent when the account had no room: try again after the backoff.
        .retryOnException(
            e -> e instanceof BulkheadFullException || e instanceof RequestNotPermitted)
        .failAfterMaxAttempts(false) // the last answer is the outcome
        .build();
  }

  private static CircuitBreakerConfig breakerConfig(ResiliencePresets presets) {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(presets.breakerWindow())
        .minimumNumberOfCalls(presets.breakerMinimumCalls())
        .failureRateThreshold(presets.breakerFailureRate())
        .waitDurationInOpenState(presets.breakerWaitInOpen())
        .permittedNumberOfCallsInHalfOpenState(presets.breakerHalfOpenCalls())
        .recordResult(r -> r instanceof Attempt a && accountLevel(a))
        // A per-user answer, and the account's own lack of room, say nothing of its health.
        .ignoreExceptions(
            PerUserAnswer.class,
            NotAfterPassed.class,
            BulkheadFullException.class,
            RequestNotPermitted.class)
        .build();
  }

  /** Whether trying again can help: rate limits, transient errors, no answer. */
  static boolean worthRetrying(Attempt attempt) {
    if (!(attempt.answer() instanceof ChannelAnswer.Failed f)) {
      return false;
    }
    int status = f.httpStatus();
    if (status == ChannelClient.NO_ANSWER || status == 429 || status >= 500) {
      return true;
    }
    return attempt.effect() != null && attempt.effect().retryable();
  }

  /** Whether the answer says something is wrong with the account or the platform. */
  static boolean accountLevel(Attempt attempt) {
    if (!(attempt.answer() instanceof ChannelAnswer.Failed f)) {
      return false;
    }
    int status = f.httpStatus();
    if (status == ChannelClient.NO_ANSWER || status == 429 || status >= 500) {
      return true;
    }
    ErrorEffect effect = attempt.effect();
    return effect != null && ((effect.retryable() && !effect.perUser()) || effect.pausesAccount());
  }

  /** Whether the answer is about one user only. */
  static boolean perUser(Attempt attempt) {
    return attempt.answer() instanceof ChannelAnswer.Failed f
        && f.httpStatus() < 500
        && attempt.effect() != null
        && attempt.effect().perUser();
  }

  /**
   * One call's answer with the channel's class of its error ({@code null} when the answer has no
   * platform error): the guards are shared presets and ask the class, never the code.
   */
  record Attempt(ChannelAnswer answer, ErrorEffect effect) {
    static Attempt of(ChannelAnswer answer, MessagingChannel channel) {
      return new Attempt(
          answer,
          answer instanceof ChannelAnswer.Failed f && f.error() != null
              ? channel.classify(f.error())
              : null);
    }
  }

  /** A per-user answer on its way out of the breaker, which ignores it. */
  private static final class PerUserAnswer extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Attempt attempt;

    PerUserAnswer(Attempt attempt) {
      super("per-user answer", null, false, false);
      this.attempt = attempt;
    }
  }

  /** The request's notAfter passed, or would pass before it could be sent. */
  private static final class NotAfterPassed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAfterPassed(String reason) {
      super(reason, null, false, false);
    }
  }

  /** The guards of one account, and its calls through them. */
  private final class AccountGuards {
    final String account;
    final MessagingChannel channel;
    final RateLimiter rateLimiter;
    final Retry retry;
    final CircuitBreaker breaker;
    final Bulkhead bulkhead;

    AccountGuards(
        String account,
        MessagingChannel channel,
        RateLimiter rateLimiter,
        Retry retry,
        CircuitBreaker breaker,
        Bulkhead bulkhead) {
      this.account = account;
      this.channel = channel;
      this.rateLimiter = rateLimiter;
      this.retry = retry;
      this.breaker = breaker;
      this.bulkhead = bulkhead;
    }

    /** One attempt: breaker, rate permit, bulkhead, then the HTTP call. */
    CompletionStage<Attempt> call(SendRequest request, Secret token) {
      Supplier<CompletionStage<Attempt>> http =
          () ->
              client
                  .send(request, token)
                  .thenCompose(
                      answer -> {
                        listener.call(account, resultLabel(answer));
                        Attempt attempt = Attempt.of(answer, channel);
                        // Out of the breaker as an exception it ignores; back to an answer below.
                        return perUser(attempt)
                            ? CompletableFuture.failedFuture(new PerUserAnswer(attempt))
                            : CompletableFuture.completedFuture(attempt);
                      });
      Supplier<CompletionStage<Attempt>> guarded =
          CircuitBreaker.decorateCompletionStage(
              breaker,
              () -> afterRatePermit(request, Bulkhead.decorateCompletionStage(bulkhead, http)));
      return guarded
          .get()
          .handle(
              (answer, error) -> {
                if (error == null) {
                  return CompletableFuture.completedFuture(answer);
                }
                Throwable cause = unwrap(error);
                return cause instanceof PerUserAnswer p
                    ? CompletableFuture.completedFuture(p.attempt)
                    : CompletableFuture.<Attempt>failedFuture(cause);
              })
          .thenCompose(stage -> stage);
    }

    /**
     * Runs {@code call} once the rate limiter allows it: at once, or scheduled after the wait the
     * limiter reserved; never on a sleeping thread. A wait that would end at or past the request's
     * {@code notAfter} is not waited: the request expires instead (its reserved permit is lost,
     * which only makes the account's rate a little slower).
     */
    private CompletionStage<Attempt> afterRatePermit(
        SendRequest request, Supplier<CompletionStage<Attempt>> call) {
      long waitNanos = rateLimiter.reservePermission();
      if (waitNanos < 0) {
        return CompletableFuture.failedFuture(
            RequestNotPermitted.createRequestNotPermitted(rateLimiter));
      }
      if (waitNanos == 0) {
        return call.get();
      }
      Duration left = Duration.between(clock.instant(), request.notAfter());
      if (left.toNanos() <= waitNanos) {
        return CompletableFuture.failedFuture(
            new NotAfterPassed("notAfter would pass waiting for a rate permit"));
      }
      CompletableFuture<Attempt> later = new CompletableFuture<>();
      scheduler.schedule(
          () -> {
            try {
              call.get()
                  .whenComplete(
                      (answer, error) -> {
                        if (error != null) {
                          later.completeExceptionally(error);
                        } else {
                          later.complete(answer);
                        }
                      });
            } catch (RuntimeException e) {
              later.completeExceptionally(e);
            }
          },
          waitNanos,
          TimeUnit.NANOSECONDS);
      return later;
    }
  }
}
