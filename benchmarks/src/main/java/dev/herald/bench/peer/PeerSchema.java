package dev.herald.bench.peer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer's tables: what the policy needs per user, normalised where a user has several of a thing
 * (tokens, subscriptions, opt-in requests), and the decisions.
 *
 * <ul>
 *   <li>{@code users}: one row per user (channel, account, user), with the window instants, the
 *       breadcrumb, consent, unreachability, the tags as a {@code text[]} under a GIN index (the
 *       audience query is {@code tags @> '{match}'}), the token topics and the capped sends.
 *   <li>{@code otn_tokens}, {@code subscriptions}, {@code optin_requests}: a user's tokens,
 *       recurring subscriptions and opt-in requests, deleted with the user (an erasure).
 *   <li>{@code decisions}: one row per campaign and user; the key makes a second decision for the
 *       same user and campaign fail instead of being sent twice.
 * </ul>
 *
 * Text is compared in the C collation (the database is initialised so): keys are compared byte by
 * byte, as a key-value store would.
 */
public final class PeerSchema {

  private PeerSchema() {}

  static final List<String> TABLES =
      List.of("decisions", "optin_requests", "subscriptions", "otn_tokens", "users");

  static final String CREATE =
      """
      CREATE TABLE users (
        channel text NOT NULL,
        account text NOT NULL,
        user_id text NOT NULL,
        last_interaction_at timestamptz,
        last_ctm_ad_at timestamptz,
        breadcrumb text,
        breadcrumb_at timestamptz,
        unreachable_since timestamptz,
        tags text[] NOT NULL DEFAULT '{}',
        marketing_opt_in boolean,
        marketing_at timestamptz,
        utility_opt_in boolean,
        utility_at timestamptz,
        otn_topics text[] NOT NULL DEFAULT '{}',
        cap_sends timestamptz[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (channel, account, user_id)
      );
      CREATE INDEX users_tags ON users USING gin (tags);
      CREATE TABLE otn_tokens (
        channel text NOT NULL,
        account text NOT NULL,
        user_id text NOT NULL,
        token text NOT NULL,
        topic text NOT NULL,
        created_at timestamptz NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (channel, account, user_id, token),
        FOREIGN KEY (channel, account, user_id) REFERENCES users ON DELETE CASCADE
      );
      CREATE TABLE subscriptions (
        channel text NOT NULL,
        account text NOT NULL,
        user_id text NOT NULL,
        topic text NOT NULL,
        token text NOT NULL,
        frequency text NOT NULL,
        opted_in_at timestamptz NOT NULL,
        expires_at timestamptz,
        stopped boolean NOT NULL,
        status_at timestamptz NOT NULL,
        last_sent_at timestamptz,
        PRIMARY KEY (channel, account, user_id, topic),
        FOREIGN KEY (channel, account, user_id) REFERENCES users ON DELETE CASCADE
      );
      CREATE TABLE optin_requests (
        channel text NOT NULL,
        account text NOT NULL,
        user_id text NOT NULL,
        topic text NOT NULL,
        at timestamptz NOT NULL,
        seq bigint NOT NULL,
        FOREIGN KEY (channel, account, user_id) REFERENCES users ON DELETE CASCADE
      );
      CREATE INDEX optin_requests_user ON optin_requests (channel, account, user_id);
      CREATE TABLE decisions (
        campaign text NOT NULL,
        channel text NOT NULL,
        account text NOT NULL,
        user_id text NOT NULL,
        at timestamptz NOT NULL,
        outcome text NOT NULL,
        basis text,
        token text,
        variant text,
        resume_at text,
        reason text,
        dry_run boolean NOT NULL,
        PRIMARY KEY (campaign, channel, account, user_id)
      );
      """;

  /** The staging table's columns and their types, in {@code COPY} order. */
  static final Map<String, String> STAGING_COLUMNS = stagingColumns();

  private static Map<String, String> stagingColumns() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("seq", "bigint");
    c.put("round", "int");
    c.put("type", "text");
    c.put("channel", "text");
    c.put("account", "text");
    c.put("user_id", "text");
    c.put("at", "timestamptz");
    c.put("ctm_at", "timestamptz");
    c.put("crumb", "text");
    c.put("crumb_at", "timestamptz");
    c.put("tags_add", "text[]");
    c.put("tags_remove", "text[]");
    c.put("topic", "text");
    c.put("token", "text");
    c.put("frequency", "text");
    c.put("expires_at", "timestamptz");
    c.put("stopped", "boolean");
    c.put("marketing_opt_in", "boolean");
    c.put("marketing_at", "timestamptz");
    c.put("utility_opt_in", "boolean");
    c.put("utility_at", "timestamptz");
    return c;
  }

  /**
   * The staging table of one connection: a temporary table (no WAL, private to the session) that a
   * batch of events is copied into before it is merged.
   */
  static String createStaging() {
    StringBuilder b = new StringBuilder("CREATE TEMP TABLE IF NOT EXISTS herald_staging (");
    STAGING_COLUMNS.forEach((k, v) -> b.append(k).append(' ').append(v).append(", "));
    b.setLength(b.length() - 2);
    return b.append(")").toString();
  }

  /** Drops and creates the tables: an empty peer. */
  public static void reset(Connection c) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      for (String t : TABLES) {
        s.execute("DROP TABLE IF EXISTS " + t + " CASCADE");
      }
      s.execute(CREATE);
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** Brings the planner's statistics and the visibility map up to date after a load. */
  public static void analyze(Connection c) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute("VACUUM (ANALYZE)");
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
