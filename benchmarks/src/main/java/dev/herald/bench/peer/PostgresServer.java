package dev.herald.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for the peer benchmark: Debian's {@code postgresql} package,
 * initialised in a temporary directory, listening on loopback only, stopped and deleted by {@link
 * #close()} whatever happened in between (a shutdown hook covers an interrupted run).
 *
 * <p>Tuned as one would tune a server for a bulk upsert workload on this machine, without giving up
 * durability: {@code fsync} and full-page writes stay on, a commit waits for its WAL flush; only
 * {@code unsafe} turns {@code synchronous_commit} off (a crash then loses the last commits, never
 * consistency). PostgreSQL refuses to run as root, so as root the server runs as the package's
 * {@code postgres} user.
 */
public final class PostgresServer implements AutoCloseable {

  /** How to get the server, printed when it is missing. */
  public static final String INSTALL_HINT =
      "PostgreSQL's server is not installed (no initdb in /usr/lib/postgresql/*/bin or on the"
          + " PATH). Install Debian's package: apt-get install postgresql";

  public static final String DATABASE = "herald";
  public static final String USER = "herald";

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean unsafe;
  private final Map<String, String> settings;
  private final Thread cleanup;
  private boolean stopped;

  private PostgresServer(Path bin, Path dir, int port, boolean unsafe) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.unsafe = unsafe;
    this.settings = settings(unsafe);
    this.cleanup = new Thread(this::stopQuietly, "postgres-cleanup");
  }

  /** The directory of {@code initdb}, {@code pg_ctl} and {@code postgres}, if installed. */
  public static Optional<Path> binaries() {
    List<Path> candidates = new ArrayList<>();
    Path versions = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(versions)) {
      try (Stream<Path> s = Files.list(versions)) {
        s.map(v -> v.resolve("bin"))
            // the newest major version first: 16 before 15, 9.6 last
            .sorted(Comparator.comparingInt(PostgresServer::major).reversed())
            .forEach(candidates::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String p : path.split(":")) {
        candidates.add(Path.of(p));
      }
    }
    for (Path c : candidates) {
      Path initdb = c.resolve("initdb");
      if (Files.isExecutable(initdb)) {
        try {
          // /usr/local/bin/initdb may be a link into the version's bin, where pg_ctl also is
          return Optional.of(initdb.toRealPath().getParent());
        } catch (IOException e) {
          return Optional.of(c);
        }
      }
    }
    return Optional.empty();
  }

  private static int major(Path bin) {
    String v = bin.getParent().getFileName().toString();
    try {
      return Integer.parseInt(v.contains(".") ? v.substring(0, v.indexOf('.')) : v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Initialises and starts a server in a new temporary directory.
   *
   * @param unsafe {@code synchronous_commit = off} (otherwise every commit waits for its WAL flush)
   * @throws IllegalStateException if PostgreSQL is not installed ({@link #INSTALL_HINT})
   */
  public static PostgresServer start(boolean unsafe) throws IOException {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException(INSTALL_HINT));
    Path dir = Files.createTempDirectory("herald-pg-");
    PostgresServer server = new PostgresServer(bin, dir, freePort(), unsafe);
    Runtime.getRuntime().addShutdownHook(server.cleanup);
    try {
      server.initAndStart();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void initAndStart() throws IOException {
    if (asRoot()) {
      UserPrincipal postgres =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    }
    Path data = dir.resolve("data");
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "--auth=trust",
            "--username=" + USER,
            "--encoding=UTF8",
            "--locale=C"));
    StringBuilder conf = new StringBuilder("\n# herald peer benchmark\n");
    settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
    Files.writeString(
        data.resolve("postgresql.conf"), conf, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-o",
            "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1",
            "-w",
            "-t",
            "60",
            "start"));
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, "")) {
      c.createStatement().execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the database: " + e.getMessage(), e);
    }
  }

  /**
   * The server's settings: memory for a 2-core machine with a few GiB to spare, and WAL sized so
   * that a bulk load is not cut by forced checkpoints.
   */
  static Map<String, String> settings(boolean unsafe) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("fsync", "on");
    s.put("full_page_writes", "on");
    s.put("synchronous_commit", unsafe ? "off" : "on");
    s.put("shared_buffers", "'2GB'");
    s.put("effective_cache_size", "'8GB'");
    s.put("work_mem", "'64MB'");
    s.put("maintenance_work_mem", "'512MB'");
    s.put("wal_buffers", "'64MB'");
    s.put("wal_compression", "lz4");
    s.put("max_wal_size", "'16GB'");
    s.put("checkpoint_timeout", "'30min'");
    s.put("checkpoint_completion_target", "0.9");
    s.put("random_page_cost", "1.1"); // local SSD
    s.put("jit", "off"); // short OLTP statements: compiling costs more than it saves
    s.put("max_connections", "50");
    return s;
  }

  /** The settings this server runs with, for the report. */
  public Map<String, String> settings() {
    return settings;
  }

  public boolean unsafe() {
    return unsafe;
  }

  public String version() throws SQLException {
    try (Connection c = connect();
        var rs = c.createStatement().executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The JDBC URL of the benchmark's database. */
  public String url() {
    return url(DATABASE);
  }

  private String url(String database) {
    // Batched INSERTs are rewritten to multi-row INSERTs: the driver's own bulk upsert path.
    return "jdbc:postgresql://127.0.0.1:"
        + port
        + "/"
        + database
        + "?reWriteBatchedInserts=true&prepareThreshold=1";
  }

  /** A new connection to the benchmark's database. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), USER, "");
  }

  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is this very call
    }
  }

  private synchronized void stopQuietly() {
    if (stopped) {
      return;
    }
    stopped = true;
    Path data = dir.resolve("data");
    if (Files.exists(data.resolve("postmaster.pid"))) {
      try {
        run(
            List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-m",
                "fast",
                "-w",
                "stop"));
      } catch (IOException | RuntimeException e) {
        System.err.println("postgres: could not stop the server in " + dir + ": " + e);
      }
    }
    delete(dir);
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("postgres: could not delete " + dir + ": " + e);
    }
  }

  /** Runs a PostgreSQL tool (as {@code postgres} when we are root), failing on a non-zero exit. */
  private void run(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (asRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Path log = Files.createTempFile("herald-pg-tool-", ".log");
    try {
      Process p =
          new ProcessBuilder(full)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .directory(dir.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + ": no answer in 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " exited with "
                + p.exitValue()
                + ":\n"
                + Files.readString(log)
                + serverLog());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private String serverLog() {
    Path log = dir.resolve("server.log");
    try {
      return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
