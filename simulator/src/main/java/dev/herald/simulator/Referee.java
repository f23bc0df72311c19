package dev.herald.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * The simulator's own small model of the platforms' delivery checks, fed with Herald's user events,
 * that judges every message the sink sends. It shares no code with Herald's policy core on purpose:
 * a bug in the core cannot hide by being repeated here. A rejection means Herald sent something the
 * platform would have refused; it must not happen.
 *
 * <p>Per account and user it keeps the last interaction and the window's end, the one-time
 * notification tokens (spent when a message using one is accepted) and the recurring subscriptions
 * by token. Thread-safe: the Kafka reader applies events while the server judges.
 */
public final class Referee {

  static final Duration WINDOW = Duration.ofHours(24);
  static final Duration CTM_AD_WINDOW = Duration.ofDays(7);
  static final Duration HUMAN_AGENT = Duration.ofDays(7);
  static final Duration OTN_VALIDITY = Duration.ofDays(365);

  /** From this instant the three update tags are retired (spec, "Policy timeline"). */
  static final Instant UPDATE_TAGS_RETIRED = Instant.parse("2026-04-27T00:00:00Z");

  /** From this instant recurring subscriptions no longer expire by their frequency's months. */
  static final Instant DERIVED_EXPIRY_ENDED = Instant.parse("2023-08-10T00:00:00Z");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Waits for the reader to reach the end of the topic; absent without a reader. */
  interface CatchUp {
    void await(Duration max);
  }

  private record Key(String account, String id) {}

  private record TopicKey(String account, String user, String topic) {}

  private static final class User {
    String channel;
    Instant lastInteraction;
    Instant windowEnd;
  }

  private static final class OtnToken {
    final String user;
    final Instant grantedAt;
    boolean spent;

    OtnToken(String user, Instant grantedAt) {
      this.user = user;
      this.grantedAt = grantedAt;
    }
  }

  private static final class Subscription {
    String token;
    String frequency;
    Instant optedInAt;
    Instant expiresAt;
    boolean stopped;
    // Opt-ins and STOP/RESUME compete by time: the latest wins.
    Instant changedAt;
  }

  private final Map<Key, User> users = new HashMap<>();
  private final Map<Key, OtnToken> otnTokens = new HashMap<>();
  private final Map<Key, TopicKey> recurringTokens = new HashMap<>();
  private final Map<TopicKey, Subscription> subscriptions = new HashMap<>();
  private final Duration catchUpWait;
  private volatile CatchUp catchUp;
  private long applied;

  Referee(Duration catchUpWait) {
    this.catchUpWait = catchUpWait;
  }

  void attach(CatchUp catchUp) {
    this.catchUp = catchUp;
  }

  /**
   * Applies one user-event line (spec/EVENTS.md, "User events"). A line it cannot read, or an event
   * that does not concern the platform's checks (tags, consent, delivery feedback, erasure: the
   * platform forgets nothing when Herald erases), changes nothing.
   */
  public void accept(String json) {
    JsonNode event;
    Instant at;
    try {
      event = JSON.readTree(json);
      if (event == null || !event.isObject()) {
        return;
      }
      at = instant(event.get("at"));
    } catch (Exception unreadable) {
      return;
    }
    String type = string(event, "type");
    String account = string(event, "account");
    String user = string(event, "user");
    if (type == null || at == null || account == null || user == null) {
      return;
    }
    synchronized (this) {
      applied++;
      switch (type) {
        case "interaction" -> interaction(account, user, string(event, "channel"), event, at);
        case "otn_optin" -> otnOptIn(account, user, event, at);
        case "recurring_optin" -> recurringOptIn(account, user, event, at);
        case "recurring_status" -> recurringStatus(account, user, event, at);
        default -> applied--;
      }
    }
  }

  /** How many events changed the model so far (for a reader's progress and for tests). */
  public synchronized long applied() {
    return applied;
  }

