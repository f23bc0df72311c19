package dev.herald.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.bench.Population;
import dev.herald.policy.FrequencyCap;
import dev.herald.policy.Policy;
import dev.herald.policy.PolicyConfig;
import dev.herald.policy.PolicyTimeline;
import dev.herald.policy.UserStates;
import dev.herald.reference.ReferenceEngine;
import dev.herald.schema.Basis;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.Decision;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Outcome;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.SkipReason;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.UserState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The peer must be right, not only fast: on a real PostgreSQL (started here, as the benchmark
 * starts it), the users it stores are the states Herald's {@link UserStates} computes from the same
 * events, and its decisions are those of Herald's {@link ReferenceEngine} on the same events and
 * campaigns, outcome, basis, reason, token, variant and all, with both ways of ingesting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresPeerITCase {

  private static final Instant T0 = Population.T0;

  private PostgresServer server;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(
        PostgresServer.binaries().isPresent(),
        "skipped: " + PostgresServer.INSTALL_HINT + " (Debian package postgresql)");
    server = PostgresServer.start(false);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(PeerIngest.Mode.class)
  void theBenchmarkCampaignIsDecidedAsHeraldDecidesIt(PeerIngest.Mode mode) throws Exception {
    List<String> events = population(300);
    events.add(user("optout", 0, T0.plusSeconds(1800), ",\"category\":\"MARKETING\""));
    events.add(failed(2, T0.plusSeconds(2400), 551));
    events.add(user("erase", 4, T0.plusSeconds(3000), ""));
    events.add(user("tag", 6, T0.plusSeconds(3000), ",\"remove\":[\"match\"]"));
    events.add(user("tag", 8, T0.plusSeconds(3000), ",\"remove\":[\"match\"]"));
    events.add(user("tag", 8, T0.plusSeconds(3060), ",\"add\":[\"match\"]"));
    events.add(failed(10, T0.plusSeconds(2400), 551));
    events.add(user("interaction", 10, T0.plusSeconds(3300), ""));
    events.add(user("optout", 12, T0.plusSeconds(1800), ""));
    events.add(user("optin", 12, T0.plusSeconds(1900), ",\"category\":\"MARKETING\""));
    events.add(user("tag", 1, T0.plusSeconds(3000), ",\"add\":[\"match\"]"));
    events.add(failed(14, T0.plusSeconds(3500), 131050)); // a WhatsApp code: no effect here

    List<Decision> herald = compare(events, List.of(Population.campaign("c1", START, 0)), mode);

    assertThat(herald).hasSize(149); // 150 matching, u-4 erased, u-6 left, u-1 joined
    assertThat(reasons(herald))
        .containsEntry("u-0", SkipReason.OPTED_OUT)
        .containsEntry("u-2", SkipReason.UNREACHABLE)
        .doesNotContainKeys("u-4", "u-6", "u-8", "u-10", "u-12", "u-1");
    assertThat(users(herald)).contains("u-8", "u-10", "u-12", "u-1").doesNotContain("u-4", "u-6");
  }

  private static final Instant START = Population.START;

  @ParameterizedTest
  @EnumSource(PeerIngest.Mode.class)
  void tokensSlotsRequestsAndCappedSendsAreSpentWithTheirDecisions(PeerIngest.Mode mode)
      throws Exception {
    Policy capped =
        new Policy(
            PolicyTimeline.standard(), new PolicyConfig(new FrequencyCap(3, Duration.ofDays(7))));
    Instant day2 = T0.plus(Duration.ofDays(2));
    Instant day3 = T0.plus(Duration.ofDays(3));
    List<String> campaigns =
        List.of(
            campaign(
                "ask-1",
                START,
                "match",
                ",\"kind\":\"optin_request\",\"topic\":\"news\",\"frequency\":\"WEEKLY\""),
            campaign(
                "ask-2",
                START.plusSeconds(600),
                "match",
                ",\"kind\":\"optin_request\",\"topic\":\"news\",\"frequency\":\"WEEKLY\""),
            campaign("otn-1", day2, "match", ",\"outsideWindow\":\"OTN\",\"topic\":\"restock\""),
            campaign(
                "rn-1",
                day2.plusSeconds(3600),
                "vip",
                ",\"outsideWindow\":\"RECURRING\",\"topic\":\"weekly-deals\""),
            campaign("otn-2", day3, "started", ",\"outsideWindow\":\"OTN\",\"topic\":\"restock\""),
            campaign(
                "rn-2",
                day3.plusSeconds(3600),
                "started",
                ",\"outsideWindow\":\"RECURRING\",\"topic\":\"weekly-deals\""),
            campaign(
                "rn-3",
                day3.plus(Duration.ofDays(1)),
                "started",
                ",\"outsideWindow\":\"RECURRING\",\"topic\":\"weekly-deals\""));

    List<Decision> herald = compare(population(120), campaigns, mode, capped);

    Map<String, Long> counts =
        herald.stream()
            .collect(
                Collectors.groupingBy(
                    d ->
                        d.campaign() + " " + (d.outcome() == Outcome.SEND ? d.basis() : d.reason()),
                    TreeMap::new,
                    Collectors.counting()));
    assertThat(counts)
        .containsEntry("ask-1 " + Basis.STANDARD_WINDOW, 60L)
        .containsEntry("ask-2 " + SkipReason.REQUEST_LIMIT_TOPIC, 60L)
        .containsEntry("otn-1 " + Basis.OTN, 60L)
        .containsEntry("rn-1 " + Basis.RECURRING, 60L)
        .containsEntry("otn-2 " + SkipReason.NO_TOKEN, 60L)
        .containsEntry("otn-2 " + Basis.OTN, 60L)
        .containsEntry("rn-2 " + Basis.RECURRING, 60L)
        .containsEntry("rn-2 " + SkipReason.TOO_SOON, 60L)
        .containsEntry("rn-3 " + SkipReason.FREQUENCY_CAPPED, 60L)
        .containsEntry("rn-3 " + SkipReason.TOO_SOON, 60L)
        .hasSize(10);
  }

  @ParameterizedTest
  @EnumSource(PeerIngest.Mode.class)
  void storedUsersAreTheStatesHeraldComputes(PeerIngest.Mode mode) throws Exception {
    List<String> events = new ArrayList<>();
    Instant t = T0;
    for (int u = 0; u < 8; u++) {
      events.add(
          user(
              "interaction",
              u,
              t,
              ",\"interaction\":\"/a\",\"breadcrumb\":true,\"kind\":\"ctm_ad\""));
      events.add(user("tag", u, t.plusSeconds(1), ",\"add\":[\"a\",\"b\",\"c\"]"));
      events.add(user("tag", u, t.plusSeconds(2), ",\"add\":[\"d\"],\"remove\":[\"a\",\"d\"]"));
      events.add(
          user(
              "otn_optin",
              u,
              t.plusSeconds(3),
              ",\"topic\":\"restock\",\"token\":\"tk-" + u + "\""));
      events.add(
          user(
              "otn_optin", u, t.plusSeconds(3), ",\"topic\":\"other\",\"token\":\"tk-" + u + "\""));
      events.add(
          user(
              "otn_optin",
              u,
              t.plusSeconds(3),
              ",\"topic\":\"other\",\"token\":\"tk2-" + u + "\""));
      events.add(
          user(
              "recurring_optin",
              u,
              t.plusSeconds(4),
              ",\"topic\":\"weekly\",\"token\":\"rn-"
                  + u
                  + "\",\"frequency\":\"WEEKLY\",\"expiresAt\":\"2027-01-01T00:00:00Z\""));
      events.add(
          user(
              "recurring_optin",
              u,
              t.plusSeconds(4),
              ",\"topic\":\"daily\",\"token\":\"rd-" + u + "\",\"frequency\":\"DAILY\""));
      events.add(
          user(
              "recurring_status",
              u,
              t.plusSeconds(5),
              ",\"topic\":\"weekly\",\"status\":\"STOP\""));
      events.add(
          user("recurring_status", u, t.plusSeconds(5), ",\"topic\":\"none\",\"status\":\"STOP\""));
      events.add(user("optin_request", u, t.plusSeconds(6), ",\"topic\":\"news\""));
      events.add(user("optin_request", u, t.plusSeconds(6), ",\"topic\":\"deals\""));
      events.add(user("optout", u, t.plusSeconds(7), ""));
      events.add(user("optin", u, t.plusSeconds(8), ",\"category\":\"UTILITY\""));
      events.add(failed(u, t.plusSeconds(9), 551));
      events.add(user("interaction", u, t.plusSeconds(10), ",\"interaction\":\"/b\""));
      t = t.plusSeconds(60);
    }
    events.add(failed(0, t.plusSeconds(9), 551)); // unreachable since, after the interaction
    events.add(user("erase", 1, t, ""));
    events.add(user("erase", 2, t, ""));
    events.add(user("optin", 2, t.plusSeconds(1), "")); // known again, with nothing else
    events.add(user("recurring_status", 3, t, ",\"topic\":\"weekly\",\"status\":\"RESUME\""));
    events.add(user("interaction", 4, T0, ",\"interaction\":\"/old\",\"breadcrumb\":true"));
    events.add(failed(5, t, 368)); // blocked from messaging: no change to the user
    events.add(user("delivery", 6, t, ",\"status\":\"delivered\""));

    Map<UserKey, UserState> herald = new TreeMap<>(Comparator.comparing(UserKey::user));
    List<UserEvent> parsed = new ArrayList<>();
    for (String e : events) {
      UserEvent ue = RecordCodec.parseUserEvent(e).value();
      parsed.add(ue);
      UserState after = UserStates.apply(herald.get(ue.key()), ue);
      if (after == null) {
        herald.remove(ue.key());
      } else {
        herald.put(ue.key(), after);
      }
    }
    try (Connection c = server.connect()) {
      PeerSchema.reset(c);
      PeerIngest.apply(c, parsed, mode, 7);
      Map<UserKey, UserState> peer = new TreeMap<>(Comparator.comparing(UserKey::user));
      Campaign everyone =
          (Campaign)
              RecordCodec.parseControl(
                      "{\"type\":\"campaign\",\"id\":\"all\",\"at\":\""
                          + t
                          + "\",\"channel\":\"messenger\",\"account\":\"page-1\","
                          + "\"message\":{\"text\":\"x\"}}")
                  .value();
      c.setAutoCommit(false);
      try (PreparedStatement ps = UserRows.audience(c, everyone, 0, 1);
          ResultSet rs = ps.executeQuery()) {
        UserRows.Cursor users = new UserRows.Cursor(rs, everyone);
        while (users.next()) {
          peer.put(users.key(), users.state());
        }
      }
      c.commit();
      assertThat(peer).isEqualTo(herald);
    }
    assertThat(herald).containsKey(key(2)).doesNotContainKey(key(1)); // erased, and known again
  }

  @Test
  void theBenchmarkPrintsItsFigures() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PostgresPeerBench.run(
        PostgresPeerBench.Options.parse(new String[] {"--users", "300", "--runs", "1"}),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("FIGURE postgres-ingest-upsert: median")
        .contains("FIGURE postgres-ingest-copy-merge: median")
        .contains("FIGURE postgres-decisions: median")
        .contains("FIGURE postgres-campaign: median");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("150 decisions (150 sends)");
  }

  // ------------------------------------------------------------------ comparing with Herald

  private List<Decision> compare(List<String> events, List<String> campaigns, PeerIngest.Mode mode)
      throws Exception {
    return compare(
        events, campaigns, mode, new Policy(PolicyTimeline.standard(), PolicyConfig.DEFAULT));
  }

  /** Herald's decisions, after checking that the peer made the same ones. */
  private List<Decision> compare(
      List<String> events, List<String> campaigns, PeerIngest.Mode mode, Policy policy)
      throws Exception {
    List<InputRecord> records = new ArrayList<>();
    List<UserEvent> userEvents = new ArrayList<>();
    for (String e : events) {
      UserEvent ue = RecordCodec.parseUserEvent(e).value();
      records.add(ue);
      userEvents.add(ue);
    }
    List<Campaign> parsed = new ArrayList<>();
    for (String c : campaigns) {
      Campaign campaign = (Campaign) RecordCodec.parseControl(c).value();
      records.add(campaign);
      parsed.add(campaign);
    }
    List<Decision> herald = new ArrayList<>(ReferenceEngine.run(records, policy).decisions());

    List<Decision> peer = new ArrayList<>();
    try (Connection c = server.connect()) {
      PeerSchema.reset(c);
      PeerIngest.apply(c, userEvents, mode, 97); // batches cut through users' events
      for (Campaign campaign : parsed) { // in the order they start
        PeerCampaign.Result r = PeerCampaign.run(server, campaign, policy, 2, 13, 17, true);
        assertThat(r.decisions()).isLessThanOrEqualTo(r.audience());
      }
      for (Campaign campaign : parsed) {
        peer.addAll(PeerCampaign.decisions(c, campaign.id()));
      }
    }
    Comparator<Decision> order =
        Comparator.comparing(Decision::campaign).thenComparing(d -> d.user().user());
    herald.sort(order);
    peer.sort(order);
    assertThat(herald).isNotEmpty();
    assertThat(peer).containsExactlyElementsOf(herald);
    return herald;
  }

  // ------------------------------------------------------------------ inputs

  private static List<String> population(int users) {
    List<String> events = new ArrayList<>();
    new Population(users).forEach(events::add);
    return events;
  }

  private static String user(String type, int user, Instant at, String fields) {
    return "{\"type\":\""
        + type
        + "\",\"at\":\""
        + at
        + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\"u-"
        + user
        + "\""
        + fields
        + "}";
  }

  private static String failed(int user, Instant at, int code) {
    return user("delivery", user, at, ",\"status\":\"failed\",\"error\":{\"code\":" + code + "}");
  }

  private static String campaign(String id, Instant at, String tag, String fields) {
    return "{\"type\":\"campaign\",\"id\":\""
        + id
        + "\",\"at\":\""
        + at
        + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"audience\":{\"allTags\":[\""
        + tag
        + "\"]},\"message\":{\"text\":\"Back\",\"resumeAt\":\"BREADCRUMB\","
        + "\"variants\":[{\"name\":\"red\",\"whenTags\":[\"match\"],\"text\":\"Red\"}]}"
        + fields
        + "}";
  }

  private static UserKey key(int user) {
    return new UserKey(dev.herald.schema.Channel.MESSENGER, "page-1", "u-" + user);
  }

  private static Map<String, SkipReason> reasons(List<Decision> ds) {
    Map<String, SkipReason> out = new HashMap<>();
    for (Decision d : ds) {
      if (d.outcome() == Outcome.SKIP) {
        out.put(d.user().user(), d.reason());
      }
    }
    return out;
  }

  private static List<String> users(List<Decision> ds) {
    return ds.stream().map(d -> d.user().user()).toList();
  }
}
