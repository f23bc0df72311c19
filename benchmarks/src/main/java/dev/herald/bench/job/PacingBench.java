package dev.herald.bench.job;

import dev.herald.bench.Figure;
import dev.herald.bench.Population;
import dev.herald.connectors.kafka.CommandFlags;
import dev.herald.job.Metrics;
import dev.herald.job.dispatch.DispatchMetrics;
import dev.herald.schema.DeliveryStatus;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import dev.herald.simulator.AccountCounters;
import dev.herald.simulator.ChannelSimulator;
import dev.herald.simulator.Counters;
import dev.herald.simulator.SimulatorConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Figure 6, pacing: the live job delivering to the channel simulator, one Messenger page with an
 * account limit L, a campaign with rate R over the population's matching half. Two cases: R below L
 * (rate-bound: is the achieved rate within 1 % of R?) and R above L (limit-bound: never over L, and
 * how close to it).
 *
 * <p>Measured at the simulator, which plays the platform: the largest count of calls it accepted in
 * any one-second window (sliding to the millisecond, exact) and how many it throttled for going
 * over L (zero means never over: every call was accepted, so the largest count in any second of
 * those made is the accepted one). The achieved average is (sent − 1) / (last − first) over the
 * {@code sent} outcomes' instants (when the platform's answer came back) on {@code
 * delivery-outcomes}.
 *
 * <p>The referee of the simulator judges every message against the users' events (it reads {@code
 * user-events}); a rejection would mean a wrong send and fails the run.
 */
public final class PacingBench {

  static final String TARGET = "never over; within 1 % of R";

  private PacingBench() {}

  public static void main(String[] args) {
    RigFlags.main(flags(), args, PacingBench::run);
  }

  /** The flags of this bench. */
  static CommandFlags flags() {
    return RigFlags.common(
        new CommandFlags("usage: bin/bench pacing [flags]")
            .value("users", "12000", "users in the population (the campaign takes half)")
            .value("partitions", "2", "partitions of the job's topics")
            .value("limit", "300", "the page's limit L, messages per second")
            .value("rate-below", "200", "the campaign's rate R of the rate-bound case (< L)")
            .value("rate-above", "400", "the campaign's rate R of the limit-bound case (> L)"),
        3);
  }

  /** One run's figures. */
  record Result(long sent, double average, int maxInAnyOneSecond, long throttled) {}

  static void run(CommandFlags.Parsed flags, PrintStream out) throws Exception {
    int users = flags.number("users", 2, 50_000_000);
    int runs = flags.number("runs", 1, 100);
    int partitions = flags.number("partitions", 1, 64);
    int limit = flags.number("limit", 1, 100_000);
    int below = flags.number("rate-below", 1, 1_000_000);
    int above = flags.number("rate-above", 1, 1_000_000);
    if (below >= limit || above <= limit) {
      throw new IllegalArgumentException(
          "--rate-below must be under --limit and --rate-above over it");
    }
    try (JobRig rig = RigFlags.rig(flags)) {
      for (int rate : new int[] {below, above}) {
        boolean rateBound = rate < limit;
        String name = rateBound ? "pacing-rate-bound" : "pacing-limit-bound";
        String label = String.format(" (R %d/s, L %d/s)", rate, limit);
        Figure average = new Figure(name + label, "msg/s");
        Figure peak = new Figure(name + "-peak" + label, "msg/s");
        for (int run = 1; run <= runs; run++) {
          Result r = once(rig, users, partitions, limit, rate, name + "-" + run);
          RigFlags.progress(
              "%s run %d/%d: %,d sent, average %.2f/s, max in any one second %d, throttled %d",
              name, run, runs, r.sent(), r.average(), r.maxInAnyOneSecond(), r.throttled());
          // The average against what bounds it (R or L); the peak against L.
          average.add(r.average(), Math.min(rate, limit));
          peak.add(r.maxInAnyOneSecond(), limit);
        }
        average.print(out, TARGET);
        peak.print(out, "never over L");
      }
    }
  }

