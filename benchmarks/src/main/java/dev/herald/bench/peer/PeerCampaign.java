package dev.herald.bench.peer;

import dev.herald.policy.Audiences;
import dev.herald.policy.Policy;
import dev.herald.policy.Verdict;
import dev.herald.schema.Basis;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.Decision;
import dev.herald.schema.Outcome;
import dev.herald.schema.SkipReason;
import dev.herald.schema.UserKey;
import dev.herald.schema.WireEnum;
import dev.herald.state.OptinRequestMark;
import dev.herald.state.OtnToken;
import dev.herald.state.Subscription;
import dev.herald.state.UserState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A campaign on the peer: its audience selected in SQL and streamed with a cursor, each user
 * decided by Herald's own {@link Policy} at the campaign's start, the decisions written in batches
 * and what they spend (a one-time token, a recurring slot, a capped send, an opt-in request)
 * written in the same transaction as the decisions of the batch: a batch of users is decided and
 * spent, or not at all.
 *
 * <p>Each worker reads its share of the users ({@code hashtext(user_id) % workers}) on one
 * connection and writes on another, so that a commit does not close the cursor.
 */
public final class PeerCampaign {

  /**
   * What a campaign did, and where its workers' time went (seconds summed over workers): reading
   * the audience (the query and building each state), deciding, writing and committing.
   */
  public record Result(long audience, long decisions, long sends, double seconds, double[] steps) {
    public double decisionsPerSecond() {
      return decisions / seconds;
    }

    public String stepsText() {
      return String.format(
          java.util.Locale.ROOT,
          "read %.1f s, decide %.1f s, write and commit %.1f s",
          steps[0],
          steps[1],
          steps[2]);
    }
  }

  private static final String INSERT_DECISION =
      "INSERT INTO decisions (campaign, channel, account, user_id, at, outcome, basis, token,"
          + " variant, resume_at, reason, dry_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String SPEND_TOKEN =
      "DELETE FROM otn_tokens WHERE channel = ? AND account = ? AND user_id = ? AND token = ?";
  private static final String SPEND_SLOT =
      "UPDATE subscriptions SET last_sent_at = ? WHERE channel = ? AND account = ? AND user_id = ?"
          + " AND topic = ?";
  private static final String COUNT_SEND =
      "UPDATE users SET cap_sends = ? WHERE channel = ? AND account = ? AND user_id = ?";
  private static final String COUNT_REQUEST =
      "INSERT INTO optin_requests (channel, account, user_id, topic, at, seq)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  /** Opt-in requests a decision counts come after every event of the input. */
  private static final long DECIDED_SEQ = 1L << 62;

  private PeerCampaign() {}

