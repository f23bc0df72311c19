package dev.herald.connectors.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.channel.DeliveryLimits;
import dev.herald.schema.Basis;
import dev.herald.schema.Category;
import dev.herald.schema.Channel;
import dev.herald.schema.DeliveryOutcome;
import dev.herald.schema.DeliveryStatus;
import dev.herald.schema.MessageTag;
import dev.herald.schema.PlatformError;
import dev.herald.schema.SendRequest;
import dev.herald.simulator.ChannelSimulator;
import dev.herald.simulator.Counters;
import dev.herald.simulator.SimulatorConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sink's delivery against the channel simulator, over real HTTP: payloads, tokens, retries, the
 * breaker, the rate limiter, the bulkhead and notAfter. Waits are configured in tens of
 * milliseconds through the presets; nothing sleeps.
 */
class ChannelDeliveryTest {

  private static final String PAGE = "page-1";
  private static final String IG = "17841400000000000";
  private static final String PHONE = "1234567890";
  private static final String PAGE_TOKEN = "EAAB-page-token";
  private static final String IG_TOKEN = "IGQ-account-token";
  private static final String WA_TOKEN = "EAAW-system-user-token";

  /** Generous: a deadline for a call that takes milliseconds, never a measured latency. */
  private static final long DEADLINE_SECONDS = 20;

  private ChannelSimulator simulator;
  private ScheduledExecutorService scheduler;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final RecordingListener listener = new RecordingListener();
  private final ControllableClock clock = new ControllableClock();

  @BeforeEach
  void startSimulator() throws Exception {
    simulator = simulator(b -> {});
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    scheduler.shutdownNow();
    simulator.close();
  }

  @Test
  void eachBasisReachesThePlatformAsItsPayloadAndIsAccepted() throws Exception {
    Instant now = clock.instant();
    interaction(Channel.MESSENGER, PAGE, "u-window", now);
    interaction(Channel.MESSENGER, PAGE, "u-agent", now.minus(Duration.ofDays(2)));
    event(
        "{\"type\":\"otn_optin\",\"at\":\"%s\",\"channel\":\"messenger\",\"account\":\"%s\",\"user\":\"u-otn\",\"topic\":\"restock\",\"token\":\"otn-1\"}",
        now.minusSeconds(60), PAGE);
    event(
        "{\"type\":\"recurring_optin\",\"at\":\"%s\",\"channel\":\"messenger\",\"account\":\"%s\",\"user\":\"u-rn\",\"topic\":\"news\",\"token\":\"rn-1\",\"frequency\":\"WEEKLY\"}",
        now.minusSeconds(60), PAGE);
    interaction(Channel.INSTAGRAM, IG, "ig-user", now);
    interaction(Channel.WHATSAPP, PHONE, "491700000001", now);
    Instant later = now.plus(Duration.ofHours(1));
    List<SendRequest> requests =
        List.of(
            Requests.inWindow(Channel.MESSENGER, PAGE, "u-window", now),
            Requests.request(Channel.MESSENGER, PAGE, "u-agent", Basis.MESSAGE_TAG, now, later)
                .tag(MessageTag.HUMAN_AGENT)
                .build(),
            Requests.request(Channel.MESSENGER, PAGE, "u-otn", Basis.OTN, now, later)
                .token("otn-1")
                .build(),
            Requests.request(Channel.MESSENGER, PAGE, "u-rn", Basis.RECURRING, now, later)
                .token("rn-1")
                .build(),
            Requests.inWindow(Channel.INSTAGRAM, IG, "ig-user", now),
            Requests.inWindow(Channel.WHATSAPP, PHONE, "491700000001", now),
            Requests.request(Channel.WHATSAPP, PHONE, "491700000002", Basis.TEMPLATE, now, later)
                .template("restock_alert", "en_US", Category.MARKETING)
                .build());
    ChannelDelivery delivery = delivery(fastPresets().build());

    for (SendRequest r : requests) {
      DeliveryOutcome o = deliver(delivery, r);
      assertThat(o.status()).as("%s: %s", r.basis(), o.reason()).isEqualTo(DeliveryStatus.SENT);
      assertThat(o.messageId()).isNotBlank();
      assertThat(o.requestId()).isEqualTo(r.requestId());
      assertThat(o.user()).isEqualTo(r.user());
    }
    Counters c = simulator.counters();
    assertThat(c.accepted()).isEqualTo(requests.size());
    assertThat(c.rejections()).isZero();
    assertThat(c.invalidPayloads()).isZero(); // a token in the URL would count here
    assertThat(c.unauthorized()).isZero(); // the bearer token of each account was right
    assertThat(c.duplicates()).isZero();
  }

