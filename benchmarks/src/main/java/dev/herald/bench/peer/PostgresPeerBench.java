package dev.herald.bench.peer;

import dev.herald.bench.Figure;
import dev.herald.bench.Population;
import dev.herald.policy.Policy;
import dev.herald.policy.PolicyConfig;
import dev.herald.policy.PolicyTimeline;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.RecordCodec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Figure 8: the peer a team would otherwise build, on PostgreSQL, fed the same users and the same
 * campaign as Herald's figures 1 and 3.
 *
 * <p>Starts its own server (Debian's {@code postgresql}, loopback, a temporary directory, deleted
 * at the end), then per run: the {@link Population}'s events applied in batches, once as JDBC
 * upserts and once as {@code COPY} into staging plus merge statements (each from empty tables); the
 * same rows {@code COPY}ed straight into empty tables as the ingest's limit; then the campaign
 * {@code Population.campaign("c1", START, 0)} decided user by user by Herald's policy core, with
 * the audience read alone as its limit.
 */
public final class PostgresPeerBench {

  private static final String USAGE =
      """
      Usage: bin/bench postgres [flags]
        --users N        users of the population (default 200000; 4 events each)
        --runs N         runs (default 3); each starts from empty tables
        --workers N      connections working in parallel, users split between them (default 2)
        --batch N        events per ingest transaction (default 4000)
        --fetch N        audience rows fetched per round trip (default 1000)
        --decide-batch N users decided per transaction (default 1000)
        --ingest MODE    upsert, copy-merge or both (default both)
        --unsafe         synchronous_commit=off (a crash may lose the last commits); figures
                         are named *-unsafe
        --help           this text
      Needs Debian's postgresql package (initdb, pg_ctl, postgres).""";

  private PostgresPeerBench() {}