  static Result once(JobRig rig, int users, int partitions, int limit, int rate, String run)
      throws Exception {
    Population population =
        new Population(
            users, Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS));
    JobRig.RunTopics topics = rig.createTopics(run, partitions);
    long events = rig.produce(topics.names().userEvents(), population);

    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes); // made up for this run
    String account = Population.ACCOUNT;
    Path dir = Files.createDirectories(rig.workDir().resolve("runs").resolve(run));
    Path credentials = dir.resolve("credentials");
    Files.writeString(credentials, "messenger/" + account + "=" + token + "\n");
    Path limits = dir.resolve("account-limits.json");
    Files.writeString(limits, "{\"messenger/" + account + "\":{\"perSecond\":" + limit + "}}");

    Sends sends = new Sends();
    Decided decided = new Decided();
    try (ChannelSimulator sim =
            ChannelSimulator.start(
                SimulatorConfig.builder()
                    .port(0)
                    .accountPerSecond(account, limit)
                    .token(account, token)
                    .userEvents(rig.bootstrapServers(), topics.names().userEvents())
                    .build());
        RigJob job =
            rig.startJob(
                topics,
                run,
                "--mode",
                "live",
                "--messenger-base-url",
                sim.messengerBaseUrl().toString(),
                "--credentials-file",
                credentials.toString(),
                "--account-limits",
                limits.toString());
        TopicTail outcomes =
            new TopicTail(
                rig.bootstrapServers(),
                topics.names().deliveryOutcomes(),
                TopicTail.Isolation.READ_COMMITTED,
                sends);
        TopicTail decisions =
            new TopicTail(
                rig.bootstrapServers(),
                topics.names().decisions(),
                TopicTail.Isolation.READ_COMMITTED,
                decided)) {
      job.awaitApplied(events, population.lastAt(), Duration.ofSeconds(120 + events / 5_000), run);
      String record = Population.campaign(run, Instant.now().truncatedTo(ChronoUnit.MILLIS), rate);
      rig.publish(topics.names().campaigns(), record);
      int matching = population.matching();
      Duration timeout = Duration.ofSeconds(120 + 3L * matching / Math.min(rate, limit));
      long deadline = System.nanoTime() + timeout.toNanos();
      long nextProgress = System.nanoTime() + 2_000_000_000L;
      while (sends.sent.get() + sends.other.get() < matching) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              run + ": " + sends.sent.get() + " of " + matching + " sent within " + timeout);
        }
        if (System.nanoTime() > nextProgress) {
          nextProgress = System.nanoTime() + 2_000_000_000L;
          JobMetrics m = job.metrics();
          RigFlags.progress(
              "%s: %,d decided, %,d released by the dispatcher (%,d waiting), %,d accepted by"
                  + " the simulator, %,d sent outcomes committed",
              run,
              m.sum(Metrics.DECISIONS),
              m.sum(DispatchMetrics.RELEASED),
              m.sum(DispatchMetrics.BACKLOG),
              sim.counters().accepted(),
              sends.sent.get());
        }
        Thread.sleep(20);
      }
      job.checkHealthy();
      Counters c = sim.counters();
      if (c.rejections() > 0 || sends.other.get() > 0) {
        throw new IllegalStateException(
            run
                + ": the simulator rejected "
                + c.rejections()
                + " "
                + c.rejectionsByCode()
                + "; outcomes not sent: "
                + sends.other.get());
      }
      AccountCounters a = c.account(account);
      long[] gaps = sends.gaps();
      RigFlags.progress(
          "%s: gaps between consecutive sends (ms): median %d, 10th percentile %d, 90th %d (the"
              + " dispatcher's grid at L with its margin: %.2f ms)",
          run,
          gaps[gaps.length / 2],
          gaps[gaps.length / 10],
          gaps[gaps.length * 9 / 10],
          (1000.0 + job.config().delivery().margin().toMillis()) / limit);
      RigFlags.progress(
          "%s: %,d decisions at instants %.2f s apart first to last (%.2f/s as scheduled)",
          run,
          decided.count.get(),
          (decided.last - decided.first) / 1000.0,
          (decided.count.get() - 1) * 1000.0 / Math.max(1, decided.last - decided.first));
      long sent = sends.sent.get();
      double seconds = (sends.last - sends.first) / 1000.0;
      return new Result(sent, (sent - 1) / seconds, a.maxInAnyOneSecond(), c.throttled());
    }
  }

  /** The decisions: how many, the first and last {@code at} (epoch ms), as the policy set them. */
  static final class Decided implements Consumer<ConsumerRecord<String, String>> {
    private static final java.util.regex.Pattern AT =
        java.util.regex.Pattern.compile("\"at\":\"([^\"]+)\"");
    final AtomicLong count = new AtomicLong();
    volatile long first = Long.MAX_VALUE;
    volatile long last = Long.MIN_VALUE;

    @Override
    public void accept(ConsumerRecord<String, String> r) {
      var m = AT.matcher(r.value());
      if (m.find()) {
        long at = Instant.parse(m.group(1)).toEpochMilli();
        first = Math.min(first, at);
        last = Math.max(last, at);
        count.incrementAndGet();
      }
    }
  }

  /** The {@code sent} outcomes: how many, the first and last instants (epoch ms). */
  static final class Sends implements Consumer<ConsumerRecord<String, String>> {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong other = new AtomicLong();
    volatile long first = Long.MAX_VALUE;
    volatile long last = Long.MIN_VALUE;
    private final List<Long> instants = java.util.Collections.synchronizedList(new ArrayList<>());

    /** The gaps between consecutive sends, in ms, sorted. */
    long[] gaps() {
      long[] at;
      synchronized (instants) {
        at = instants.stream().mapToLong(Long::longValue).sorted().toArray();
      }
      long[] gaps = new long[Math.max(1, at.length - 1)];
      for (int i = 1; i < at.length; i++) {
        gaps[i - 1] = at[i] - at[i - 1];
      }
      java.util.Arrays.sort(gaps);
      return gaps;
    }

    @Override
    public void accept(ConsumerRecord<String, String> r) {
      Parsed<UserEvent> parsed = RecordCodec.parseUserEvent(r.value());
      if (parsed.isOk() && parsed.value() instanceof UserEvent.Delivery d) {
        if (d.status() == DeliveryStatus.SENT) {
          long at = d.at().toEpochMilli();
          first = Math.min(first, at);
          last = Math.max(last, at);
          instants.add(at);
          sent.incrementAndGet();
        } else {
          other.incrementAndGet();
        }
      }
    }
  }
}
