package dev.herald.bench.peer;

import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Applies user events to the peer's tables, batch by batch, one transaction per batch, on one
 * connection per worker (the events of a user always go to the same worker, as a topic partitioned
 * by user would deliver them).
 *
 * <p>Two ways, both applying a user's events in their order:
 *
 * <ul>
 *   <li>{@link Mode#UPSERT}: each event's writes as rows of JDBC batches of {@code INSERT … ON
 *       CONFLICT DO UPDATE} (rewritten by the driver into multi-row statements);
 *   <li>{@link Mode#MERGE}: the batch {@code COPY}ed into a temporary staging table, then one
 *       set-based statement per write.
 * </ul>
 *
 * A batch is cut into rounds: round {@code k} holds the {@code k}-th event of each user in the
 * batch. Within a round each user has at most one event, so a statement never touches a row twice
 * and the writes of different users need no order; rounds run in order.
 */
public final class PeerIngest {

  /** How a batch is written. */
  public enum Mode {
    UPSERT("upsert"),
    MERGE("copy-merge");

    public final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /**
   * What an ingest did, and where its workers' time went (seconds per step, summed over workers:
   * parsing, each write, the {@code COPY} into staging, the commits).
   */
  public record Result(long applied, long rejected, double seconds, Map<String, Double> steps) {
    public double perSecond() {
      return applied / seconds;
    }

    /** The steps, the longest first, as {@code name 1.2 s, …}. */
    public String stepsText() {
      StringBuilder b = new StringBuilder();
      steps.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .forEach(
              e ->
                  b.append(b.length() == 0 ? "" : ", ")
                      .append(e.getKey().toLowerCase(java.util.Locale.ROOT))
                      .append(String.format(java.util.Locale.ROOT, " %.1f s", e.getValue())));
      return b.toString();
    }
  }

  private PeerIngest() {}

  /**
   * Applies the events of each partition (JSON user events, UTF-8) on its own connection, in
   * parallel, and returns when every batch is committed. {@code seq} numbers are taken from {@code
   * firstSeq} of each partition on.
   */
  public static Result run(
      PostgresServer server, List<List<byte[]>> partitions, Mode mode, int batchSize)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(partitions.size());
    try {
      long start = System.nanoTime();
      List<Future<Worker>> done = new ArrayList<>();
      long seq = 0;
      for (List<byte[]> p : partitions) {
        long first = seq;
        seq += p.size();
        done.add(
            pool.submit(
                () -> {
                  try (Connection c = server.connect()) {
                    Worker w = new Worker(c, mode, batchSize);
                    w.apply(p, first);
                    return w;
                  }
                }));
      }
      long applied = 0;
      long rejected = 0;
      Map<String, Double> steps = new HashMap<>();
      for (Future<Worker> f : done) {
        Worker w = f.get();
        applied += w.applied;
        rejected += w.rejected;
        w.nanos.forEach((k, v) -> steps.merge(k, v / 1e9, Double::sum));
      }
      return new Result(applied, rejected, (System.nanoTime() - start) / 1e9, steps);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Applies parsed events on one connection (for tests and callers that parsed already). */
  public static void apply(Connection c, List<UserEvent> events, Mode mode, int batchSize)
      throws SQLException, IOException {
    Worker w = new Worker(c, mode, batchSize);
    long seq = 0;
    for (UserEvent e : events) {
      w.add(PeerEvent.of(e, seq++));
    }
    w.flush();
  }

  /** One connection's batches. */
  private static final class Worker {
    private final Connection c;
    private final Mode mode;
    private final int batchSize;
    private final List<PeerEvent> batch = new ArrayList<>();
    private final Map<EventWrite, PreparedStatement> upserts = new EnumMap<>(EventWrite.class);
    private final Map<EventWrite, PreparedStatement> merges = new EnumMap<>(EventWrite.class);
    private CopyManager copy;
    private final Map<String, Long> nanos = new HashMap<>();
    private long applied;
    private long rejected;

    Worker(Connection c, Mode mode, int batchSize) throws SQLException {
      this.c = c;
      this.mode = mode;
      this.batchSize = batchSize;
      c.setAutoCommit(false);
      if (mode == Mode.MERGE) {
        try (Statement s = c.createStatement()) {
          s.execute(PeerSchema.createStaging() + " ON COMMIT DELETE ROWS");
        }
        c.commit();
        copy = c.unwrap(PGConnection.class).getCopyAPI();
      }
    }

    /** Parses and applies {@code events}. */
    void apply(List<byte[]> events, long firstSeq) throws SQLException, IOException {
      long seq = firstSeq;
      long parsing = 0;
      for (byte[] json : events) {
        long t0 = System.nanoTime();
        Parsed<UserEvent> parsed = RecordCodec.parseUserEvent(json);
        PeerEvent e = parsed.isOk() ? PeerEvent.of(parsed.value(), seq++) : null;
        parsing += System.nanoTime() - t0;
        if (e == null) {
          rejected++; // an invalid event is dropped, as Herald sends it to the dead letters
          continue;
        }
        add(e);
        applied++;
      }
      flush();
      nanos.merge("parse", parsing, Long::sum);
    }

    private void time(String step, long since) {
      nanos.merge(step, System.nanoTime() - since, Long::sum);
    }

    void add(PeerEvent e) throws SQLException, IOException {
      batch.add(e);
      if (batch.size() >= batchSize) {
        flush();
      }
    }

    void flush() throws SQLException, IOException {
      if (batch.isEmpty()) {
        return;
      }
      List<List<PeerEvent>> rounds = rounds(batch);
      if (mode == Mode.UPSERT) {
        for (List<PeerEvent> round : rounds) {
          upsert(round);
        }
      } else {
        merge(rounds);
      }
      long t0 = System.nanoTime();
      c.commit();
      time("commit", t0);
      batch.clear();
    }

    private void upsert(List<PeerEvent> round) throws SQLException {
      for (EventWrite w : EventWrite.values()) {
        PreparedStatement ps = null;
        List<String> binds = null;
        for (PeerEvent e : round) {
          if (!w.appliesTo(e)) {
            continue;
          }
          if (ps == null) {
            EventWrite.Rendered r = w.batch();
            binds = r.binds();
            ps = upserts.get(w);
            if (ps == null) {
              ps = c.prepareStatement(r.sql());
              upserts.put(w, ps);
            }
          }
          for (int i = 0; i < binds.size(); i++) {
            bind(ps, i + 1, e.column(binds.get(i)));
          }
          ps.addBatch();
        }
        if (ps != null) {
          long t0 = System.nanoTime();
          ps.executeBatch();
          time(w.name(), t0);
        }
      }
    }

    private void merge(List<List<PeerEvent>> rounds) throws SQLException, IOException {
      StringBuilder csv = new StringBuilder(batch.size() * 160);
      for (int r = 0; r < rounds.size(); r++) {
        for (PeerEvent e : rounds.get(r)) {
          Csv.row(csv, e, r);
        }
      }
      copy.copyIn("COPY herald_staging FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
      for (int r = 0; r < rounds.size(); r++) {
        for (EventWrite w : EventWrite.values()) {
          boolean any = false;
          for (PeerEvent e : rounds.get(r)) {
            if (w.appliesTo(e)) {
              any = true;
              break;
            }
          }
          if (!any) {
            continue;
          }
          PreparedStatement ps = merges.get(w);
          if (ps == null) {
            ps = c.prepareStatement(w.merge());
            merges.put(w, ps);
          }
          ps.setInt(1, r);
          ps.setArray(2, c.createArrayOf("text", w.types.toArray()));
          long t1 = System.nanoTime();
          ps.executeUpdate();
          time(w.name(), t1);
        }
      }
    }

    private void bind(PreparedStatement ps, int i, Object v) throws SQLException {
      if (v instanceof Instant t) {
        ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
      } else if (v instanceof List<?> l) {
        Array a = c.createArrayOf("text", l.toArray());
        ps.setArray(i, a);
      } else {
        ps.setObject(i, v);
      }
    }
  }

  /** The batch cut into rounds: the {@code k}-th event of each user goes to round {@code k}. */
  static List<List<PeerEvent>> rounds(List<PeerEvent> batch) {
    Map<String, Integer> seen = new HashMap<>();
    List<List<PeerEvent>> rounds = new ArrayList<>();
    for (PeerEvent e : batch) {
      int k = seen.merge(e.userKey(), 1, Integer::sum) - 1;
      if (k == rounds.size()) {
        rounds.add(new ArrayList<>());
      }
      rounds.get(k).add(e);
    }
    return rounds;
  }

  /** The staging table's CSV: every value quoted, an absent one empty and unquoted (NULL). */
  static final class Csv {
    private Csv() {}

    static void row(StringBuilder out, PeerEvent e, int round) {
      boolean first = true;
      for (String col : PeerSchema.STAGING_COLUMNS.keySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        Object v = col.equals("round") ? round : e.column(col);
        if (v == null) {
          continue;
        }
        if (v instanceof List<?> l) {
          quote(out, arrayLiteral(l));
        } else {
          quote(out, v.toString()); // instants in ISO-8601, which timestamptz reads
        }
      }
      out.append('\n');
    }

    private static String arrayLiteral(List<?> l) {
      StringBuilder a = new StringBuilder("{");
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          a.append(',');
        }
        a.append('"');
        String s = l.get(i).toString();
        for (int j = 0; j < s.length(); j++) {
          char ch = s.charAt(j);
          if (ch == '"' || ch == '\\') {
            a.append('\\');
          }
          a.append(ch);
        }
        a.append('"');
      }
      return a.append('}').toString();
    }

    private static void quote(StringBuilder out, String s) {
      out.append('"');
      for (int j = 0; j < s.length(); j++) {
        char ch = s.charAt(j);
        if (ch == '"') {
          out.append('"');
        }
        out.append(ch);
      }
      out.append('"');
    }
  }
}
