package dev.herald.bench.peer;

import dev.herald.schema.Audience;
import dev.herald.schema.Channel;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.Frequency;
import dev.herald.schema.UserKey;
import dev.herald.schema.WireEnum;
import dev.herald.state.ConsentMark;
import dev.herald.state.OptinRequestMark;
import dev.herald.state.OtnToken;
import dev.herald.state.Subscription;
import dev.herald.state.UserState;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads users back as the policy sees them: the audience query of a campaign, and each of its rows
 * as a {@link UserState}. One query per campaign (and per worker's share of the users), streamed
 * with a cursor; a user's tokens, subscriptions and opt-in requests come along as arrays aggregated
 * per user, so that nothing is fetched user by user from the client.
 */
final class UserRows {

  private UserRows() {}

  private static final String SELECT =
      """
      SELECT u.user_id, u.last_interaction_at, u.last_ctm_ad_at, u.breadcrumb, u.breadcrumb_at,
        u.unreachable_since, u.tags, u.marketing_opt_in, u.marketing_at, u.utility_opt_in,
        u.utility_at, u.otn_topics, u.cap_sends,
        t.topics, t.tokens, t.created,
        s.topics, s.tokens, s.frequencies, s.opted_in, s.expires, s.stopped, s.status_at,
        s.last_sent,
        r.topics, r.ats
      FROM users u
      LEFT JOIN LATERAL (
        SELECT array_agg(topic ORDER BY created_at, seq) AS topics,
          array_agg(token ORDER BY created_at, seq) AS tokens,
          array_agg(created_at ORDER BY created_at, seq) AS created
        FROM otn_tokens t
        WHERE t.channel = u.channel AND t.account = u.account AND t.user_id = u.user_id) t ON true
      LEFT JOIN LATERAL (
        SELECT array_agg(topic ORDER BY topic) AS topics, array_agg(token ORDER BY topic) AS tokens,
          array_agg(frequency ORDER BY topic) AS frequencies,
          array_agg(opted_in_at ORDER BY topic) AS opted_in,
          array_agg(expires_at ORDER BY topic) AS expires,
          array_agg(stopped ORDER BY topic) AS stopped,
          array_agg(status_at ORDER BY topic) AS status_at,
          array_agg(last_sent_at ORDER BY topic) AS last_sent
        FROM subscriptions s
        WHERE s.channel = u.channel AND s.account = u.account AND s.user_id = u.user_id) s ON true
      LEFT JOIN LATERAL (
        SELECT array_agg(topic ORDER BY at, seq) AS topics, array_agg(at ORDER BY at, seq) AS ats
        FROM optin_requests r
        WHERE r.channel = u.channel AND r.account = u.account AND r.user_id = u.user_id) r ON true
      WHERE u.channel = ? AND u.account = ? AND u.tags @> ?::text[]""";

  /**
   * The campaign's audience as far as SQL can tell without the policy: channel, account and the tag
   * filters (the GIN index), the user list; {@code Audiences.matches} checks the rest (and all of
   * it again) per user. With {@code workers > 1}, the share of worker {@code worker}.
   */
  static PreparedStatement audience(Connection c, Campaign campaign, int worker, int workers)
      throws SQLException {
    Audience a = campaign.audience();
    StringBuilder sql = new StringBuilder(SELECT);
    if (!a.anyTags().isEmpty()) {
      sql.append(" AND u.tags && ?::text[]");
    }
    if (!a.noneTags().isEmpty()) {
      sql.append(" AND NOT (u.tags && ?::text[])");
    }
    if (!a.users().isEmpty()) {
      sql.append(" AND u.user_id = ANY(?::text[])");
    }
    if (workers > 1) {
      sql.append(" AND (hashtext(u.user_id) & 2147483647) % ? = ?");
    }
    PreparedStatement ps = c.prepareStatement(sql.toString());
    int i = 1;
    ps.setString(i++, campaign.channel().wire());
    ps.setString(i++, campaign.account());
    ps.setArray(i++, c.createArrayOf("text", a.allTags().toArray()));
    if (!a.anyTags().isEmpty()) {
      ps.setArray(i++, c.createArrayOf("text", a.anyTags().toArray()));
    }
    if (!a.noneTags().isEmpty()) {
      ps.setArray(i++, c.createArrayOf("text", a.noneTags().toArray()));
    }
    if (!a.users().isEmpty()) {
      ps.setArray(i++, c.createArrayOf("text", a.users().toArray()));
    }
    if (workers > 1) {
      ps.setInt(i++, workers);
      ps.setInt(i, worker);
    }
    return ps;
  }

  static UserKey key(ResultSet rs, Campaign campaign) throws SQLException {
    return new UserKey(campaign.channel(), campaign.account(), rs.getString(1));
  }

  /** The row's user as the policy sees it. */
  static UserState state(ResultSet rs) throws SQLException {
    UserState.Builder b =
        UserState.EMPTY.toBuilder()
            .lastInteractionAt(instant(rs, 2))
            .lastCtmAdAt(instant(rs, 3))
            .breadcrumb(rs.getString(4), instant(rs, 5))
            .unreachableSince(instant(rs, 6))
            .tags(strings(rs.getArray(7)))
            .marketing(consent(rs, 8))
            .utility(consent(rs, 10))
            .otnTopics(strings(rs.getArray(12)))
            .capSends(sorted(instants(rs.getArray(13))));
    List<String> topics = strings(rs.getArray(14));
    if (!topics.isEmpty()) {
      List<String> tokens = strings(rs.getArray(15));
      List<Instant> created = instants(rs.getArray(16));
      List<OtnToken> held = new ArrayList<>(topics.size());
      for (int i = 0; i < topics.size(); i++) {
        held.add(new OtnToken(topics.get(i), tokens.get(i), created.get(i)));
      }
      b.otnTokens(held);
    }
    List<String> subTopics = strings(rs.getArray(17));
    if (!subTopics.isEmpty()) {
      List<String> tokens = strings(rs.getArray(18));
      List<String> frequencies = strings(rs.getArray(19));
      List<Instant> optedIn = instants(rs.getArray(20));
      List<Instant> expires = instants(rs.getArray(21));
      Object[] stopped = (Object[]) rs.getArray(22).getArray();
      List<Instant> statusAt = instants(rs.getArray(23));
      List<Instant> lastSent = instants(rs.getArray(24));
      List<Subscription> subs = new ArrayList<>(subTopics.size());
      for (int i = 0; i < subTopics.size(); i++) {
        subs.add(
            new Subscription(
                subTopics.get(i),
                tokens.get(i),
                WireEnum.fromWire(Frequency.class, frequencies.get(i)),
                optedIn.get(i),
                expires.get(i),
                (Boolean) stopped[i],
                statusAt.get(i),
                lastSent.get(i)));
      }
      // Herald keeps them by topic in Java's order of strings
      subs.sort(Comparator.comparing(Subscription::topic));
      b.subscriptions(subs);
    }
    List<String> requestTopics = strings(rs.getArray(25));
    if (!requestTopics.isEmpty()) {
      List<Instant> ats = instants(rs.getArray(26));
      List<OptinRequestMark> marks = new ArrayList<>(requestTopics.size());
      for (int i = 0; i < requestTopics.size(); i++) {
        marks.add(new OptinRequestMark(requestTopics.get(i), ats.get(i)));
      }
      b.optinRequests(marks);
    }
    return b.build();
  }

  private static ConsentMark consent(ResultSet rs, int column) throws SQLException {
    boolean optIn = rs.getBoolean(column);
    return rs.wasNull() ? null : new ConsentMark(optIn, instant(rs, column + 1));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static List<String> strings(Array a) throws SQLException {
    if (a == null) {
      return List.of();
    }
    Object[] values = (Object[]) a.getArray();
    List<String> out = new ArrayList<>(values.length);
    for (Object v : values) {
      out.add((String) v);
    }
    return out;
  }

  private static List<Instant> instants(Array a) throws SQLException {
    if (a == null) {
      return List.of();
    }
    Object[] values = (Object[]) a.getArray();
    List<Instant> out = new ArrayList<>(values.length);
    for (Object v : values) {
      out.add(v == null ? null : ((Timestamp) v).toInstant());
    }
    return out;
  }

  private static List<Instant> sorted(List<Instant> xs) {
    Instant[] a = xs.toArray(new Instant[0]);
    Arrays.sort(a);
    return List.of(a);
  }

  /** The channel stored as text, read back. */
  static Channel channel(String wire) {
    return WireEnum.fromWire(Channel.class, wire);
  }
}
