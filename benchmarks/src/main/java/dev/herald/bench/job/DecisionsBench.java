package dev.herald.bench.job;

import static dev.herald.bench.job.SweepBench.log;
import static dev.herald.bench.job.SweepBench.seconds;

import dev.herald.bench.Figure;
import dev.herald.bench.Population;
import dev.herald.bench.sweep.OperatorRig;
import dev.herald.bench.sweep.RawStateScan;
import dev.herald.bench.sweep.TimerRig;
import dev.herald.connectors.kafka.CommandFlags;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.flink.configuration.MemorySize;

/**
 * Figure 3 of BENCHMARKS.md, decisions: a campaign without a rate starts over {@code n} users, half
 * of them in its audience, so every audience member is decided at the start. Measured from the
 * watermark at the start to the last decision emitted, in decisions per second. The limit, in the
 * same run: timer firing alone — as many keys as decisions, each with a value of a user record's
 * size and an event-time timer at the start, in a keyed operator that only reads the value when its
 * timer fires; the time for the watermark to fire them all.
 *
 * <p>The decision operator runs alone on one subtask with real RocksDB in Flink's test harness (as
 * for figure 2); decisions are counted, not kept. Each run starts a new campaign an hour after the
 * last, so runs see the same users with one more campaign behind them.
 */
public final class DecisionsBench {

  static final String TARGET = "10 M users in ≤ 30 s; ≥ 400 k decisions/s";

  private DecisionsBench() {}

  public static void main(String[] args) {
    RigFlags.main(flags(), args, (parsed, out) -> out.println(run(parsed)));
  }

  static CommandFlags flags() {
    return new CommandFlags(
            "usage: bin/bench decisions [flags]\n"
                + "Figure 3: a campaign without a rate starts over N users (half in its audience);"
                + " from the watermark at its\nstart to the last decision emitted, decisions/s."
                + " Limit: firing as many event-time timers that each read one value.")
        .value("users", "100000", "users in the population (4 events each)")
        .value(
            "runs", "3", "campaigns started, one per run, an hour apart (at most 20: the window)")
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
    int audience = population.matching();
    Figure figure = new Figure("decisions", "decisions/s");
    log("decisions: %,d users, %,d in the audience; %s", users, audience, Figure.machine());
    Path stateDir = flags.given("state-dir") ? Path.of(flags.text("state-dir")) : null;
    try (OperatorRig rig =
        OperatorRig.withPopulation(population, memory, stateDir, m -> log("%s", m))) {
      RawStateScan.Result scan = rig.scanUserRecords();
      int valueBytes = (int) Math.max(1, scan.valueBytes() / Math.max(1, scan.entries()));
      long t = System.nanoTime();
      try (TimerRig timers = TimerRig.forAudience(population, valueBytes, memory)) {
        timers.arm(Population.START.minusSeconds(1));
        timers.fire(Population.START.minusSeconds(1));
        log(
            "limit: %,d keys with %d-byte values written in %.1f s",
            timers.keys(), valueBytes, seconds(t));
        for (int run = 1; run <= runs; run++) {
          Instant start = Population.START.plusSeconds(3600L * (run - 1));
          rig.advanceTo(start.minusMillis(1));
          rig.runMailUntilIdle();

          rig.publish(Population.campaign("decide-" + run, start, 0));
          long decided = rig.decisions();
          long sent = rig.sendRequests();
          long swept = rig.sweptUsers();
          t = System.nanoTime();
          rig.advanceTo(start);
          double returned = seconds(t);
          rig.runMailUntil(() -> rig.decisions() - decided >= audience, "every decision");
          double decideSeconds = seconds(t);
          rig.runMailUntilIdle();
          long made = rig.decisions() - decided;
          if (made != audience) {
            throw new IllegalStateException(made + " decisions, expected " + audience);
          }

          timers.arm(start);
          t = System.nanoTime();
          long fired = timers.fire(start);
          double fireSeconds = seconds(t);
          if (fired != timers.keys()) {
            throw new IllegalStateException(fired + " timers fired, expected " + timers.keys());
          }
          figure.add(made / decideSeconds, fired / fireSeconds);
          log(
              "run %d/%d: %,d decisions (%,d sends) in %.2f s (the watermark returned after %.2f s,"
                  + " %,d users swept): %,.0f decisions/s | timers alone: %,d fired in %.2f s:"
                  + " %,.0f timers/s",
              run,
              runs,
              made,
              rig.sendRequests() - sent,
              decideSeconds,
              returned,
              rig.sweptUsers() - swept,
              made / decideSeconds,
              fired,
              fireSeconds,
              fired / fireSeconds);
        }
      }
    }
    return figure.summary(TARGET);
  }
}
