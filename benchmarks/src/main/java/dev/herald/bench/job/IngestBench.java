package dev.herald.bench.job;

import dev.herald.bench.Figure;
import dev.herald.bench.Population;
import dev.herald.connectors.kafka.CommandFlags;
import dev.herald.job.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Figure 1, ingest: the population's user events already on {@code user-events}, then the job (live
 * mode, parallelism 2, RocksDB, incremental checkpoints, exactly-once sinks): events applied per
 * second.
 *
 * <p>Applied means in the user's state: an event is read and parsed (the parse step's {@code
 * heraldRecordsIn}), buffered in the user's record, and applied by the user's timer when the
 * watermark passes its {@code at} (or on arrival, when it arrives behind the watermark). So the
 * clock stops when every event has been read and the decision operator's output watermark (the
 * {@code currentOutputWatermark} of both subtasks, which moves only after the timers up to it have
 * fired) has passed the last event's {@code at}. It starts when the first record is read (job
 * start-up excluded; it is printed on stderr).
 *
 * <p>The limit, in the same run on the same topic: one plain {@code KafkaConsumer} reading every
 * partition from the beginning, values deserialised to {@code String}, records per second from its
 * first record to its last.
 */
public final class IngestBench {

  static final String TARGET = "≥ 250 k events/s";

  private IngestBench() {}

  public static void main(String[] args) {
    CommandFlags flags =
        RigFlags.common(
            new CommandFlags("usage: bin/bench ingest [flags]")
                .value("users", "200000", "users in the population (4 events each)")
                .value("partitions", "2", "partitions of user-events"),
            3);
    RigFlags.main(flags, args, IngestBench::run);
  }

  static void run(CommandFlags.Parsed flags) throws Exception {
    int users = flags.number("users", 1, 50_000_000);
    int runs = flags.number("runs", 1, 100);
    int partitions = flags.number("partitions", 1, 64);
    Population population = new Population(users);
    Figure figure = new Figure("ingest", "events/s");
    try (JobRig rig = RigFlags.rig(flags)) {
      for (int run = 1; run <= runs; run++) {
        Result r = once(rig, population, partitions, "ingest-" + run);
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
    figure.print(System.out, TARGET);
  }

  /** One run's figures. */
  record Result(
      double eventsPerSecond,
      double seconds,
      double secondsFromSubmission,
      long lateEvents,
      double limit) {}

  static Result once(JobRig rig, Population population, int partitions, String run)
      throws Exception {
    JobRig.RunTopics topics = rig.createTopics(run, partitions);
    String topic = topics.names().userEvents();
    RigFlags.progress("%s: writing %,d events to %s...", run, population.events(), topic);
    long events = rig.produce(topic, population);

    RigFlags.progress("%s: the limit, a plain consumer...", run);
    double limit = plainConsumer(rig.bootstrapServers(), topic, events);

    RigFlags.progress("%s: the job...", run);
    try (RigJob job = rig.startJob(topics, run)) {
      JobMetrics m = job.metrics();
      long lastAt = population.lastAt().toEpochMilli();
      Duration timeout = Duration.ofSeconds(120 + events / 5_000);
      long deadline = System.nanoTime() + timeout.toNanos();
      long first = Long.MIN_VALUE;
      long read;
      long watermark;
      // Polled every 2 ms: a clock of that resolution on runs of seconds.
      while (true) {
        long now = System.nanoTime();
        read = m.sum(Metrics.RECORDS_IN, "<input>", "user-events");
        if (first == Long.MIN_VALUE && read > 0) {
          first = now;
        }
        watermark =
            m.min(
                "currentOutputWatermark",
                JobRig.PARALLELISM,
                JobMetrics.OPERATOR,
                "user decisions");
        if (read >= events && watermark >= lastAt) {
          long late = m.sum(Metrics.LATE_EVENTS, JobMetrics.OPERATOR, "user decisions");
          job.checkHealthy();
          double seconds = (now - first) / 1e9;
          return new Result(
              events / seconds, seconds, (now - job.submittedNanos()) / 1e9, late, limit);
        }
        if (now > deadline) {
          throw new TimeoutException(
              run
                  + ": read "
                  + read
                  + " of "
                  + events
                  + " events, watermark "
                  + watermark
                  + " of "
                  + lastAt
                  + " within "
                  + timeout);
        }
        Thread.sleep(2);
      }
    }
  }

  /**
   * Records per second of one plain consumer reading {@code topic} from the beginning to {@code
   * records}, values as {@code String}s, from its first record to its last.
   */
  static double plainConsumer(String servers, String topic, long records) {
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
      return read / seconds;
    }
  }
}