  /**
   * Decides {@code campaign} for its audience and returns when every decision is committed.
   *
   * @param decide {@code false}: only read the audience and build each user's state (the read
   *     alone, the limit of the rest)
   */
  public static Result run(
      PostgresServer server,
      Campaign campaign,
      Policy policy,
      int workers,
      int fetchSize,
      int batchUsers,
      boolean decide)
      throws Exception {
    if (campaign.rate() != null) {
      throw new IllegalArgumentException(
          "the peer decides campaigns without a rate: every user at the start");
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    AtomicLong seq = new AtomicLong(DECIDED_SEQ);
    try {
      long start = System.nanoTime();
      List<Future<Worker>> done = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int worker = w;
        done.add(
            pool.submit(
                () -> {
                  try (Connection read = server.connect();
                      Connection write = server.connect()) {
                    Worker one = new Worker(campaign, policy, read, write, batchUsers, seq);
                    one.run(worker, workers, fetchSize, decide);
                    return one;
                  }
                }));
      }
      long audience = 0;
      long decisions = 0;
      long sends = 0;
      double[] steps = new double[3];
      for (Future<Worker> f : done) {
        Worker one = f.get();
        audience += one.audience;
        decisions += one.decisions;
        sends += one.sends;
        for (int i = 0; i < 3; i++) {
          steps[i] += one.nanos[i] / 1e9;
        }
      }
      return new Result(audience, decisions, sends, (System.nanoTime() - start) / 1e9, steps);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The decisions stored for {@code campaign}, in no particular order. */
  public static List<Decision> decisions(Connection c, String campaign) throws SQLException {
    List<Decision> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT channel, account, user_id, at, outcome, basis, token, variant, resume_at,"
                + " reason, dry_run FROM decisions WHERE campaign = ?")) {
      ps.setString(1, campaign);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          UserKey key =
              new UserKey(UserRows.channel(rs.getString(1)), rs.getString(2), rs.getString(3));
          out.add(
              new Decision(
                  campaign,
                  key,
                  rs.getTimestamp(4).toInstant(),
                  WireEnum.fromWire(Outcome.class, rs.getString(5)),
                  rs.getString(6) == null ? null : WireEnum.fromWire(Basis.class, rs.getString(6)),
                  rs.getString(7),
                  rs.getString(8),
                  rs.getString(9),
                  rs.getString(10) == null
                      ? null
                      : WireEnum.fromWire(SkipReason.class, rs.getString(10)),
                  rs.getBoolean(11)));
        }
      }
    }
    return out;
  }

  /** One worker: its share of the audience, read on one connection and written on another. */
  private static final class Worker {
    private final Campaign campaign;
    private final Policy policy;
    private final Connection read;
    private final Connection write;
    private final int batchUsers;
    private final AtomicLong seq;
    private final PreparedStatement insertDecision;
    private final PreparedStatement spendToken;
    private final PreparedStatement spendSlot;
    private final PreparedStatement countSend;
    private final PreparedStatement countRequest;
    private int pending;
    private long audience;
    private final long[] nanos = new long[3]; // read, decide, write
    private long decisions;
    private long sends;

    Worker(
        Campaign campaign,
        Policy policy,
        Connection read,
        Connection write,
        int batchUsers,
        AtomicLong seq)
        throws SQLException {
      this.campaign = campaign;
      this.policy = policy;
      this.read = read;
      this.write = write;
      this.batchUsers = batchUsers;
      this.seq = seq;
      read.setAutoCommit(false); // a cursor streams only inside a transaction
      read.setReadOnly(true);
      write.setAutoCommit(false);
      insertDecision = write.prepareStatement(INSERT_DECISION);
      spendToken = write.prepareStatement(SPEND_TOKEN);
      spendSlot = write.prepareStatement(SPEND_SLOT);
      countSend = write.prepareStatement(COUNT_SEND);
      countRequest = write.prepareStatement(COUNT_REQUEST);
    }

    void run(int worker, int workers, int fetchSize, boolean decide) throws SQLException {
      Instant t = campaign.start();
      long t0 = System.nanoTime();
      try (PreparedStatement ps = UserRows.audience(read, campaign, worker, workers)) {
        ps.setFetchSize(fetchSize);
        try (ResultSet rs = ps.executeQuery()) {
          UserRows.Cursor users = new UserRows.Cursor(rs, campaign);
          while (users.next()) {
            long t1 = System.nanoTime();
            nanos[0] += t1 - t0;
            audience++;
            UserKey key = users.key();
            UserState s = users.state();
            // As Herald's sweep: the audience is taken at the start; no rate, so decided then.
            if (decide && Audiences.matches(campaign, key, s, t)) {
              Verdict v = policy.decide(campaign, key, s, t, null);
              long t2 = System.nanoTime();
              nanos[1] += t2 - t1;
              write(v, s);
              t1 = t2;
            }
            t0 = System.nanoTime();
            nanos[2] += t0 - t1;
          }
        }
      }
      read.commit();
      long t1 = System.nanoTime();
      nanos[0] += t1 - t0;
      flush();
      nanos[2] += System.nanoTime() - t1;
    }

    private void write(Verdict v, UserState before) throws SQLException {
      Decision d = v.decision();
      UserKey k = d.user();
      int i = 1;
      insertDecision.setString(i++, d.campaign());
      insertDecision.setString(i++, k.channel().wire());
      insertDecision.setString(i++, k.account());
      insertDecision.setString(i++, k.user());
      insertDecision.setObject(i++, OffsetDateTime.ofInstant(d.at(), ZoneOffset.UTC));
      insertDecision.setString(i++, d.outcome().wire());
      insertDecision.setString(i++, d.basis() == null ? null : d.basis().wire());
      insertDecision.setString(i++, d.token());
      insertDecision.setString(i++, d.variant());
      insertDecision.setString(i++, d.resumeAt());
      insertDecision.setString(i++, d.reason() == null ? null : d.reason().wire());
      insertDecision.setBoolean(i, d.dryRun());
      insertDecision.addBatch();
      decisions++;
      if (d.outcome() == Outcome.SEND) {
        sends++;
      }
      spend(k, before, v.after());
      if (++pending >= batchUsers) {
        flush();
      }
    }

    /** Writes what the decision spent: the difference between the states before and after. */
    private void spend(UserKey k, UserState before, UserState after) throws SQLException {
      if (after == before) {
        return;
      }
      for (OtnToken held : before.otnTokens()) {
        if (!after.otnTokens().contains(held)) {
          key(spendToken, 1, k);
          spendToken.setString(4, held.token());
          spendToken.addBatch();
        }
      }
      for (Subscription sub : after.subscriptions()) {
        Subscription old = before.subscription(sub.topic());
        if (old != null && !Objects.equals(old.lastSentAt(), sub.lastSentAt())) {
          spendSlot.setObject(1, OffsetDateTime.ofInstant(sub.lastSentAt(), ZoneOffset.UTC));
          key(spendSlot, 2, k);
          spendSlot.setString(5, sub.topic());
          spendSlot.addBatch();
        }
      }
      if (!after.capSends().equals(before.capSends())) {
        Timestamp[] sends = new Timestamp[after.capSends().size()];
        for (int i = 0; i < sends.length; i++) {
          sends[i] = Timestamp.from(after.capSends().get(i));
        }
        countSend.setArray(1, write.createArrayOf("timestamptz", sends));
        key(countSend, 2, k);
        countSend.addBatch();
      }
      List<OptinRequestMark> added = new ArrayList<>(after.optinRequests());
      for (OptinRequestMark m : before.optinRequests()) {
        added.remove(m);
      }
      for (OptinRequestMark m : added) {
        key(countRequest, 1, k);
        countRequest.setString(4, m.topic());
        countRequest.setObject(5, OffsetDateTime.ofInstant(m.at(), ZoneOffset.UTC));
        countRequest.setLong(6, seq.getAndIncrement());
        countRequest.addBatch();
      }
    }

    private static void key(PreparedStatement ps, int from, UserKey k) throws SQLException {
      ps.setString(from, k.channel().wire());
      ps.setString(from + 1, k.account());
      ps.setString(from + 2, k.user());
    }

    /** Commits the batch: its decisions and their spending in one transaction. */
    private void flush() throws SQLException {
      if (pending == 0) {
        return;
      }
      insertDecision.executeBatch();
      spendToken.executeBatch();
      spendSlot.executeBatch();
      countSend.executeBatch();
      countRequest.executeBatch();
      write.commit();
      pending = 0;
    }
  }
}
