package dev.herald.bench.peer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The ingest's limit: the rows the events came to, loaded again with PostgreSQL's own bulk path,
 * {@code COPY}, into empty tables with the same keys, indexes and foreign keys, on as many
 * connections as the ingest had. The fastest the same server takes the same data: no parsing, no
 * merging, no conflicts.
 */
final class BulkCopy {

  /** The parent first: the others' foreign keys point at it. */
  private static final List<String> TABLES =
      List.of("users", "otn_tokens", "subscriptions", "optin_requests");

  private BulkCopy() {}

  record Result(long rows, double seconds) {}

  /**
   * Dumps the tables (untimed), empties the database, and times loading the dump back. The peer
   * holds the same rows afterwards.
   */
  static Result reload(PostgresServer server, int workers) throws Exception {
    Map<String, byte[]> dump = new LinkedHashMap<>();
    try (Connection c = server.connect()) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      for (String t : TABLES) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy.copyOut("COPY " + t + " TO STDOUT", out);
        dump.put(t, out.toByteArray());
      }
      PeerSchema.reset(c);
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      long rows = 0;
      long start = System.nanoTime();
      for (String t : TABLES) {
        List<Future<Long>> done = new ArrayList<>();
        for (byte[] chunk : split(dump.get(t), workers)) {
          done.add(
              pool.submit(
                  () -> {
                    try (Connection c = server.connect()) {
                      return c.unwrap(PGConnection.class)
                          .getCopyAPI()
                          .copyIn("COPY " + t + " FROM STDIN", new ByteArrayInputStream(chunk));
                    }
                  }));
        }
        for (Future<Long> f : done) {
          rows += f.get();
        }
      }
      return new Result(rows, (System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@code n} pieces of a text-format dump, cut after a line. */
  static List<byte[]> split(byte[] text, int n) {
    List<byte[]> parts = new ArrayList<>();
    int from = 0;
    for (int k = 1; k <= n && from < text.length; k++) {
      int to = k == n ? text.length : Math.max(from, (int) ((long) text.length * k / n));
      while (to < text.length && to > 0 && text[to - 1] != '\n') {
        to++;
      }
      if (to > from) {
        byte[] part = new byte[to - from];
        System.arraycopy(text, from, part, 0, part.length);
        parts.add(part);
      }
      from = to;
    }
    return parts;
  }
}