  /** The bench's settings, from its flags. */
  record Options(
      int users,
      int runs,
      int workers,
      int batch,
      int fetch,
      int decideBatch,
      List<PeerIngest.Mode> modes,
      boolean unsafe) {

    static Options parse(String[] args) {
      int users = 200_000;
      int runs = 3;
      int workers = 2;
      int batch = 4000;
      int fetch = 1000;
      int decideBatch = 1000;
      List<PeerIngest.Mode> modes = List.of(PeerIngest.Mode.UPSERT, PeerIngest.Mode.MERGE);
      boolean unsafe = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--users" -> users = positive(a, value(args, ++i, a));
          case "--runs" -> runs = positive(a, value(args, ++i, a));
          case "--workers" -> workers = positive(a, value(args, ++i, a));
          case "--batch" -> batch = positive(a, value(args, ++i, a));
          case "--fetch" -> fetch = positive(a, value(args, ++i, a));
          case "--decide-batch" -> decideBatch = positive(a, value(args, ++i, a));
          case "--ingest" -> {
            String m = value(args, ++i, a);
            modes =
                switch (m) {
                  case "both" -> List.of(PeerIngest.Mode.UPSERT, PeerIngest.Mode.MERGE);
                  case "upsert" -> List.of(PeerIngest.Mode.UPSERT);
                  case "copy-merge" -> List.of(PeerIngest.Mode.MERGE);
                  default ->
                      throw new IllegalArgumentException(
                          "--ingest: upsert, copy-merge or both, not " + m);
                };
          }
          case "--unsafe" -> unsafe = true;
          default -> throw new IllegalArgumentException("unknown flag " + a + "\n" + USAGE);
        }
      }
      return new Options(users, runs, workers, batch, fetch, decideBatch, modes, unsafe);
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return args[i];
    }

    private static int positive(String flag, String v) {
      try {
        int n = Integer.parseInt(v.replace("_", ""));
        if (n < 1) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + ": a positive whole number, not " + v);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        System.out.println(USAGE);
        return;
      }
    }
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("postgres: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (PostgresServer.binaries().isEmpty()) {
      System.err.println(PostgresServer.INSTALL_HINT);
      System.exit(2);
      return;
    }
    run(o, System.out, System.err);
  }

  /** Runs the figure and prints its {@code FIGURE} lines on {@code out}. */
  static void run(Options o, PrintStream out, PrintStream log) throws Exception {
    String suffix = o.unsafe() ? "-unsafe" : "";
    Population population = new Population(o.users());
    log.printf(
        Locale.ROOT,
        "postgres: %,d users, %,d events, %d workers, %d runs%n",
        o.users(),
        population.events(),
        o.workers(),
        o.runs());
    List<List<byte[]>> partitions = partitions(population, o.workers());
    Campaign campaign =
        (Campaign) RecordCodec.parseControl(Population.campaign("c1", Population.START, 0)).value();
    Policy policy = new Policy(PolicyTimeline.standard(), PolicyConfig.DEFAULT);

    List<Figure> ingest = new ArrayList<>();
    for (PeerIngest.Mode m : o.modes()) {
      ingest.add(new Figure("postgres-ingest-" + m.label + suffix, "events/s"));
    }
    Figure decisions = new Figure("postgres-decisions" + suffix, "decisions/s");
    Figure campaignSeconds = new Figure("postgres-campaign" + suffix, "s");

    try (PostgresServer server = PostgresServer.start(o.unsafe())) {
      log.println("postgres: PostgreSQL " + server.version() + ", settings " + server.settings());
      for (int run = 1; run <= o.runs(); run++) {
        List<Double> ingestRates = new ArrayList<>();
        for (PeerIngest.Mode m : o.modes()) {
          try (Connection c = server.connect()) {
            PeerSchema.reset(c);
          }
          PeerIngest.Result r = PeerIngest.run(server, partitions, m, o.batch());
          check(r.applied() == population.events() && r.rejected() == 0, "ingest " + r);
          log.printf(
              Locale.ROOT,
              "run %d: ingest %s: %,d events in %.2f s: %,.0f events/s%n",
              run,
              m.label,
              r.applied(),
              r.seconds(),
              r.perSecond());
          log.println("run " + run + ": ingest " + m.label + " time in: " + r.stepsText());
          ingestRates.add(r.perSecond());
        }
        BulkCopy.Result copy = BulkCopy.reload(server, o.workers());
        double copyRate = population.events() / copy.seconds();
        log.printf(
            Locale.ROOT,
            "run %d: COPY of the same rows (%,d rows) in %.2f s: %,.0f events/s%n",
            run,
            copy.rows(),
            copy.seconds(),
            copyRate);
        for (int i = 0; i < ingest.size(); i++) {
          ingest.get(i).add(ingestRates.get(i), copyRate);
        }
        try (Connection c = server.connect()) {
          PeerSchema.analyze(c); // what autovacuum would have done by the time a campaign comes
        }
        PeerCampaign.Result read =
            PeerCampaign.run(
                server, campaign, policy, o.workers(), o.fetch(), o.decideBatch(), false);
        log.printf(
            Locale.ROOT,
            "run %d: audience read alone: %,d users in %.2f s: %,.0f users/s%n",
            run,
            read.audience(),
            read.seconds(),
            read.audience() / read.seconds());
        PeerCampaign.Result d =
            PeerCampaign.run(
                server, campaign, policy, o.workers(), o.fetch(), o.decideBatch(), true);
        check(
            d.decisions() == population.matching() && d.sends() == d.decisions(),
            "expected " + population.matching() + " sends, got " + d);
        log.printf(
            Locale.ROOT,
            "run %d: campaign: %,d decisions (%,d sends) committed in %.2f s: %,.0f decisions/s%n",
            run,
            d.decisions(),
            d.sends(),
            d.seconds(),
            d.decisionsPerSecond());
        log.println("run " + run + ": campaign time in: " + d.stepsText());
        decisions.add(d.decisionsPerSecond(), read.audience() / read.seconds());
        campaignSeconds.add(d.seconds());
      }
    }
    String target = "Herald ≥ 10× the peer";
    for (Figure f : ingest) {
      f.print(out, target);
    }
    decisions.print(out, target);
    campaignSeconds.print(out, target);
  }

  /** The population's events, each user's in one partition (user {@code i} to {@code i % n}). */
  static List<List<byte[]>> partitions(Population p, int n) {
    List<List<byte[]>> parts = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      parts.add(new ArrayList<>((int) (p.events() / n + Population.EVENTS_PER_USER)));
    }
    for (int i = 0; i < p.users(); i++) {
      List<byte[]> part = parts.get(i % n);
      p.userEvents(i, json -> part.add(json.getBytes(StandardCharsets.UTF_8)));
    }
    return parts;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("the peer went wrong: " + what);
    }
  }
}
