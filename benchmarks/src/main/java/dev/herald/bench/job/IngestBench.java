package dev.herald.bench.job;

import dev.herald.bench.Figure;
import dev.herald.bench.Population;
import dev.herald.connectors.kafka.CommandFlags;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Figure 1, ingest: the population's user events already on {@code user-events}, then the job
 * (parallelism 2, RocksDB, incremental checkpoints, exactly-once sinks): events applied per second.
 *
 * <p>Applied means in the user's state: an event is read and parsed (the parse step's {@code
 * heraldRecordsIn}), buffered in the user's record, and applied by the user's timer when the
 * watermark passes its {@code at}. So the clock stops when every event has been read and the
 * decision operator's output watermark (on both subtasks; it moves only after the timers up to it
 * have fired) has passed the last event's {@code at}. It starts when the first event is read: the
 * job's start-up is left out (and printed on stderr).
 *
 * <p>The job runs in replay mode by default: every event takes the path an event arriving on time
 * takes in live mode (buffered, a timer, applied in event-time order). In live mode on a backlog
 * written before the job started ({@code --mode live}), each partition's watermark follows the wall
 * clock once the partition has been idle for {@code --idle-after}, which passes before the first
 * fetch: nearly every event then arrives behind the watermark and is applied on arrival, without a
 * timer; the count applied late is printed.
 *
 * <p>The limit, in the same run on the same topic: one plain {@code KafkaConsumer} reading every
 * partition from the beginning, values deserialised to {@code String}, records per second from its
 * first record to its last.
 */
public final class IngestBench {

  static final String TARGET = "≥ 250 k events/s";

  private IngestBench() {}

  public static void main(String[] args) {
    RigFlags.main(flags(), args, IngestBench::run);
  }

  /** The flags of this bench. */
  static CommandFlags flags() {
    return RigFlags.common(
        new CommandFlags("usage: bin/bench ingest [flags]")
            .value("users", "200000", "users in the population (4 events each)")
            .value("partitions", "2", "partitions of user-events")
            .value("mode", "replay", "the job's --mode: replay or live (see the class comment)"),
        3);
  }

  static void run(CommandFlags.Parsed flags, PrintStream out) throws Exception {
    int users = flags.number("users", 1, 50_000_000);
    int runs = flags.number("runs", 1, 100);
    int partitions = flags.number("partitions", 1, 64);
    String mode = flags.text("mode");
    Population population = new Population(users);
    Figure figure = new Figure("ingest", "events/s");
    try (JobRig rig = RigFlags.rig(flags)) {
      for (int run = 1; run <= runs; run++) {
        Result r = once(rig, population, partitions, mode, "ingest-" + run);
        RigFlags.progress(
            "run %d/%d: %,.0f events/s applied (%,d events in %.2f s; %.2f s from submission;"
                + " %,d applied late), limit %,.0f records/s",
            run,
            runs,
            r.eventsPerSecond(),
            population.events(),
            r.seconds(),
            r.secondsFromSubmission(),
            r.lateEvents(),
            r.limit());
        figure.add(r.eventsPerSecond(), r.limit());
      }
    }
    figure.print(out, TARGET);
  }

  /** One run's figures. */
  record Result(
      double eventsPerSecond,
      double seconds,
      double secondsFromSubmission,
      long lateEvents,
      double limit) {}

  static Result once(JobRig rig, Population population, int partitions, String mode, String run)
      throws Exception {
    JobRig.RunTopics topics = rig.createTopics(run, partitions);
    String topic = topics.names().userEvents();
    RigFlags.progress("%s: writing %,d events to %s...", run, population.events(), topic);
    long events = rig.produce(topic, population);

    RigFlags.progress("%s: the limit, a plain consumer...", run);
    Consumed limit = plainConsumer(rig.bootstrapServers(), topic, events);

    RigFlags.progress("%s: the job...", run);
    try (RigJob job = rig.startJob(topics, run, "--mode", mode)) {
      RigJob.Applied applied =
          job.awaitApplied(
              events, population.lastAt(), Duration.ofSeconds(120 + events / 5_000), run);
      job.checkHealthy();
      double seconds = applied.seconds();
      double operatorCpu = job.taskCpuSeconds(RigJob.DECISIONS_OPERATOR);
      double jobCpu = job.taskCpuSeconds("");
      RigFlags.progress(
          "%s: CPU used: the job's tasks %.1f s (%,.0f events per CPU-second), of which the"
              + " decision operator %.1f s (%.1f µs per event); the plain consumer %,.0f records"
              + " per CPU-second",
          run,
          jobCpu,
          events / jobCpu,
          operatorCpu,
          operatorCpu * 1e6 / events,
          limit.perCpuSecond());
      return new Result(
          events / seconds,
          seconds,
          (applied.appliedNanos() - job.submittedNanos()) / 1e9,
          applied.lateEvents(),
          limit.perSecond());
    }
  }

  /**
   * Records per second of one plain consumer reading {@code topic} from the beginning to {@code
   * records}, values as {@code String}s, from its first record to its last.
   */
  /** The plain consumer's records per second, and per second of its thread's CPU. */
  record Consumed(double perSecond, double perCpuSecond) {}

  static Consumed plainConsumer(String servers, String topic, long records) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuBefore = threads.getCurrentThreadCpuTime();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // as the job reads
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-plain-consumer");
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long read = 0;
      long chars = 0;
      long first = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(120 + records / 5_000).toNanos();
      while (read < records) {
        ConsumerRecords<String, String> batch = c.poll(Duration.ofMillis(200));
        if (!batch.isEmpty() && read == 0) {
          first = System.nanoTime();
        }
        for (var r : batch) {
          chars += r.value().length(); // use the value, so that its decoding stays
        }
        read += batch.count();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the plain consumer read " + read + " of " + records);
        }
      }
      double seconds = (System.nanoTime() - first) / 1e9;
      if (chars == 0) {
        throw new IllegalStateException("read only empty values");
      }
      double cpu = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
      return new Consumed(read / seconds, read / cpu);
    }
  }
}
