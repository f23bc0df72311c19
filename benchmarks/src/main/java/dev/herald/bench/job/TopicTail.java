package dev.herald.bench.job;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning as it grows, on a thread of its own, and counts its records: how
 * many, and when the first arrived. {@code read_committed} (what a downstream reader of the job's
 * exactly-once output sees: records of committed transactions only, once committed) or {@code
 * read_uncommitted} (records as soon as they are written, before their transaction commits).
 *
 * <p>Start it before the records can appear, so that {@link #firstNanos} is when the first one
 * became readable (within one poll's wake-up, a few milliseconds).
 */
public final class TopicTail implements AutoCloseable {

  /** How the tail reads. */
  public enum Isolation {
    READ_COMMITTED,
    READ_UNCOMMITTED
  }

  private final String topic;
  private final KafkaConsumer<String, String> consumer;
  private final Consumer<ConsumerRecord<String, String>> each;
  private final Thread thread;
  private final AtomicLong count = new AtomicLong();
  private volatile long firstNanos = Long.MIN_VALUE;
  private volatile long lastNanos = Long.MIN_VALUE;
  private volatile boolean running = true;
  private volatile RuntimeException failure;

  /**
   * Starts reading every partition of {@code topic} from its beginning.
   *
   * @param each called with every record, on the tail's thread ({@code r -> {}} for none)
   */
  public TopicTail(
      String bootstrapServers,
      String topic,
      Isolation isolation,
      Consumer<ConsumerRecord<String, String>> each) {
    this.topic = topic;
    this.each = each;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        isolation == Isolation.READ_COMMITTED ? "read_committed" : "read_uncommitted");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-tail-" + topic);
    // A fetch returns as soon as one record is readable, so the first one's time is exact.
    p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> parts =
        consumer.partitionsFor(topic).stream()
            .map(i -> new TopicPartition(topic, i.partition()))
            .toList();
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    thread = new Thread(this::run, "bench-tail-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /** A tail that only counts. */
  public TopicTail(String bootstrapServers, String topic, Isolation isolation) {
    this(bootstrapServers, topic, isolation, r -> {});
  }

  private void run() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        long now = System.nanoTime();
        if (firstNanos == Long.MIN_VALUE) {
          firstNanos = now;
        }
        for (ConsumerRecord<String, String> r : records) {
          each.accept(r);
        }
        lastNanos = now;
        count.addAndGet(records.count());
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Records read so far. */
  public long count() {
    check();
    return count.get();
  }

  /** {@link System#nanoTime} when the first record was read, or {@link Long#MIN_VALUE}. */
  public long firstNanos() {
    check();
    return firstNanos;
  }

  /** {@link System#nanoTime} when the latest record was read, or {@link Long#MIN_VALUE}. */
  public long lastNanos() {
    check();
    return lastNanos;
  }

  /**
   * Waits until at least {@code n} records have been read.
   *
   * @throws TimeoutException naming the topic and the count, if {@code timeout} passes first
   */
  public void await(long n, Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count() < n) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            topic + ": read " + count.get() + " of " + n + " records within " + timeout);
      }
      Thread.sleep(5);
    }
  }

  private void check() {
    RuntimeException f = failure;
    if (f != null) {
      throw new IllegalStateException("reading " + topic + " failed: " + f, f);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
