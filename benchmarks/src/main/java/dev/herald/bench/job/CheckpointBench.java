package dev.herald.bench.job;

import dev.herald.bench.Figure;
import dev.herald.bench.Population;
import dev.herald.connectors.kafka.CommandFlags;
import dev.herald.job.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Figure 5 of BENCHMARKS.md, a checkpoint during a sweep: the delivery job (live mode, parallelism
 * 2, RocksDB, incremental checkpoints every second, exactly-once sinks, delivery off) holds {@code
 * n} users; a campaign with a rate starts, so the decision operator walks every user to arm the
 * audience. Measured: the longest time a checkpoint barrier was held up at the decision operator
 * (its alignment plus its start delay, per subtask, from the REST API) over every checkpoint in
 * flight while the sweep ran, and how many checkpoints completed during the sweep.
 *
 * <p>The sweep runs from the last instant the operator's {@code heraldSweptUsers} was seen
 * unchanged after the campaign was published to the first it was seen up by {@code n}. The limit,
 * in the same run on the same job: the longest barrier delay of the checkpoints of a quiet spell
 * just before the campaign — what a checkpoint costs here without a sweep. The second line counts
 * the checkpoints completed during the sweep against what the interval allows in that time.
 */
public final class CheckpointBench {

  static final String TARGET = "≤ 200 ms";

  /** The decision operator's name in the job graph ({@code DeliveryJob}). */
  private static final String OPERATOR = "user decisions";

  private CheckpointBench() {}

  public static void main(String[] args) {
    RigFlags.main(flags(), args, (parsed, out) -> out.println(run(parsed)));
  }

  static CommandFlags flags() {
    return RigFlags.common(
        new CommandFlags(
                "usage: bin/bench checkpoint [flags]\n"
                    + "Figure 5: the longest barrier alignment + start delay at the decision"
                    + " operator over the checkpoints\nin flight while a rated campaign's sweep"
                    + " walks N users; and the checkpoints completed during it.")
            .value("users", "100000", "users in the population (4 events each)")
            .value("partitions", "2", "partitions of user-events")
            .value("checkpoint-interval", "PT1S", "the job's checkpoint interval")
            .value(
                "rate", "0", "the campaign's rate, messages/s; 0: the audience spread over an hour")
            .value(
                "quiet",
                "PT5S",
                "the quiet spell before each campaign whose checkpoints give the limit"),
        3);
  }

