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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads users back as the policy sees them: the audience query of a campaign, and each of its rows
 * as a {@link UserState}. One query per campaign (and per worker's share of the users), streamed
 * with a cursor; a user's tokens, subscriptions and opt-in requests come along as arrays aggregated
 * per user, so that nothing is fetched user by user from the client.
 */
final class UserRows {

  private UserRows() {}

  /*
   * One row per user and token and subscription and opt-in request (most users have one of each
   * or none), ordered by user so that a user's rows come together. Plain joins: PostgreSQL hashes
   * the children and probes them once per audience row, faster here than a lateral aggregate per
   * user (measured: three times faster at 200,000 users).
   */
  private static final String SELECT =
      """
      SELECT u.user_id, u.last_interaction_at, u.last_ctm_ad_at, u.breadcrumb, u.breadcrumb_at,
        u.unreachable_since, u.tags, u.marketing_opt_in, u.marketing_at, u.utility_opt_in,
        u.utility_at, u.otn_topics, u.cap_sends,
        t.topic, t.token, t.created_at, t.seq,
        s.topic, s.token, s.frequency, s.opted_in_at, s.expires_at, s.stopped, s.status_at,
        s.last_sent_at,
        r.topic, r.at, r.seq
      FROM users u
      LEFT JOIN otn_tokens t
        ON t.channel = u.channel AND t.account = u.account AND t.user_id = u.user_id
      LEFT JOIN subscriptions s
        ON s.channel = u.channel AND s.account = u.account AND s.user_id = u.user_id
      LEFT JOIN optin_requests r
        ON r.channel = u.channel AND r.account = u.account AND r.user_id = u.user_id
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
    sql.append(" ORDER BY u.user_id");
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

  /**
   * The users of an audience result set, one at a time: a user's rows (one per token, subscription
   * and request) are gathered into one state.
   */
  static final class Cursor {
    private final ResultSet rs;
    private final Campaign campaign;
    private boolean onRow;
    private UserKey key;
    private UserState state;

    Cursor(ResultSet rs, Campaign campaign) throws SQLException {
      this.rs = rs;
      this.campaign = campaign;
      this.onRow = rs.next();
    }

    /** Moves to the next user; {@code false} at the end. */
    boolean next() throws SQLException {
      if (!onRow) {
        return false;
      }
      String user = rs.getString(1);
      UserState.Builder b = user(rs);
      Map<String, OtnToken> tokens = new LinkedHashMap<>();
      Map<String, Long> tokenSeq = new HashMap<>();
      Map<String, Subscription> subs = new TreeMap<>(); // Herald's order: by topic, as Java sorts
      Map<Long, OptinRequestMark> requests = new TreeMap<>();
      do {
        String token = rs.getString(15);
        if (token != null && !tokens.containsKey(token)) {
          tokens.put(token, new OtnToken(rs.getString(14), token, instant(rs, 16)));
          tokenSeq.put(token, rs.getLong(17));
        }
        String topic = rs.getString(18);
        if (topic != null && !subs.containsKey(topic)) {
          subs.put(
              topic,
              new Subscription(
                  topic,
                  rs.getString(19),
                  WireEnum.fromWire(Frequency.class, rs.getString(20)),
                  instant(rs, 21),
                  instant(rs, 22),
                  rs.getBoolean(23),
                  instant(rs, 24),
                  instant(rs, 25)));
        }
        String requested = rs.getString(26);
        if (requested != null) {
          requests.putIfAbsent(rs.getLong(28), new OptinRequestMark(requested, instant(rs, 27)));
        }
        onRow = rs.next();
      } while (onRow && rs.getString(1).equals(user));
      if (!tokens.isEmpty()) {
        List<OtnToken> held = new ArrayList<>(tokens.values());
        // oldest first; tokens granted at one instant in the order they came
        held.sort(
            Comparator.comparing(OtnToken::createdAt).thenComparing(t -> tokenSeq.get(t.token())));
        b.otnTokens(held);
      }
      if (!subs.isEmpty()) {
        b.subscriptions(new ArrayList<>(subs.values()));
      }
      if (!requests.isEmpty()) {
        List<OptinRequestMark> marks = new ArrayList<>(requests.values()); // by seq: arrival
        marks.sort(Comparator.comparing(OptinRequestMark::at)); // stable
        b.optinRequests(marks);
      }
      key = new UserKey(campaign.channel(), campaign.account(), user);
      state = b.build();
      return true;
    }

    UserKey key() {
      return key;
    }

    UserState state() {
      return state;
    }
  }

  /** The user's own row (columns 1 to 13) as the start of a state. */
  private static UserState.Builder user(ResultSet rs) throws SQLException {
    return UserState.EMPTY.toBuilder()
        .lastInteractionAt(instant(rs, 2))
        .lastCtmAdAt(instant(rs, 3))
        .breadcrumb(rs.getString(4), instant(rs, 5))
        .unreachableSince(instant(rs, 6))
        .tags(strings(rs.getArray(7)))
        .marketing(consent(rs, 8))
        .utility(consent(rs, 10))
        .otnTopics(strings(rs.getArray(12)))
        .capSends(sorted(instants(rs.getArray(13))));
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
