package dev.herald.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated platform behind the HTTP routes: takes one send call through the checks in the
 * platforms' order (access token in the URL, bearer token, injected faults, payload, per-second
 * limit, WhatsApp pair rate, unreachable user, the referee) and counts the outcome. Everything
 * after the payload check happens under one lock, so limits are exact and a snapshot of the
 * counters is consistent; only the referee's wait for its Kafka reader happens outside it.
 */
final class Platform {

  private final SimulatorConfig config;
  private final Clock clock;
  private final Faults faults;
  private final Referee referee;
  private final Map<String, AccountState> accounts = new TreeMap<>();
  private final Map<String, Instant> lastToUser = new HashMap<>();
  private final Map<String, Instant> unreachableSince = new HashMap<>();
  private final Set<String> acceptedRequestIds = new HashSet<>();
  private final String idPrefix = Long.toString(System.nanoTime() & 0xffffff, 36);
  private final AtomicLong messageIds = new AtomicLong();

  Platform(SimulatorConfig config, Faults faults, Referee referee) {
    this.config = config;
    this.clock = config.clock();
    this.faults = faults;
    this.referee = referee;
  }

  /** One account's limit state and tallies; guarded by the platform's lock. */
  static final class AccountState {
    final Api api;
    final int limit;
    // Accepted instants (epoch ms) in the last second, oldest first.
    final ArrayDeque<Long> window = new ArrayDeque<>();
    int maxInAnyOneSecond;
    long received;
    long accepted;
    long rejections;
    final Map<String, Long> rejectionsByCode = new TreeMap<>();
    long duplicates;
    long throttled;
    long pairThrottled;
    long injectedFaults;
    long invalidPayloads;
    long unauthorized;
    long unreachable;

    AccountState(Api api, int limit) {
      this.api = api;
      this.limit = limit;
    }
  }

  Answer send(
      Api api,
      String account,
      String rawQuery,
      String authorization,
      String requestId,
      byte[] body) {
    boolean tokenInUrl = hasAccessToken(rawQuery);
    boolean authorized = authorized(account, authorization);
    SendCall call = null;
    String invalid = null;
    try {
      call = Payloads.read(api, account, requestId, body);
    } catch (Payloads.InvalidPayload e) {
      invalid = e.getMessage();
    }
    if (call != null && !tokenInUrl && authorized && !isDuplicate(requestId)) {
      // Before a rejection the referee may wait for its reader; never under the lock.
      if (!referee.judge(call, clock.instant()).allowed()) {
        referee.catchUp();
      }
    }
    synchronized (this) {
      AccountState a =
          accounts.computeIfAbsent(
              account, k -> new AccountState(api, config.perSecond(account, api)));
      a.received++;
      if (tokenInUrl) {
        a.invalidPayloads++;
        return Answer.error(
            400,
            100,
            null,
            "(#100) Access tokens are not accepted in the URL: send them in the Authorization"
                + " header as Bearer");
      }
      if (!authorized) {
        a.unauthorized++;
        return Answer.error(
            401, 190, null, "Invalid OAuth access token - Cannot parse access token");
      }
      Faults.Injection fault = faults.next(account);
      if (fault != null) {
        a.injectedFaults++;
        return injected(api, fault);
      }
      if (call == null) {
        a.invalidPayloads++;
        return Answer.error(400, 100, null, invalid);
      }
      return decide(a, call);
    }
  }

  private Answer decide(AccountState a, SendCall call) {
    Instant now = clock.instant();
    long ms = now.toEpochMilli();
    // The window holds the accepted calls in (now - 1 s, now].
    while (!a.window.isEmpty() && a.window.peekFirst() <= ms - 1000) {
      a.window.pollFirst();
    }
    if (a.window.size() >= a.limit) {
      a.throttled++;
      return call.api() == Api.WHATSAPP
          ? Answer.error(429, 130429, null, "(#130429) Rate limit hit")
          : Answer.error(429, 613, null, "(#613) Calls to this api have exceeded the rate limit.");
    }
    String pairKey = null;
    if (call.api() == Api.WHATSAPP) {
      pairKey = call.account() + "\u0000" + call.user();
      Instant last = lastToUser.get(pairKey);
      if (last != null && now.isBefore(last.plus(config.pairInterval()))) {
        a.pairThrottled++;
        return Answer.error(
            400,
            131056,
            null,
            "(#131056) (Business Account, Consumer Account) pair rate limit hit");
      }
    }
    String user = referee.userOf(call);
    if (user != null && unreachable(call.account(), user)) {
      a.unreachable++;
      return call.api() == Api.WHATSAPP
          ? Answer.error(400, 131026, null, "(#131026) Message undeliverable")
          : Answer.error(400, 551, null, "(#551) This person isn't available right now.");
    }
    boolean duplicate = isDuplicate(call.requestId());
    if (!duplicate) {
      // A repeated request id is the same decision sent again: it was judged the first time.
      Verdict verdict = referee.deliver(call, now);
      if (!verdict.allowed()) {
        a.rejections++;
        a.rejectionsByCode.merge(verdict.codeKey(), 1L, Long::sum);
        return Answer.error(400, verdict.code(), verdict.subcode(), verdict.message());
      }
    }
    a.window.addLast(ms);
    a.maxInAnyOneSecond = Math.max(a.maxInAnyOneSecond, a.window.size());
    if (pairKey != null) {
      lastToUser.put(pairKey, now);
    }
    a.accepted++;
    if (duplicate) {
      a.duplicates++;
    } else if (call.requestId() != null) {
      acceptedRequestIds.add(call.requestId());
    }
    return success(call, user);
  }