  @Test
  void retriesRateLimitsWithBackoffUntilSent() throws Exception {
    interaction(Channel.MESSENGER, PAGE, "u-1", clock.instant());
    simulator.faults().failNext(PAGE, 2, 429, 613, null);
    ChannelDelivery delivery = delivery(fastPresets().build());

    DeliveryOutcome o =
        deliver(delivery, Requests.inWindow(Channel.MESSENGER, PAGE, "u-1", clock.instant()));

    assertThat(o.status()).isEqualTo(DeliveryStatus.SENT);
    assertThat(simulator.counters().received()).isEqualTo(3);
    assertThat(listener.calls)
        .containsExactly(
            "messenger/page-1 error_613", "messenger/page-1 error_613", "messenger/page-1 sent");
    assertThat(listener.retries.get()).isEqualTo(2);
  }

  @Test
  void givesUpOnServerErrorsAfterTheLastAttemptWithItsReason() throws Exception {
    interaction(Channel.WHATSAPP, PHONE, "4917", clock.instant());
    simulator.faults().failNext(PHONE, 4, 503, 131000, null);
    ChannelDelivery delivery = delivery(fastPresets().maxAttempts(4).build());

    DeliveryOutcome o =
        deliver(delivery, Requests.inWindow(Channel.WHATSAPP, PHONE, "4917", clock.instant()));

    assertThat(o.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(o.error()).isEqualTo(new PlatformError(131000, null));
    assertThat(o.reason()).isEqualTo("HTTP 503 error 131000 after 4 attempts");
    assertThat(simulator.counters().received()).isEqualTo(4);
  }

  @Test
  void aPerUserErrorIsNotRetriedAndLeavesTheBreakerAlone() throws Exception {
    Instant now = clock.instant();
    interaction(Channel.MESSENGER, PAGE, "u-gone", now);
    interaction(Channel.WHATSAPP, PHONE, "4900", now);
    simulator.markUnreachable(PAGE, "u-gone");
    simulator.markUnreachable(PHONE, "4900");
    // A breaker that would open on a single recorded failure.
    ChannelDelivery delivery = delivery(fastPresets().breaker(50, 1, 1).build());

    DeliveryOutcome messenger =
        deliver(delivery, Requests.inWindow(Channel.MESSENGER, PAGE, "u-gone", now));
    DeliveryOutcome whatsapp =
        deliver(delivery, Requests.inWindow(Channel.WHATSAPP, PHONE, "4900", now));

    assertThat(messenger.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(messenger.error()).isEqualTo(new PlatformError(551, null));
    assertThat(whatsapp.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(whatsapp.error()).isEqualTo(new PlatformError(131026, null));
    assertThat(simulator.counters().received()).isEqualTo(2); // one call each
    assertThat(listener.retries.get()).isZero();
    for (String account : List.of("messenger/" + PAGE, "whatsapp/" + PHONE)) {
      CircuitBreaker breaker = delivery.breaker(account).orElseThrow();
      assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
      // Ignored, not even counted as a success: the answer says nothing of the account.
      assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
    }
  }

  @Test
  void theBreakerOpensUnderAServerErrorStormAndClosesAfterIt() throws Exception {
    Instant now = clock.instant();
    for (int i = 0; i < 20; i++) {
      interaction(Channel.MESSENGER, PAGE, "u-" + i, now);
    }
    simulator.faults().serverErrors(1.0, 503);
    ChannelDelivery delivery =
        delivery(
            fastPresets()
                .maxAttempts(1)
                .breaker(50, 4, 4)
                .breakerRecovery(Duration.ofMillis(50), 2)
                .build());

    List<DeliveryOutcome> storm = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      storm.add(deliver(delivery, Requests.inWindow(Channel.MESSENGER, PAGE, "u-" + i, now)));
    }

    assertThat(storm)
        .extracting(DeliveryOutcome::reason)
        .containsExactly(
            "HTTP 503 error 2",
            "HTTP 503 error 2",
            "HTTP 503 error 2",
            "HTTP 503 error 2",
            "circuit breaker open",
            "circuit breaker open");
    assertThat(simulator.counters().received()).isEqualTo(4); // the open breaker spared the rest
    CircuitBreaker breaker = delivery.breaker("messenger/" + PAGE).orElseThrow();
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

    simulator.faults().clear();
    // Half-open after its short wait; two probes succeed and close it.
    Await.until(
        () ->
            deliver(delivery, Requests.inWindow(Channel.MESSENGER, PAGE, "u-10", now)).status()
                == DeliveryStatus.SENT,
        Duration.ofSeconds(DEADLINE_SECONDS));
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(deliver(delivery, Requests.inWindow(Channel.MESSENGER, PAGE, "u-11", now)).status())
        .isEqualTo(DeliveryStatus.SENT);
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void anAccountWithoutCredentialsFailsWithoutACall() throws Exception {
    ChannelDelivery delivery = delivery(fastPresets().build());

    DeliveryOutcome o =
        deliver(delivery, Requests.inWindow(Channel.WHATSAPP, "123", "4917", clock.instant()));

    assertThat(o.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(o.reason()).isEqualTo("no credentials for whatsapp/123");
    assertThat(o.error()).isNull();
    assertThat(simulator.counters().received()).isZero();
    assertThat(listener.noCredentials.get()).isEqualTo(1);
  }

  @Test
  void aRequestTheChannelCannotWriteFailsWithoutACall() throws Exception {
    ChannelDelivery delivery = delivery(fastPresets().build());
    Instant now = clock.instant();
    // WhatsApp has no one-time notifications: nothing to send, and nothing to retry.
    SendRequest otn =
        Requests.request(Channel.WHATSAPP, PHONE, "4917", Basis.OTN, now, now.plusSeconds(3600))
            .token("otn-1")
            .build();

    DeliveryOutcome o = deliver(delivery, otn);

    assertThat(o.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(o.error()).isNull();
    assertThat(o.reason()).contains("cannot be sent on whatsapp");
    assertThat(simulator.counters().received()).isZero();
  }

  @Test
  void theTokenTravelsAsABearerHeaderOnly() throws Exception {
    Instant now = clock.instant();
    interaction(Channel.MESSENGER, PAGE, "u-1", now);
    interaction(Channel.WHATSAPP, PHONE, "4917", now);
    Credentials wrong =
        Credentials.of(
            Map.of(
                "messenger/" + PAGE,
                Secret.of(PAGE_TOKEN),
                "whatsapp/" + PHONE,
                Secret.of("stale-token")));
    ChannelDelivery delivery = delivery(fastPresets().build(), wrong);

    DeliveryOutcome right =
        deliver(delivery, Requests.inWindow(Channel.MESSENGER, PAGE, "u-1", now));
    DeliveryOutcome stale =
        deliver(delivery, Requests.inWindow(Channel.WHATSAPP, PHONE, "4917", now));

    assertThat(right.status()).isEqualTo(DeliveryStatus.SENT);
    // 190: the token is invalid; not retried (trying again cannot help), the account's problem.
    assertThat(stale.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(stale.error()).isEqualTo(new PlatformError(190, null));
    assertThat(stale.reason()).isEqualTo("HTTP 401 error 190").doesNotContain("stale-token");
    Counters c = simulator.counters();
    assertThat(c.unauthorized()).isEqualTo(1);
    assertThat(c.invalidPayloads()).isZero(); // the simulator refuses any access_token in a URL
    assertThat(c.received()).isEqualTo(2);
  }

  @Test
  void aRequestWhoseNotAfterPassesWhileRetryingExpires() throws Exception {
    Instant now = clock.instant();
    interaction(Channel.MESSENGER, PAGE, "u-1", now);
    simulator.faults().failNext(PAGE, 1, 503, 2, null);
    ChannelDelivery delivery = delivery(fastPresets().build());
    // The first call's answer comes when the window has a minute left; the backoff passes it.
    listener.onCall = (account, result) -> clock.advance(Duration.ofMinutes(2));
    SendRequest r =
        Requests.request(
                Channel.MESSENGER,
                PAGE,
                "u-1",
                Basis.STANDARD_WINDOW,
                now,
                now.plus(Duration.ofMinutes(1)))
            .build();

    DeliveryOutcome o = deliver(delivery, r);

    assertThat(o.status()).isEqualTo(DeliveryStatus.EXPIRED);
    assertThat(o.reason()).isEqualTo("notAfter passed while retrying");
    assertThat(o.at()).isAfterOrEqualTo(r.notAfter());
    assertThat(simulator.counters().received()).isEqualTo(1);
  }

  @Test
  void aRequestAlreadyPastNotAfterIsNeverSent() throws Exception {
    Instant now = clock.instant();
    ChannelDelivery delivery = delivery(fastPresets().build());
    SendRequest r =
        Requests.request(
                Channel.MESSENGER, PAGE, "u-1", Basis.STANDARD_WINDOW, now.minusSeconds(60), now)
            .build();

    DeliveryOutcome o = deliver(delivery, r);

    assertThat(o.status()).isEqualTo(DeliveryStatus.EXPIRED);
    assertThat(o.reason()).isEqualTo("notAfter passed before sending");
    assertThat(simulator.counters().received()).isZero();
  }

  @Test
  void noAnswerWithinTheRequestTimeoutIsRetriedThenFails() throws Exception {
    interaction(Channel.MESSENGER, PAGE, "u-1", clock.instant());
    simulator.faults().timeouts(1.0, Duration.ofSeconds(5));
    ChannelEndpoints endpoints =
        endpoints(fastPresets().maxAttempts(2).build(), Duration.ofMillis(200));
    ChannelDelivery delivery = delivery(endpoints, credentials());

    DeliveryOutcome o =
        deliver(delivery, Requests.inWindow(Channel.MESSENGER, PAGE, "u-1", clock.instant()));

    assertThat(o.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(o.reason()).isEqualTo("timeout after 2 attempts");
    assertThat(o.error()).isNull();
    assertThat(listener.calls)
        .containsExactly("messenger/page-1 no_answer", "messenger/page-1 no_answer");
  }

  @Test
  void theRateLimiterSpacesCallsSoThePlatformNeverThrottles() throws Exception {
    simulator.close();
    simulator = simulator(b -> b.accountPerSecond(PAGE, 5));
    Instant now = clock.instant();
    for (int i = 0; i < 8; i++) {
      interaction(Channel.MESSENGER, PAGE, "u-" + i, now);
    }
    // 4/s against the platform's 5/s: room for the calls' own jitter.
    ChannelDelivery delivery =
        delivery(
            fastPresets()
                .limits(Map.of("messenger/" + PAGE, new DeliveryLimits(4, null, null)))
                .rateMaxWait(Duration.ofSeconds(5))
                .build());

    List<CompletableFuture<DeliveryOutcome>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(delivery.deliver(Requests.inWindow(Channel.MESSENGER, PAGE, "u-" + i, now)));
    }

    for (CompletableFuture<DeliveryOutcome> f : all) {
      assertThat(f.get(DEADLINE_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(DeliveryStatus.SENT);
    }
    Counters c = simulator.counters();
    assertThat(c.throttled()).isZero();
    assertThat(c.received()).isEqualTo(8);
    assertThat(c.account(PAGE).maxInAnyOneSecond()).isLessThanOrEqualTo(5);
  }

  @Test
  void aRateWaitThatWouldPassNotAfterExpiresTheRequestInstead() throws Exception {
    Instant now = clock.instant();
    interaction(Channel.MESSENGER, PAGE, "u-1", now);
    interaction(Channel.MESSENGER, PAGE, "u-2", now);
    ChannelDelivery delivery =
        delivery(
            fastPresets()
                .limits(Map.of("messenger/" + PAGE, new DeliveryLimits(1, null, null)))
                .rateMaxWait(Duration.ofSeconds(5))
                .build());
    Instant soon = now.plusSeconds(1).plusMillis(300); // less than the second's wait left

    CompletableFuture<DeliveryOutcome> first =
        delivery.deliver(
            Requests.request(Channel.MESSENGER, PAGE, "u-1", Basis.STANDARD_WINDOW, now, soon)
                .build());
    CompletableFuture<DeliveryOutcome> second =
        delivery.deliver(
            Requests.request(
                    Channel.MESSENGER,
                    PAGE,
                    "u-2",
                    Basis.STANDARD_WINDOW,
                    now,
                    clock.instant().plusMillis(300))
                .build());

    assertThat(first.get(DEADLINE_SECONDS, TimeUnit.SECONDS).status())
        .isEqualTo(DeliveryStatus.SENT);
    DeliveryOutcome o = second.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    assertThat(o.status()).isEqualTo(DeliveryStatus.EXPIRED);
    assertThat(o.reason()).isEqualTo("notAfter would pass waiting for a rate permit");
    assertThat(simulator.counters().received()).isEqualTo(1);
  }

  @Test
  void aFullBulkheadIsTriedAgainThenFails() throws Exception {
    Instant now = clock.instant();
    interaction(Channel.MESSENGER, PAGE, "u-1", now);
    interaction(Channel.MESSENGER, PAGE, "u-2", now);
    simulator.faults().latency(Duration.ofMillis(500)); // far longer than the backoff
    ChannelDelivery delivery = delivery(fastPresets().maxCallsInFlight(1).maxAttempts(2).build());

    CompletableFuture<DeliveryOutcome> slow =
        delivery.deliver(Requests.inWindow(Channel.MESSENGER, PAGE, "u-1", now));
    DeliveryOutcome refused =
        deliver(delivery, Requests.inWindow(Channel.MESSENGER, PAGE, "u-2", now));

    assertThat(refused.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(refused.reason()).isEqualTo("bulkhead full after 2 attempts");
    assertThat(slow.get(DEADLINE_SECONDS, TimeUnit.SECONDS).status())
        .isEqualTo(DeliveryStatus.SENT);
    assertThat(simulator.counters().received()).isEqualTo(1);
    assertThat(
            delivery
                .breaker("messenger/" + PAGE)
                .orElseThrow()
                .getMetrics()
                .getNumberOfFailedCalls())
        .isZero();
  }

  // --- fixtures ---

  private ChannelSimulator simulator(Consumer<SimulatorConfig.Builder> tweak) throws Exception {
    SimulatorConfig.Builder b =
        SimulatorConfig.builder()
            .clock(Clock.systemUTC())
            .token(PAGE, PAGE_TOKEN)
            .token(IG, IG_TOKEN)
            .token(PHONE, WA_TOKEN)
            .catchUpWait(Duration.ZERO)
            .threads(4);
    tweak.accept(b);
    return ChannelSimulator.start(b.build());
  }

  /** Presets with waits of tens of milliseconds. */
  static ResiliencePresets.Builder fastPresets() {
    return ResiliencePresets.builder()
        .backoff(Duration.ofMillis(10), 2, 0.5)
        .rateRefreshPeriod(Duration.ofMillis(10))
        .breakerRecovery(Duration.ofMillis(50), 2);
  }

  private ChannelEndpoints endpoints(ResiliencePresets presets) {
    return endpoints(presets, Duration.ofSeconds(5));
  }

  private ChannelEndpoints endpoints(ResiliencePresets presets, Duration requestTimeout) {
    return ChannelEndpoints.builder()
        .messengerBaseUrl(simulator.messengerBaseUrl().toString())
        .whatsappBaseUrl(simulator.whatsappBaseUrl().toString())
        .requestTimeout(requestTimeout)
        .presets(presets)
        .build();
  }

  static Credentials credentials() {
    return Credentials.of(
        Map.of(
            "messenger/" + PAGE, Secret.of(PAGE_TOKEN),
            "instagram/" + IG, Secret.of(IG_TOKEN),
            "whatsapp/" + PHONE, Secret.of(WA_TOKEN)));
  }

  private ChannelDelivery delivery(ResiliencePresets presets) {
    return delivery(endpoints(presets), credentials());
  }

  private ChannelDelivery delivery(ResiliencePresets presets, Credentials credentials) {
    return delivery(endpoints(presets), credentials);
  }

  private ChannelDelivery delivery(ChannelEndpoints endpoints, Credentials credentials) {
    ChannelClient client = new ChannelClient(endpoints);
    closing.add(client);
    return new ChannelDelivery(
        client, credentials, endpoints.presets(), clock, scheduler, listener);
  }

  private static DeliveryOutcome deliver(ChannelDelivery delivery, SendRequest r) {
    try {
      return delivery.deliver(r).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no outcome for " + r.requestId(), e);
    }
  }

  private void interaction(Channel channel, String account, String user, Instant at) {
    simulator
        .referee()
        .accept(
            String.format(
                "{\"type\":\"interaction\",\"at\":\"%s\",\"channel\":\"%s\",\"account\":\"%s\",\"user\":\"%s\"}",
                at, channel.wire(), account, user));
  }

  private void event(String format, Instant at, String account) {
    simulator.referee().accept(String.format(format, at, account));
  }
}
