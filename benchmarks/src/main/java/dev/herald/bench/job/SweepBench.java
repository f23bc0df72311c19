package dev.herald.bench.job;

import dev.herald.bench.Figure;
import dev.herald.bench.Population;
import dev.herald.bench.sweep.OperatorRig;
import dev.herald.bench.sweep.RawStateScan;
import dev.herald.connectors.kafka.CommandFlags;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.flink.configuration.MemorySize;

/**
 * Figure 2 of BENCHMARKS.md, the sweep: a campaign with a rate starts over {@code n} users, half of
 * them in its audience. Measured from the watermark at the start to every user swept (the counter
 * {@code heraldSweptUsers} up by {@code n}: every audience member armed with a timer, none decided
 * yet), in users per second. The limit, measured on the same state in the same run: one raw RocksDB
 * iteration over the users' records, reading each key and value.
 *
 * <p>The decision operator runs alone on one subtask with real RocksDB in Flink's test harness; the
 * users are the {@link Population}, fed as parsed user events and applied before the start. Each
 * run starts a new campaign an hour after the last one, once the last one's decisions are made, so
 * runs see the same users with one more campaign behind them.
 */
public final class SweepBench {

  static final String TARGET = "≥ 1 M users/s";

  private SweepBench() {}

  public static void main(String[] args) {
    RigFlags.main(flags(), args, (parsed, out) -> out.println(run(parsed)));
  }

  static CommandFlags flags() {
    return new CommandFlags(
            "usage: bin/bench sweep [flags]\n"
                + "Figure 2: a rated campaign starts over N users (half in its audience); from the"
                + " watermark at its start\nto every user swept (all timers armed), users/s. Limit:"
                + " one raw RocksDB iteration over the same users' records.")
        .value("users", "100000", "users in the population (4 events each)")
        .value(
            "runs", "3", "campaigns started, one per run, an hour apart (at most 20: the window)")
        .value(
            "rate", "0", "the campaign's rate, messages/s; 0: the audience spread over 30 minutes")
        .value("rocksdb-memory", "512mb", "RocksDB's fixed memory: block cache and write buffers")
        .value(
            "state-dir",
            "",
            "where the ingested users' state is kept for later runs (restored instead of ingested"
                + " again; delete it after changing the operator's state); empty: ingest every run")
        .toggle("help", "this text");
  }

  /** Measures and returns the FIGURE line; progress goes to stderr. */
  static String run(CommandFlags.Parsed flags) throws Exception {
    int users = flags.number("users", 1, 200_000_000);
    int runs = flags.number("runs", 1, 20);
    MemorySize memory = MemorySize.parse(flags.text("rocksdb-memory"));
    Population population = new Population(users);
    double rate = Double.parseDouble(flags.text("rate"));
    if (rate <= 0) {
      rate = Math.max(1, Math.ceil(population.matching() / 1800.0));
    }
    Figure figure = new Figure("sweep", "users/s");
    log(
        "sweep: %,d users, %,d in the audience, rate %.0f/s; %s",
        users, population.matching(), rate, Figure.machine());
    Path stateDir = flags.given("state-dir") ? Path.of(flags.text("state-dir")) : null;
    try (OperatorRig rig =
        OperatorRig.withPopulation(population, memory, stateDir, m -> log("%s", m))) {
      for (int run = 1; run <= runs; run++) {
        Instant start = Population.START.plusSeconds(3600L * (run - 1));
        // The previous campaign's decisions, so that this sweep starts from a quiet operator.
        rig.advanceTo(start.minusMillis(1));
        rig.runMailUntilIdle();

        long t = System.nanoTime();
        RawStateScan.Result scan = rig.scanUserRecords();
        double scanSeconds = seconds(t);
        if (scan.entries() != users) {
          throw new IllegalStateException(
              "the users' state has " + scan.entries() + " records, expected " + users);
        }

        rig.publish(Population.campaign("sweep-" + run, start, rate));
        long swept = rig.sweptUsers();
        long decided = rig.decisions();
        t = System.nanoTime();
        rig.advanceTo(start);
        double returned = seconds(t);
        rig.runMailUntil(() -> rig.sweptUsers() - swept >= users, "every user swept");
        double sweepSeconds = seconds(t);
        rig.runMailUntilIdle();
        if (rig.sweptUsers() - swept != users) {
          throw new IllegalStateException(
              "swept " + (rig.sweptUsers() - swept) + " users, expected " + users);
        }
        figure.add(users / sweepSeconds, scan.entries() / scanSeconds);
        log(
            "run %d/%d: %,d users swept in %.2f s (the watermark returned after %.2f s): %,.0f"
                + " users/s; %,d decided at the start | raw scan: %,d records, %,d key and %,d"
                + " value bytes in %.2f s: %,.0f records/s",
            run,
            runs,
            users,
            sweepSeconds,
            returned,
            users / sweepSeconds,
            rig.decisions() - decided,
            scan.entries(),
            scan.keyBytes(),
            scan.valueBytes(),
            scanSeconds,
            scan.entries() / scanSeconds);
      }
    }
    return figure.summary(TARGET);
  }

  static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  static void log(String format, Object... args) {
    RigFlags.progress(format, args);
  }
}
