package dev.herald.bench.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL that applies user events to the peer's tables: {@code UserStates.apply} written as
 * upserts. Each write is written once, over an event source {@code e} with the staging table's
 * columns, and rendered two ways: for a JDBC batch (one row of bound values per event, as a
 * multi-row {@code INSERT … ON CONFLICT DO UPDATE} where it can be) and for a set-based merge from
 * the staging table.
 *
 * <p>An event may need several writes (a one-time token: the user's topics, then the token); the
 * writes run in the order of this enum, and a batch is cut into rounds so that each round holds at
 * most one event per user (see {@link PeerIngest}): a user's events are applied in their order.
 *
 * <p>The {@code ON CONFLICT} clauses read only {@code EXCLUDED} and the stored row, never a bound
 * value: the driver rewrites such a batch into multi-row {@code INSERT}s.
 */
enum EventWrite {
  /** Makes the user known: events that store nothing on the user's own row. */
  KNOWN(
      Set.of(
          PeerEvent.RECURRING_OPTIN,
          PeerEvent.RECURRING_STATUS,
          PeerEvent.OPTIN_REQUEST,
          PeerEvent.KNOWN),
      null,
      "users",
      "channel, account, user_id",
      "e.channel, e.account, e.user_id",
      "ON CONFLICT DO NOTHING"),

  /** The window, the longer ad window, the breadcrumb; an interaction makes the user reachable. */
  INTERACTION(
      Set.of(PeerEvent.INTERACTION),
      null,
      "users",
      "channel, account, user_id, last_interaction_at, last_ctm_ad_at, breadcrumb, breadcrumb_at",
      "e.channel, e.account, e.user_id, e.at, e.ctm_at, e.crumb, e.crumb_at",
      """
      ON CONFLICT (channel, account, user_id) DO UPDATE SET
        last_interaction_at = GREATEST(u.last_interaction_at, EXCLUDED.last_interaction_at),
        last_ctm_ad_at = GREATEST(u.last_ctm_ad_at, EXCLUDED.last_ctm_ad_at),
        breadcrumb = CASE WHEN EXCLUDED.breadcrumb_at >= u.breadcrumb_at
            OR (EXCLUDED.breadcrumb_at IS NOT NULL AND u.breadcrumb_at IS NULL)
          THEN EXCLUDED.breadcrumb ELSE u.breadcrumb END,
        breadcrumb_at = CASE WHEN EXCLUDED.breadcrumb_at >= u.breadcrumb_at
            OR (EXCLUDED.breadcrumb_at IS NOT NULL AND u.breadcrumb_at IS NULL)
          THEN EXCLUDED.breadcrumb_at ELSE u.breadcrumb_at END,
        unreachable_since = CASE WHEN EXCLUDED.last_interaction_at >= u.unreachable_since
          THEN NULL ELSE u.unreachable_since END"""),

  /** Tags added (removals follow in {@link #TAG_REMOVE}: added, then removed). */
  TAG_ADD(
      Set.of(PeerEvent.TAG),
      null,
      "users",
      "channel, account, user_id, tags",
      "e.channel, e.account, e.user_id, e.tags_add",
      """
      ON CONFLICT (channel, account, user_id) DO UPDATE SET
        tags = ARRAY(SELECT DISTINCT x FROM unnest(u.tags || EXCLUDED.tags) AS x)"""),

  TAG_REMOVE(
      Set.of(PeerEvent.TAG),
      "cardinality(e.tags_remove) > 0",
      """
      UPDATE users u SET tags = ARRAY(SELECT x FROM unnest(u.tags) AS x WHERE x <> ALL(e.tags_remove))
      FROM {source} e
      WHERE u.channel = e.channel AND u.account = e.account AND u.user_id = e.user_id"""),

  /** The latest consent mark per category wins; a mark without a category is for both. */
  CONSENT(
      Set.of(PeerEvent.CONSENT),
      null,
      "users",
      "channel, account, user_id, marketing_opt_in, marketing_at, utility_opt_in, utility_at",
      "e.channel, e.account, e.user_id, e.marketing_opt_in, e.marketing_at, e.utility_opt_in,"
          + " e.utility_at",
      """
      ON CONFLICT (channel, account, user_id) DO UPDATE SET
        marketing_opt_in = CASE WHEN EXCLUDED.marketing_at >= u.marketing_at
            OR (EXCLUDED.marketing_at IS NOT NULL AND u.marketing_at IS NULL)
          THEN EXCLUDED.marketing_opt_in ELSE u.marketing_opt_in END,
        marketing_at = CASE WHEN EXCLUDED.marketing_at >= u.marketing_at
            OR (EXCLUDED.marketing_at IS NOT NULL AND u.marketing_at IS NULL)
          THEN EXCLUDED.marketing_at ELSE u.marketing_at END,
        utility_opt_in = CASE WHEN EXCLUDED.utility_at >= u.utility_at
            OR (EXCLUDED.utility_at IS NOT NULL AND u.utility_at IS NULL)
          THEN EXCLUDED.utility_opt_in ELSE u.utility_opt_in END,
        utility_at = CASE WHEN EXCLUDED.utility_at >= u.utility_at
            OR (EXCLUDED.utility_at IS NOT NULL AND u.utility_at IS NULL)
          THEN EXCLUDED.utility_at ELSE u.utility_at END"""),

  /**
   * A failed delivery that says the user cannot be reached: unless the user interacted since, or
   * was already unreachable from earlier.
   */
  UNREACHABLE(
      Set.of(PeerEvent.UNREACHABLE),
      null,
      "users",
      "channel, account, user_id, unreachable_since",
      "e.channel, e.account, e.user_id, e.at",
      """
      ON CONFLICT (channel, account, user_id) DO UPDATE SET
        unreachable_since = CASE WHEN u.last_interaction_at > EXCLUDED.unreachable_since
            OR u.unreachable_since <= EXCLUDED.unreachable_since
          THEN u.unreachable_since ELSE EXCLUDED.unreachable_since END"""),

  /**
   * A one-time token's topic is remembered, unless the token is already held (then the event
   * changes nothing, as in Herald): so this runs before the token is stored.
   */
  OTN_TOPIC(
      Set.of(PeerEvent.OTN_OPTIN),
      null,
      """
      INSERT INTO users AS u (channel, account, user_id, otn_topics)
      SELECT e.channel, e.account, e.user_id, ARRAY[e.topic] FROM {source} e
      WHERE NOT EXISTS (SELECT 1 FROM otn_tokens t WHERE t.channel = e.channel
        AND t.account = e.account AND t.user_id = e.user_id AND t.token = e.token)
      ON CONFLICT (channel, account, user_id) DO UPDATE SET
        otn_topics = CASE WHEN EXCLUDED.otn_topics[1] = ANY(u.otn_topics)
          THEN u.otn_topics ELSE u.otn_topics || EXCLUDED.otn_topics END"""),

  OTN_TOKEN(
      Set.of(PeerEvent.OTN_OPTIN),
      null,
      "otn_tokens",
      "channel, account, user_id, token, topic, created_at, seq",
      "e.channel, e.account, e.user_id, e.token, e.topic, e.at, e.seq",
      "ON CONFLICT DO NOTHING"),

  /** A (re-)opt-in replaces the subscription unless a later status stands; its last send stays. */
  SUBSCRIBE(
      Set.of(PeerEvent.RECURRING_OPTIN),
      null,
      "subscriptions",
      "channel, account, user_id, topic, token, frequency, opted_in_at, expires_at, stopped,"
          + " status_at",
      "e.channel, e.account, e.user_id, e.topic, e.token, e.frequency, e.at, e.expires_at, false,"
          + " e.at",
      """
      ON CONFLICT (channel, account, user_id, topic) DO UPDATE SET
        token = EXCLUDED.token, frequency = EXCLUDED.frequency,
        opted_in_at = EXCLUDED.opted_in_at, expires_at = EXCLUDED.expires_at,
        stopped = false, status_at = EXCLUDED.status_at
      WHERE NOT (u.status_at > EXCLUDED.status_at)"""),

  SUBSCRIPTION_STATUS(
      Set.of(PeerEvent.RECURRING_STATUS),
      null,
      """
      UPDATE subscriptions u SET stopped = e.stopped, status_at = e.at
      FROM {source} e
      WHERE u.channel = e.channel AND u.account = e.account AND u.user_id = e.user_id
        AND u.topic = e.topic AND NOT (u.status_at > e.at)"""),

  OPTIN_REQUEST(
      Set.of(PeerEvent.OPTIN_REQUEST),
      null,
      "optin_requests",
      "channel, account, user_id, topic, at, seq",
      "e.channel, e.account, e.user_id, e.topic, e.at, e.seq",
      ""),

  /** An erasure: the user's row, and with it (on delete cascade) everything else. */
  ERASE(
      Set.of(PeerEvent.ERASE),
      null,
      """
      DELETE FROM users u USING {source} e
      WHERE u.channel = e.channel AND u.account = e.account AND u.user_id = e.user_id""");

  private static final Pattern COLUMN = Pattern.compile("\\be\\.([a-z_]+)");

  /** The event types this write applies to. */
  final Set<String> types;

  /** Applies to an event of one of {@link #types} only if this holds (SQL over {@code e}). */
  private final String condition;

  private final Predicate<PeerEvent> applies;

  /** A write of the {@code INSERT … VALUES} shape, or {@code null}. */
  private final String table;

  private final String columns;
  private final String values;
  private final String conflict;

  /** A write of another shape, reading the events from {@code {source} e}, or {@code null}. */
  private final String template;

  EventWrite(
      Set<String> types,
      String condition,
      String table,
      String columns,
      String values,
      String conflict) {
    this.types = types;
    this.condition = condition;
    this.applies = applies(condition);
    this.table = table;
    this.columns = columns;
    this.values = values;
    this.conflict = conflict;
    this.template = null;
  }

  EventWrite(Set<String> types, String condition, String template) {
    this.types = types;
    this.condition = condition;
    this.applies = applies(condition);
    this.table = null;
    this.columns = null;
    this.values = null;
    this.conflict = null;
    this.template = template;
  }

  private static Predicate<PeerEvent> applies(String condition) {
    if (condition == null) {
      return e -> true;
    }
    if (condition.equals("cardinality(e.tags_remove) > 0")) {
      return e -> !e.tagsRemove().isEmpty();
    }
    throw new IllegalArgumentException("no Java form of the condition " + condition);
  }

  /** Whether this write applies to {@code e}. */
  boolean appliesTo(PeerEvent e) {
    return types.contains(e.type()) && applies.test(e);
  }

  /** The statement for a JDBC batch: one event's values bound per row. */
  Rendered batch() {
    List<String> binds = new ArrayList<>();
    if (table != null) {
      String sql =
          "INSERT INTO "
              + table
              + " AS u ("
              + columns
              + ") VALUES ("
              + bind(values, binds)
              + ") "
              + conflict;
      return new Rendered(sql, binds);
    }
    List<String> used = new ArrayList<>();
    Matcher m = COLUMN.matcher(template);
    while (m.find()) {
      if (!used.contains(m.group(1))) {
        used.add(m.group(1));
      }
    }
    StringBuilder source = new StringBuilder("(SELECT ");
    for (String c : used) {
      source
          .append("?::")
          .append(PeerSchema.STAGING_COLUMNS.get(c))
          .append(" AS ")
          .append(c)
          .append(", ");
    }
    source.setLength(source.length() - 2);
    source.append(")");
    return new Rendered(template.replace("{source}", source), used);
  }

  /**
   * The set-based statement over the staging table: binds the round (an {@code int}) and the event
   * types (a {@code text[]}).
   */
  String merge() {
    String where =
        "e.round = ? AND e.type = ANY(?)" + (condition == null ? "" : " AND " + condition);
    if (table != null) {
      return "INSERT INTO "
          + table
          + " AS u ("
          + columns
          + ") SELECT "
          + values
          + " FROM herald_staging e WHERE "
          + where
          + " "
          + conflict;
    }
    return template.replace("{source}", "(SELECT * FROM herald_staging e WHERE " + where + ")");
  }

  /** Replaces each {@code e.column} by a typed parameter, noting the columns in bind order. */
  private static String bind(String expressions, List<String> binds) {
    Matcher m = COLUMN.matcher(expressions);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      binds.add(m.group(1));
      m.appendReplacement(out, "?::" + PeerSchema.STAGING_COLUMNS.get(m.group(1)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A statement and the staging columns its parameters take, in order. */
  record Rendered(String sql, List<String> binds) {}
}
