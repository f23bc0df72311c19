package dev.herald.bench.micro;

import dev.herald.bench.Population;
import dev.herald.policy.UserStates;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.UserRecord;
import dev.herald.state.UserState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The micro-benchmarks' subject: one user of {@link Population} (a six-digit id, like most of a
 * million users), their four events as raw JSON, and their state as the job keeps it after them,
 * built by the job's own code ({@link RecordCodec}, {@link UserStates}).
 */
final class TypicalUser {

  /** Which user of a million: a six-digit id, carrying the tag {@code match}. */
  static final int INDEX = 123_456;

  private static final Population POPULATION = new Population(1_000_000);

  /**
   * The campaign decided in the policy benchmarks: the population's audience ({@code match}), and a
   * one-time-notification fallback on the topic the user holds a token for.
   */
  static final String CAMPAIGN =
      "{\"type\":\"campaign\",\"id\":\"restock\",\"at\":\""
          + Population.START
          + "\",\"channel\":\"messenger\",\"account\":\""
          + Population.ACCOUNT
          + "\",\"audience\":{\"allTags\":[\""
          + Population.MATCH_TAG
          + "\"]},\"outsideWindow\":\"OTN\",\"topic\":\"restock\","
          + "\"message\":{\"text\":\"Back in stock\",\"resumeAt\":\"breadcrumb\"}}";

  /** Inside the user's 24-hour window: the campaign's start. */
  static final Instant IN_WINDOW = Population.START;

  /** Two days later: outside the window, inside the OTN token's validity. */
  static final Instant OUTSIDE_WINDOW = Population.START.plus(Duration.ofDays(2));

  private TypicalUser() {}

  /** The user's four events as written on the topic: interaction, tag, OTN opt-in, recurring. */
  static List<byte[]> rawEvents() {
    List<byte[]> raw = new ArrayList<>();
    POPULATION.userEvents(INDEX, json -> raw.add(json.getBytes(StandardCharsets.UTF_8)));
    return raw;
  }

  static UserKey key() {
    return events().get(0).key();
  }

  static List<UserEvent> events() {
    List<UserEvent> events = new ArrayList<>();
    for (byte[] raw : rawEvents()) {
      events.add(ok(RecordCodec.parseUserEvent(raw)));
    }
    return events;
  }

  /** The user's state after their four events, as the operator applies them. */
  static UserState state() {
    UserState s = null;
    for (UserEvent e : events()) {
      s = UserStates.apply(s, e);
    }
    return s;
  }

  /** What the job stores for the user once their events are applied and nothing is pending. */
  static UserRecord record() {
    return new UserRecord(state(), List.of(), List.of(), null);
  }

  static Campaign campaign() {
    return (Campaign) ok(RecordCodec.parseControl(CAMPAIGN));
  }

  private static <T> T ok(Parsed<T> p) {
    if (!p.isOk()) {
      throw new IllegalStateException("the typical user's record is invalid: " + p.reason());
    }
    return p.value();
  }
}