  private Answer.Reply success(SendCall call, String user) {
    ObjectNode body = Answer.JSON.createObjectNode();
    String unique = idPrefix + "_" + messageIds.incrementAndGet();
    if (call.api() == Api.WHATSAPP) {
      body.put("messaging_product", "whatsapp");
      body.putArray("contacts").addObject().put("input", call.user()).put("wa_id", call.user());
      body.putArray("messages").addObject().put("id", "wamid." + unique);
    } else {
      if (user != null) {
        body.put("recipient_id", user);
      }
      body.put("message_id", "m_" + unique);
    }
    return Answer.ok(body);
  }

  private static Answer injected(Api api, Faults.Injection fault) {
    if (fault instanceof Faults.Timeout t) {
      return new Answer.Hang(t.hold());
    }
    if (fault instanceof Faults.ServerError e) {
      return api == Api.WHATSAPP
          ? Answer.error(
              e.httpStatus(), api.serverErrorCode(), null, "(#131000) Something went wrong")
          : Answer.error(
              e.httpStatus(),
              api.serverErrorCode(),
              null,
              "(#2) An unexpected error has occurred. Please retry your request later.");
    }
    Faults.Failure f = (Faults.Failure) fault;
    return Answer.error(
        f.httpStatus(), f.code(), f.subcode(), "(#" + f.code() + ") Injected by the simulator");
  }

  /** Marks a user unreachable until their next interaction after now. */
  synchronized void markUnreachable(String account, String user) {
    unreachableSince.put(account + "\u0000" + user, clock.instant());
  }

  private boolean unreachable(String account, String user) {
    Instant since = unreachableSince.get(account + "\u0000" + user);
    if (since == null) {
      return false;
    }
    Instant last = referee.lastInteraction(account, user);
    return last == null || !last.isAfter(since);
  }

  private synchronized boolean isDuplicate(String requestId) {
    return requestId != null && acceptedRequestIds.contains(requestId);
  }

  private boolean authorized(String account, String authorization) {
    String token = config.tokenOf(account);
    if (token == null) {
      return true;
    }
    if (authorization == null) {
      return false;
    }
    // Constant-time, so the answer's timing tells nothing about the token.
    return MessageDigest.isEqual(
        ("Bearer " + token).getBytes(StandardCharsets.UTF_8),
        authorization.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean hasAccessToken(String rawQuery) {
    if (rawQuery == null) {
      return false;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if ((eq < 0 ? pair : pair.substring(0, eq)).equals("access_token")) {
        return true;
      }
    }
    return false;
  }

  /** A consistent snapshot of every tally. */
  synchronized Counters counters() {
    long received = 0;
    long accepted = 0;
    long rejections = 0;
    long duplicates = 0;
    long throttled = 0;
    long pairThrottled = 0;
    long injectedFaults = 0;
    long invalidPayloads = 0;
    long unauthorized = 0;
    Map<String, Long> byCode = new TreeMap<>();
    Map<String, AccountCounters> perAccount = new TreeMap<>();
    for (Map.Entry<String, AccountState> e : accounts.entrySet()) {
      AccountState a = e.getValue();
      received += a.received;
      accepted += a.accepted;
      rejections += a.rejections;
      duplicates += a.duplicates;
      throttled += a.throttled;
      pairThrottled += a.pairThrottled;
      injectedFaults += a.injectedFaults;
      invalidPayloads += a.invalidPayloads;
      unauthorized += a.unauthorized;
      a.rejectionsByCode.forEach((code, n) -> byCode.merge(code, n, Long::sum));
      perAccount.put(e.getKey(), new AccountCounters(a.accepted, a.maxInAnyOneSecond, a.limit));
    }
    return new Counters(
        received,
        accepted,
        rejections,
        byCode,
        duplicates,
        throttled,
        pairThrottled,
        injectedFaults,
        invalidPayloads,
        unauthorized,
        perAccount);
  }

  /** The Prometheus text exposition of every tally, taken under the lock. */
  synchronized String metrics() {
    return Metrics.render(accounts);
  }
}