  private void interaction(String account, String user, String channel, JsonNode e, Instant at) {
    User u = users.computeIfAbsent(new Key(account, user), k -> new User());
    if (channel != null) {
      u.channel = channel;
    }
    // A click-to-Messenger ad opens a week, on Messenger only.
    Duration open =
        "ctm_ad".equals(string(e, "kind")) && "messenger".equals(channel) ? CTM_AD_WINDOW : WINDOW;
    u.lastInteraction = latest(u.lastInteraction, at);
    u.windowEnd = latest(u.windowEnd, at.plus(open));
  }

  private void otnOptIn(String account, String user, JsonNode e, Instant at) {
    String token = string(e, "token");
    if (token == null || string(e, "topic") == null) {
      return;
    }
    Key key = new Key(account, token);
    OtnToken held = otnTokens.get(key);
    if (held != null && !held.spent) {
      return; // a token already held unspent is not granted twice
    }
    otnTokens.put(key, new OtnToken(user, at));
  }

  private void recurringOptIn(String account, String user, JsonNode e, Instant at) {
    String topic = string(e, "topic");
    String token = string(e, "token");
    String frequency = string(e, "frequency");
    if (topic == null || token == null || frequency == null) {
      return;
    }
    Instant expiresAt;
    try {
      expiresAt = instant(e.get("expiresAt"));
    } catch (Exception unreadable) {
      return;
    }
    TopicKey key = new TopicKey(account, user, topic);
    Subscription s = subscriptions.computeIfAbsent(key, k -> new Subscription());
    if (s.changedAt != null && at.isBefore(s.changedAt)) {
      return;
    }
    s.token = token;
    s.frequency = frequency;
    s.optedInAt = at;
    s.expiresAt = expiresAt;
    s.stopped = false;
    s.changedAt = at;
    recurringTokens.put(new Key(account, token), key);
  }

  private void recurringStatus(String account, String user, JsonNode e, Instant at) {
    Subscription s = subscriptions.get(new TopicKey(account, user, string(e, "topic")));
    String status = string(e, "status");
    if (s == null || at.isBefore(s.changedAt)) {
      return;
    }
    if ("STOP".equals(status) || "RESUME".equals(status)) {
      s.stopped = status.equals("STOP");
      s.changedAt = at;
    }
  }

  /**
   * The user a call goes to: its recipient id, or the owner of its token; {@code null} for a token
   * the referee does not know.
   */
  synchronized String userOf(SendCall call) {
    if (call.user() != null) {
      return call.user();
    }
    if (call.otnToken() != null) {
      OtnToken t = otnTokens.get(new Key(call.account(), call.otnToken()));
      return t == null ? null : t.user;
    }
    TopicKey sub = recurringTokens.get(new Key(call.account(), call.recurringToken()));
    return sub == null ? null : sub.user();
  }

  /** The user's last interaction, or {@code null}. */
  synchronized Instant lastInteraction(String account, String user) {
    User u = users.get(new Key(account, user));
    return u == null ? null : u.lastInteraction;
  }

  /** Judges {@code call} at {@code now} without changing anything. */
  synchronized Verdict judge(SendCall call, Instant now) {
    return call.api() == Api.WHATSAPP ? whatsapp(call, now) : messenger(call, now);
  }

  /**
   * Judges {@code call} at {@code now} and, when allowed, records its delivery: a one-time token is
   * spent. Called once the platform accepts the call.
   */
  synchronized Verdict deliver(SendCall call, Instant now) {
    Verdict verdict = judge(call, now);
    if (verdict.allowed() && call.otnToken() != null) {
      otnTokens.get(new Key(call.account(), call.otnToken())).spent = true;
    }
    return verdict;
  }

  /**
   * Before a rejection: lets the Kafka reader reach the end of the topic as it is now, since Herald
   * may have read an event a moment before the referee did. Returns at once without a reader.
   */
  void catchUp() {
    CatchUp c = catchUp;
    if (c != null && !catchUpWait.isZero()) {
      c.await(catchUpWait);
    }
  }

