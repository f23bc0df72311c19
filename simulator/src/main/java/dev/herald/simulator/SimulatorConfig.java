package dev.herald.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a {@link ChannelSimulator} behaves: where it listens, the platforms' delivery limits, the
 * access tokens it demands, where its referee reads user events, and the clock it judges by. Build
 * one with {@link #builder()}; a bad combination fails at construction with a message that names
 * the setting.
 *
 * @param port the TCP port on 127.0.0.1; 0 picks a free one
 * @param clock the clock every limit and every referee judgement reads (tests pass a controllable
 *     one)
 * @param messengerPerSecond accepted calls per account in any one second on the Messenger API
 *     (Messenger and Instagram accounts)
 * @param whatsappPerSecond accepted calls per account in any one second on the WhatsApp API
 * @param accountPerSecond per-account overrides of the two limits above
 * @param pairInterval the least time between two accepted WhatsApp messages to one user
 * @param tokens the access token each account demands; an account not listed demands none
 * @param userEventsBootstrapServers the Kafka cluster the referee reads; {@code null}: no reader
 * @param userEventsTopic the user-events topic; {@code null} exactly when there is no reader
 * @param catchUpWait how long the referee may wait for its reader before it rejects a message
 * @param seed the seed of the random fault injection, so that a run can be repeated
 * @param threads the HTTP server's worker threads
 */
public record SimulatorConfig(
    int port,
    Clock clock,
    int messengerPerSecond,
    int whatsappPerSecond,
    Map<String, Integer> accountPerSecond,
    Duration pairInterval,
    Map<String, String> tokens,
    String userEventsBootstrapServers,
    String userEventsTopic,
    Duration catchUpWait,
    long seed,
    int threads) {

  /** Messenger's and Instagram's send limit per page or account (spec, "Delivery limits"). */
  public static final int MESSENGER_PER_SECOND = 300;

  /** WhatsApp's limit per business phone number before an upgrade. */
  public static final int WHATSAPP_PER_SECOND = 80;

  /** WhatsApp's least interval between two messages to one user. */
  public static final Duration PAIR_INTERVAL = Duration.ofSeconds(6);

  /** The referee's default patience with its Kafka reader. */
  public static final Duration CATCH_UP_WAIT = Duration.ofSeconds(2);

  public SimulatorConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, not " + port);
    }
    Objects.requireNonNull(clock, "clock must be set (Clock.systemUTC() for real time)");
    requirePositive("messengerPerSecond", messengerPerSecond);
    requirePositive("whatsappPerSecond", whatsappPerSecond);
    accountPerSecond = Collections.unmodifiableMap(new TreeMap<>(accountPerSecond));
    accountPerSecond.forEach(
        (account, n) -> {
          requireAccount(account, "accountPerSecond");
          requirePositive("accountPerSecond for account " + account, n);
        });
    if (pairInterval == null || pairInterval.isNegative() || pairInterval.isZero()) {
      throw new IllegalArgumentException("pairInterval must be positive, not " + pairInterval);
    }
    tokens = Map.copyOf(tokens);
    tokens.forEach(
        (account, token) -> {
          requireAccount(account, "token");
          if (token == null || token.isBlank() || token.chars().anyMatch(Character::isWhitespace)) {
            // The token itself is never echoed: it is a secret.
            throw new IllegalArgumentException(
                "the token for account " + account + " must be non-empty and without spaces");
          }
        });
    if (userEventsBootstrapServers != null && userEventsBootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          "userEvents bootstrap servers must not be blank (null: no Kafka reader)");
    }
    if ((userEventsBootstrapServers == null) != (userEventsTopic == null)
        || (userEventsTopic != null && userEventsTopic.isBlank())) {
      throw new IllegalArgumentException(
          "userEvents needs both bootstrap servers and a topic, or neither (events then come only"
              + " through referee().accept)");
    }
    if (catchUpWait == null || catchUpWait.isNegative()) {
      throw new IllegalArgumentException(
          "catchUpWait must be zero or positive, not " + catchUpWait);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether the referee reads user events from Kafka. */
  public boolean readsUserEvents() {
    return userEventsTopic != null;
  }

  /** The throughput limit of {@code account} on {@code api}. */
  int perSecond(String account, Api api) {
    Integer own = accountPerSecond.get(account);
    if (own != null) {
      return own;
    }
    return api == Api.WHATSAPP ? whatsappPerSecond : messengerPerSecond;
  }

  /** The token {@code account} demands, or {@code null}. */
  String tokenOf(String account) {
    return tokens.get(account);
  }

  /** Names the accounts that demand a token, never the tokens. */
  @Override
  public String toString() {
    return "SimulatorConfig[port="
        + port
        + ", clock="
        + clock
        + ", messengerPerSecond="
        + messengerPerSecond
        + ", whatsappPerSecond="
        + whatsappPerSecond
        + ", accountPerSecond="
        + accountPerSecond
        + ", pairInterval="
        + pairInterval
        + ", tokens for accounts="
        + new TreeMap<>(tokens).keySet()
        + ", userEventsBootstrapServers="
        + userEventsBootstrapServers
        + ", userEventsTopic="
        + userEventsTopic
        + ", catchUpWait="
        + catchUpWait
        + ", seed="
        + seed
        + ", threads="
        + threads
        + "]";
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }

  private static void requireAccount(String account, String setting) {
    if (account == null || account.isBlank()) {
      throw new IllegalArgumentException(setting + " needs a non-blank account");
    }
  }

  /** Builds a {@link SimulatorConfig}; every setting has the platforms' default. */
  public static final class Builder {
    private int port;
    private Clock clock = Clock.systemUTC();
    private int messengerPerSecond = MESSENGER_PER_SECOND;
    private int whatsappPerSecond = WHATSAPP_PER_SECOND;
    private final Map<String, Integer> accountPerSecond = new TreeMap<>();
    private Duration pairInterval = PAIR_INTERVAL;
    private final Map<String, String> tokens = new TreeMap<>();
    private String userEventsBootstrapServers;
    private String userEventsTopic;
    private Duration catchUpWait = CATCH_UP_WAIT;
    private long seed = 42;
    private int threads = 32;

    private Builder() {}

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder messengerPerSecond(int n) {
      this.messengerPerSecond = n;
      return this;
    }

    public Builder whatsappPerSecond(int n) {
      this.whatsappPerSecond = n;
      return this;
    }

    /** Overrides the channel's limit for one account (a WhatsApp number after an upgrade). */
    public Builder accountPerSecond(String account, int n) {
      accountPerSecond.put(account, n);
      return this;
    }

    public Builder pairInterval(Duration interval) {
      this.pairInterval = interval;
      return this;
    }

    /**
     * Demands {@code Authorization: Bearer token} on every call to {@code account}; other calls get
     * error 190.
     */
    public Builder token(String account, String token) {
      if (account == null) {
        throw new IllegalArgumentException("token needs a non-blank account");
      }
      tokens.put(account, token);
      return this;
    }

    /** Feeds the referee from this topic; {@code null}s: no reader. */
    public Builder userEvents(String bootstrapServers, String topic) {
      this.userEventsBootstrapServers = bootstrapServers;
      this.userEventsTopic = topic;
      return this;
    }

    public Builder catchUpWait(Duration wait) {
      this.catchUpWait = wait;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public SimulatorConfig build() {
      return new SimulatorConfig(
          port,
          clock,
          messengerPerSecond,
          whatsappPerSecond,
          accountPerSecond,
          pairInterval,
          tokens,
          userEventsBootstrapServers,
          userEventsTopic,
          catchUpWait,
          seed,
          threads);
    }
  }
}