  /** Measures and returns the FIGURE lines; progress goes to stderr. */
  static String run(CommandFlags.Parsed flags) throws Exception {
    int users = flags.number("users", 1, 50_000_000);
    int runs = flags.number("runs", 1, 100);
    int partitions = flags.number("partitions", 1, 64);
    Duration interval = Duration.parse(flags.text("checkpoint-interval"));
    Duration quiet = Duration.parse(flags.text("quiet"));
    // Live mode: the users' events two hours ago, so that they are inside their window now.
    Population population =
        new Population(
            users, Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS));
    double rate = Double.parseDouble(flags.text("rate"));
    if (rate <= 0) {
      rate = Math.max(1, Math.ceil(population.matching() / 3600.0));
    }
    Figure delay = new Figure("checkpoint", "ms");
    Figure completed = new Figure("checkpoints completed during the sweep", "checkpoints");
    RigFlags.progress(
        "checkpoint: %,d users, %,d in the audience, rate %.0f/s, checkpoints every %s; %s",
        users, population.matching(), rate, interval, Figure.machine());
    try (JobRig rig = RigFlags.rig(flags)) {
      JobRig.RunTopics topics = rig.createTopics("checkpoint", partitions);
      RigFlags.progress("writing %,d events...", population.events());
      rig.produce(topics.names().userEvents(), population);
      try (RigJob job =
          rig.startJob(
              topics,
              "checkpoint",
              CheckpointWatch.clusterOptions(),
              "--checkpoint-interval",
              interval.toString(),
              "--delivery",
              "false")) {
        job.awaitRunning(Duration.ofMinutes(2));
        awaitApplied(job, population);
        CheckpointWatch watch = CheckpointWatch.of(job, OPERATOR);
        for (int run = 1; run <= runs; run++) {
          Run r = once(rig, job, watch, topics, population, rate, quiet, "checkpoint-" + run);
          job.checkHealthy();
          delay.add(r.barrierDelay(), r.quietBarrierDelay());
          completed.add(r.completed(), r.sweepMillis() / (double) interval.toMillis());
          RigFlags.progress(
              "run %d/%d: sweep of %,d users %,d ms; %d checkpoints in flight during it, %d"
                  + " completed; longest barrier delay %,d ms (alignment %,d, start delay %,d, sync"
                  + " %,d) | quiet: %d checkpoints, longest %,d ms",
              run,
              runs,
              users,
              r.sweepMillis(),
              r.overlapping().size(),
              r.completed(),
              r.barrierDelay(),
              r.overlapping().stream()
                  .mapToLong(CheckpointWatch.Checkpoint::alignment)
                  .max()
                  .orElse(0),
              r.overlapping().stream()
                  .mapToLong(CheckpointWatch.Checkpoint::startDelay)
                  .max()
                  .orElse(0),
              r.overlapping().stream().mapToLong(CheckpointWatch.Checkpoint::sync).max().orElse(0),
              r.quietCheckpoints(),
              r.quietBarrierDelay());
          long[] delays =
              r.overlapping().stream()
                  .mapToLong(CheckpointWatch.Checkpoint::barrierDelay)
                  .sorted()
                  .toArray();
          RigFlags.progress(
              "  barrier delays of the %d checkpoints in flight: median %,d ms, 90th percentile"
                  + " %,d ms, longest %,d ms",
              delays.length,
              percentile(delays, 50),
              percentile(delays, 90),
              percentile(delays, 100));
          for (CheckpointWatch.Checkpoint c :
              watch.triggeredBetween(r.sweepFrom() - 10_000, r.sweepFrom() + r.sweepMillis())) {
            RigFlags.progress(
                "  checkpoint %d %s%s: triggered %+,d ms into the sweep, ended %+,d ms; %s",
                c.id(),
                c.status(),
                r.overlapping().contains(c) ? ", in flight during the sweep" : "",
                c.triggeredAt() - r.sweepFrom(),
                c.endedAt() - r.sweepFrom(),
                c.subtasks());
          }
        }
      }
    }
    return delay.summary(TARGET) + System.lineSeparator() + completed.summary(null);
  }

  /** The {@code p}th percentile (nearest rank) of sorted {@code xs}; 0 if there are none. */
  static long percentile(long[] xs, int p) {
    if (xs.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * xs.length);
    return xs[Math.max(0, rank - 1)];
  }

  /** One run: the quiet spell's checkpoints, then the sweep's. Times in epoch milliseconds. */
  record Run(
      long sweepFrom,
      long sweepMillis,
      List<CheckpointWatch.Checkpoint> overlapping,
      int completed,
      long barrierDelay,
      int quietCheckpoints,
      long quietBarrierDelay) {}

  static Run once(
      JobRig rig,
      RigJob job,
      CheckpointWatch watch,
      JobRig.RunTopics topics,
      Population population,
      double rate,
      Duration quiet,
      String campaign)
      throws Exception {
    JobMetrics m = job.metrics();
    long quietFrom = System.currentTimeMillis();
    long quietUntil;
    do {
      watch.poll();
      Thread.sleep(200);
      quietUntil = System.currentTimeMillis();
      if (quietUntil > quietFrom + quiet.toMillis() + 60_000) {
        throw new TimeoutException("no checkpoint completed in a minute of quiet");
      }
    } while (quietUntil < quietFrom + quiet.toMillis()
        || watch.within(quietFrom, quietUntil).isEmpty());
    List<CheckpointWatch.Checkpoint> quietOnes = watch.within(quietFrom, quietUntil);

    long swept = m.sum(Metrics.SWEPT_USERS, JobMetrics.OPERATOR, OPERATOR);
    Instant start = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
    rig.publish(topics.names().campaigns(), Population.campaign(campaign, start, rate));
    long users = population.users();
    long deadline = System.nanoTime() + Duration.ofSeconds(120 + users / 2_000).toNanos();
    long unchangedAt = System.currentTimeMillis();
    long nextPoll = 0;
    long from;
    while (true) {
      long now = System.currentTimeMillis();
      long s = m.sum(Metrics.SWEPT_USERS, JobMetrics.OPERATOR, OPERATOR) - swept;
      if (s == 0) {
        unchangedAt = now;
      } else if (s >= users) {
        from = unchangedAt;
        break;
      }
      if (now >= nextPoll) {
        watch.poll();
        nextPoll = System.currentTimeMillis() + 200;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(campaign + ": " + s + " of " + users + " users swept");
      }
      Thread.sleep(2);
    }
    long to = System.currentTimeMillis();
    // Every checkpoint in flight during the sweep has to end before it is judged.
    long settleBy = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (!watch.settledAfter(to)) {
      if (System.nanoTime() > settleBy) {
        throw new TimeoutException("checkpoints did not settle after the sweep");
      }
      Thread.sleep(200);
      watch.poll();
    }
    List<CheckpointWatch.Checkpoint> overlapping = watch.overlapping(from, to);
    int completed =
        (int)
            overlapping.stream()
                .filter(c -> c.completed() && c.endedAt() >= from && c.endedAt() <= to)
                .count();
    long delay =
        overlapping.stream().mapToLong(CheckpointWatch.Checkpoint::barrierDelay).max().orElse(0);
    long quietDelay =
        quietOnes.stream().mapToLong(CheckpointWatch.Checkpoint::barrierDelay).max().orElse(0);
    return new Run(from, to - from, overlapping, completed, delay, quietOnes.size(), quietDelay);
  }

  /** Waits until every event is read and the decision operator's watermark has passed the last. */
  private static void awaitApplied(RigJob job, Population population) throws Exception {
    JobMetrics m = job.metrics();
    long events = population.events();
    long lastAt = population.lastAt().toEpochMilli();
    long t = System.nanoTime();
    long deadline = t + Duration.ofSeconds(120 + events / 5_000).toNanos();
    while (true) {
      long read = m.sum(Metrics.RECORDS_IN, "<input>", "user-events");
      long watermark =
          m.min("currentOutputWatermark", JobRig.PARALLELISM, JobMetrics.OPERATOR, OPERATOR);
      if (read >= events && watermark >= lastAt) {
        RigFlags.progress("%,d events applied in %.1f s", events, (System.nanoTime() - t) / 1e9);
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(read + " of " + events + " events read, watermark " + watermark);
      }
      Thread.sleep(20);
    }
  }
}
