package dev.herald.bench;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * The benchmarks' users: {@code n} users on one Messenger page, written as the user events of
 * EVENTS.md, the same for every figure and for the database-backed peer.
 *
 * <p>A typical user has four events, at four distinct instants within the hour after {@link #T0}:
 * an interaction with a breadcrumb, a tag event adding three tags, a one-time-notification opt-in
 * and a recurring opt-in. Every second user ({@code i} even) carries the tag {@link #MATCH_TAG}, so
 * that a campaign with {@code audience.allTags = [match]} takes half of them. The campaign starts
 * at {@link #START}, inside every user's 24-hour window.
 */
public final class Population {

  /** The first event. */
  public static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

  /** When the benchmark campaign starts: an hour after the last event. */
  public static final Instant START = T0.plusSeconds(2 * 3600);

  public static final String ACCOUNT = "page-1";

  /** The tag every second user has. */
  public static final String MATCH_TAG = "match";

  public static final int EVENTS_PER_USER = 4;

  private final int users;
  private final Instant t0;

  public Population(int users) {
    this(users, T0);
  }

  /**
   * A population whose first event is at {@code t0} instead of {@link #T0}: for live mode, where
   * the users must be inside their 24-hour window at the wall clock's now.
   */
  public Population(int users, Instant t0) {
    if (users < 1) {
      throw new IllegalArgumentException("users: must be at least 1, was " + users);
    }
    this.users = users;
    this.t0 = t0;
  }

  /** The first event's instant. */
  public Instant t0() {
    return t0;
  }

  /** The last event's instant: the last user's fourth event. */
  public Instant lastAt() {
    return firstAt(users - 1).plusMillis(EVENTS_PER_USER - 1);
  }

  public int users() {
    return users;
  }

  public long events() {
    return (long) users * EVENTS_PER_USER;
  }

  /** How many users a campaign on {@link #MATCH_TAG} takes. */
  public int matching() {
    return (users + 1) / 2;
  }

  public static String user(int i) {
    return "u-" + i;
  }

  /**
   * The Kafka key of user {@code i}'s events on {@code user-events}: {@code channel/account/user}.
   */
  public static String key(int i) {
    return "messenger/" + ACCOUNT + "/" + user(i);
  }

  /** The user's first event instant: users spread evenly over the hour after {@link #t0}. */
  public Instant firstAt(int i) {
    return t0.plusMillis((long) i * 3_600_000L / users);
  }

  /**
   * The events in the order they are written: user by user (users' events interleave in time only
   * within a millisecond's neighbourhood, as on a busy topic).
   */
  public void forEach(Consumer<String> sink) {
    for (int i = 0; i < users; i++) {
      userEvents(i, sink);
    }
  }

  /** The four events of user {@code i}. */
  public void userEvents(int i, Consumer<String> sink) {
    String head =
        "\"channel\":\"messenger\",\"account\":\"" + ACCOUNT + "\",\"user\":\"u-" + i + "\"";
    Instant at = firstAt(i);
    sink.accept(
        "{\"type\":\"interaction\",\"at\":\""
            + at
            + "\","
            + head
            + ",\"interaction\":\"/shop/red-wine\",\"breadcrumb\":true}");
    String tags =
        i % 2 == 0
            ? "\"started\",\"red-wine\",\"" + MATCH_TAG + "\""
            : "\"started\",\"red-wine\",\"vip\"";
    sink.accept(
        "{\"type\":\"tag\",\"at\":\""
            + at.plusMillis(1)
            + "\","
            + head
            + ",\"add\":["
            + tags
            + "]}");
    sink.accept(
        "{\"type\":\"otn_optin\",\"at\":\""
            + at.plusMillis(2)
            + "\","
            + head
            + ",\"topic\":\"restock\",\"token\":\"otn-"
            + Integer.toHexString(i * 2654435761L > 0 ? i : -i)
            + "-AbCdEf0123\"}");
    sink.accept(
        "{\"type\":\"recurring_optin\",\"at\":\""
            + at.plusMillis(3)
            + "\","
            + head
            + ",\"topic\":\"weekly-deals\",\"token\":\"rn-"
            + i
            + "\",\"frequency\":\"WEEKLY\"}");
  }

  /**
   * The benchmark campaign: half the users ({@link #MATCH_TAG}), inside the window, no rate unless
   * {@code rate} is positive.
   */
  public static String campaign(String id, Instant start, double rate) {
    return "{\"type\":\"campaign\",\"id\":\""
        + id
        + "\",\"at\":\""
        + start
        + "\",\"channel\":\"messenger\",\"account\":\""
        + ACCOUNT
        + "\",\"audience\":{\"allTags\":[\""
        + MATCH_TAG
        + "\"]},\"message\":{\"text\":\"This week's deals\"}"
        + (rate > 0 ? ",\"rate\":" + rate : "")
        + "}";
  }
}