  private Verdict whatsapp(SendCall call, Instant now) {
    if (call.template()) {
      return Verdict.ALLOW; // approved templates go out at any time
    }
    return windowOpen(call.account(), call.user(), now) ? Verdict.ALLOW : Verdict.reEngagement();
  }

  private Verdict messenger(SendCall call, Instant now) {
    if (call.otnToken() != null) {
      OtnToken t = otnTokens.get(new Key(call.account(), call.otnToken()));
      if (t == null) {
        return Verdict.outsideWindow("Unknown one-time notification token.");
      }
      if (t.spent) {
        return Verdict.outsideWindow("The one-time notification token was already used.");
      }
      if (!now.isBefore(t.grantedAt.plus(OTN_VALIDITY))) {
        return Verdict.outsideWindow("The one-time notification token has expired.");
      }
      return Verdict.ALLOW;
    }
    if (call.recurringToken() != null) {
      return recurring(call, now);
    }
    String account = call.account();
    String user = call.user();
    if (call.optInRequest()) {
      return windowOpen(account, user, now)
          ? Verdict.ALLOW
          : Verdict.outsideWindow("An opt-in request needs the standard messaging window.");
    }
    if (!"MESSAGE_TAG".equals(call.messagingType())) {
      return windowOpen(account, user, now)
          ? Verdict.ALLOW
          : Verdict.outsideWindow("The standard messaging window is closed.");
    }
    User u = users.get(new Key(account, user));
    if ("HUMAN_AGENT".equals(call.tag())) {
      boolean open = u != null && now.isBefore(u.lastInteraction.plus(HUMAN_AGENT));
      return open
          ? Verdict.ALLOW
          : Verdict.outsideWindow("HUMAN_AGENT needs an interaction within 7 days.");
    }
    if (u != null && "instagram".equals(u.channel)) {
      return Verdict.tagNotAllowed("Instagram allows only the HUMAN_AGENT tag.");
    }
    if (!now.isBefore(UPDATE_TAGS_RETIRED)) {
      return Verdict.tagNotAllowed(
          "The tag " + call.tag() + " is no longer supported since " + UPDATE_TAGS_RETIRED + ".");
    }
    return Verdict.ALLOW;
  }

  private Verdict recurring(SendCall call, Instant now) {
    TopicKey key = recurringTokens.get(new Key(call.account(), call.recurringToken()));
    Subscription s = key == null ? null : subscriptions.get(key);
    if (s == null || !s.token.equals(call.recurringToken())) {
      return Verdict.outsideWindow("Unknown or replaced recurring notification token.");
    }
    if (s.stopped) {
      return Verdict.outsideWindow("The user stopped this recurring notification.");
    }
    if (s.expiresAt != null && !now.isBefore(s.expiresAt)) {
      return Verdict.outsideWindow("The recurring notification token has expired.");
    }
    if (s.expiresAt == null && now.isBefore(DERIVED_EXPIRY_ENDED)) {
      Instant derived = derivedExpiry(s);
      if (derived != null && !now.isBefore(derived)) {
        return Verdict.outsideWindow("The recurring notification subscription has expired.");
      }
    }
    return Verdict.ALLOW;
  }

  /** Before 2023-08-10 a subscription lasted 6, 9 or 12 calendar months by its frequency. */
  private static Instant derivedExpiry(Subscription s) {
    int months =
        switch (s.frequency) {
          case "DAILY" -> 6;
          case "WEEKLY" -> 9;
          case "MONTHLY" -> 12;
          default -> 0;
        };
    if (months == 0) {
      return null;
    }
    return s.optedInAt.atOffset(ZoneOffset.UTC).plusMonths(months).toInstant();
  }

  private boolean windowOpen(String account, String user, Instant now) {
    User u = users.get(new Key(account, user));
    return u != null && now.isBefore(u.windowEnd);
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  private static String string(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isTextual() ? null : value.asText();
  }

  /** An RFC 3339 instant with any offset, to the millisecond; {@code null} when absent. */
  private static Instant instant(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return OffsetDateTime.parse(value.asText()).toInstant().truncatedTo(ChronoUnit.MILLIS);
  }
}
