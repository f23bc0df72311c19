package dev.herald.bench.job;

import dev.herald.bench.Figure;
import dev.herald.bench.Population;
import dev.herald.connectors.kafka.CommandFlags;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Figure 4, start latency in live mode: the job running and caught up with the population (all its
 * events applied, a checkpoint completed since), a campaign published with {@code at} = the wall
 * clock's now; the time from publishing it to its first decision being readable on {@code
 * decisions} by a {@code read_committed} reader, as any downstream reader of the exactly-once
 * output reads it.
 *
 * <p>Two figures, to say what part is the commit: the first decision <em>written</em> (a {@code
 * read_uncommitted} reader sees it: the campaign was read, event time reached its start, and the
 * sweep decided a first user) and <em>committed</em> (the checkpoint after the sweep completed and
 * its transaction committed). The second is bounded below by the checkpoint interval: a decision
 * waits for the next checkpoint, half an interval on average.
 *
 * <p>Each run is one campaign on the same running job, after the previous campaign's decisions are
 * all committed. The limits, measured just before each campaign on the same broker ({@link
 * KafkaRoundTrip}): for the committed figure, a transactional producer committing at the job's
 * checkpoint interval, written to half-way through it; for the written one, a plain
 * produce-to-consume round trip.
 */
public final class StartLatencyBench {

  static final String TARGET = "≤ 1 s";

  private StartLatencyBench() {}

  public static void main(String[] args) {
    RigFlags.main(flags(), args, StartLatencyBench::run);
  }

  /** The flags of this bench. */
  static CommandFlags flags() {
    return RigFlags.common(
        new CommandFlags("usage: bin/bench start-latency [flags]")
            .value("users", "200000", "users in the population (half in each campaign)")
            .value("partitions", "2", "partitions of user-events and decisions")
            .value(
                "checkpoint-interval",
                "",
                "the job's --checkpoint-interval; empty: the job's default (PT10S)"),
        5);
  }

  /** The first instant each campaign's decisions were seen, and how many. */
  static final class ByCampaign implements Consumer<ConsumerRecord<String, String>> {
    final Map<String, Long> firstNanos = new ConcurrentHashMap<>();
    final Map<String, Long> lastNanos = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    @Override
    public void accept(ConsumerRecord<String, String> r) {
      long now = System.nanoTime();
      firstNanos.putIfAbsent(r.key(), now);
      lastNanos.put(r.key(), now);
      counts.computeIfAbsent(r.key(), k -> new AtomicLong()).incrementAndGet();
    }

    long count(String campaign) {
      AtomicLong c = counts.get(campaign);
      return c == null ? 0 : c.get();
    }

    long await(String campaign, long n, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (count(campaign) < n) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              campaign + ": " + count(campaign) + " of " + n + " decisions within " + timeout);
        }
        Thread.sleep(2);
      }
      return firstNanos.get(campaign);
    }
  }

  static void run(CommandFlags.Parsed flags, PrintStream out) throws Exception {
    int users = flags.number("users", 1, 50_000_000);
    int runs = flags.number("runs", 1, 100);
    int partitions = flags.number("partitions", 1, 64);
    List<String> jobFlags = new ArrayList<>();
    if (flags.given("checkpoint-interval")) {
      jobFlags.addAll(List.of("--checkpoint-interval", flags.text("checkpoint-interval")));
    }
    // Inside everyone's 24-hour window now: the last events an hour ago.
    Population population =
        new Population(
            users, Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS));
    Figure committedFigure = new Figure("start-latency", "s");
    Figure writtenFigure = new Figure("start-latency-written", "s");
    try (JobRig rig = RigFlags.rig(flags)) {
      String run = "latency";
      JobRig.RunTopics topics = rig.createTopics(run, partitions);
      RigFlags.progress("writing %,d events...", population.events());
      long events = rig.produce(topics.names().userEvents(), population);
      try (RigJob job = rig.startJob(topics, run, jobFlags.toArray(String[]::new));
          KafkaRoundTrip roundTrip =
              new KafkaRoundTrip(rig.bootstrapServers(), rig.admin(), "round-trip-" + run)) {
        Duration interval = job.config().checkpointInterval();
        job.awaitApplied(
            events, population.lastAt(), Duration.ofSeconds(120 + events / 5_000), run);
        awaitCheckpoint(job, Duration.ofMinutes(5));
        RigFlags.progress("caught up; checkpoint interval %s", interval);

        ByCampaign written = new ByCampaign();
        ByCampaign committed = new ByCampaign();
        String decisions = topics.names().decisions();
        try (TopicTail w =
                new TopicTail(
                    rig.bootstrapServers(),
                    decisions,
                    TopicTail.Isolation.READ_UNCOMMITTED,
                    written);
            TopicTail c =
                new TopicTail(
                    rig.bootstrapServers(),
                    decisions,
                    TopicTail.Isolation.READ_COMMITTED,
                    committed)) {
          for (int i = 1; i <= runs; i++) {
            double plainLimit = roundTrip.plain();
            double transactionalLimit = roundTrip.transactional(interval);
            String id = "launch-" + i;
            String record =
                Population.campaign(id, Instant.now().truncatedTo(ChronoUnit.MILLIS), 0);
            long publishedMillis = System.currentTimeMillis();
            long published = System.nanoTime();
            rig.publish(topics.names().campaigns(), record);
            long firstWritten = written.await(id, 1, Duration.ofMinutes(2));
            long firstCommitted = committed.await(id, 1, Duration.ofMinutes(2));
            committed.await(id, population.matching(), Duration.ofMinutes(5));
            job.checkHealthy();
            double toWritten = (firstWritten - published) / 1e9;
            double toCommitted = (firstCommitted - published) / 1e9;
            RigFlags.progress(
                "run %d/%d: the sweep's last decision written after %.3f s; %s",
                i,
                runs,
                (written.lastNanos.get(id) - published) / 1e9,
                checkpoints(job, publishedMillis, toCommitted));
            RigFlags.progress(
                "run %d/%d: first decision written after %.3f s, committed after %.3f s (the"
                    + " commit: %.3f s); limits: plain round trip %.3f s, transactional at %s"
                    + " %.3f s",
                i,
                runs,
                toWritten,
                toCommitted,
                toCommitted - toWritten,
                plainLimit,
                interval,
                transactionalLimit);
            committedFigure.add(toCommitted, transactionalLimit);
            writtenFigure.add(toWritten, plainLimit);
          }
        }
      }
    }
    committedFigure.print(out, TARGET);
    writtenFigure.print(out, TARGET);
  }

  /**
   * The checkpoints that completed from the campaign's publication to its first commit: when each
   * was triggered and completed, in seconds after the publication.
   */
  static String checkpoints(RigJob job, long publishedMillis, double toCommitted) throws Exception {
    List<String> out = new ArrayList<>();
    for (AbstractCheckpointStats c : job.checkpointStats().getHistory().getCheckpoints()) {
      double completed = (c.getLatestAckTimestamp() - publishedMillis) / 1000.0;
      if (c.getStatus() == CheckpointStatsStatus.COMPLETED
          && completed > 0
          && completed <= toCommitted + 0.5) {
        out.add(
            String.format(
                Locale.ROOT,
                "checkpoint %d triggered at %+.3f s, completed at %+.3f s",
                c.getCheckpointId(),
                (c.getTriggerTimestamp() - publishedMillis) / 1000.0,
                completed));
      }
    }
    java.util.Collections.reverse(out); // the history is newest first
    return out.isEmpty() ? "no checkpoint completed in between" : String.join("; ", out);
  }

  /** Waits until a checkpoint completes after now. */
  static void awaitCheckpoint(RigJob job, Duration timeout) throws Exception {
    long before = job.checkpointStats().getCounts().getNumberOfCompletedCheckpoints();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (job.checkpointStats().getCounts().getNumberOfCompletedCheckpoints() <= before) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("no checkpoint completed within " + timeout);
      }
      Thread.sleep(50);
    }
  }
}
