package dev.herald.simulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the referee from the user-events topic with its own consumer: every partition assigned,
 * read from the beginning, no consumer group (it must see everything, whoever else reads the
 * topic). A second consumer answers "where does the topic end now?" for the referee's catch-up,
 * since a consumer may only be used by one thread.
 */
final class UserEventReader implements Referee.CatchUp, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UserEventReader.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final String topic;
  private final Referee referee;
  private final KafkaConsumer<byte[], String> consumer;
  private final KafkaConsumer<byte[], String> offsets;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition progressed = lock.newCondition();
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private volatile boolean running = true;

  private UserEventReader(String bootstrapServers, String topic, Referee referee) {
    this.topic = topic;
    this.referee = referee;
    this.consumer = new KafkaConsumer<>(properties(bootstrapServers, "reader"));
    this.offsets = new KafkaConsumer<>(properties(bootstrapServers, "offsets"));
    this.thread = new Thread(this::run, "herald-simulator-referee-reader");
    thread.setDaemon(true);
  }

  static UserEventReader start(String bootstrapServers, String topic, Referee referee) {
    UserEventReader reader = new UserEventReader(bootstrapServers, topic, referee);
    reader.thread.start();
    return reader;
  }

  private static Properties properties(String bootstrapServers, String role) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-simulator-referee-" + role);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    // Only what Herald could have read: never an aborted transaction's events.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return p;
  }

  private void run() {
    try {
      List<TopicPartition> partitions = awaitPartitions();
      if (partitions.isEmpty()) {
        return;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        for (ConsumerRecord<byte[], String> r : consumer.poll(POLL)) {
          if (r.value() != null) {
            referee.accept(r.value());
          }
        }
        lock.lock();
        try {
          for (TopicPartition p : partitions) {
            positions.put(p, consumer.position(p));
          }
          progressed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        LOG.warn("The referee's reader was woken up while running", e);
      }
    } catch (RuntimeException e) {
      LOG.error("The referee's reader of {} stopped", topic, e);
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
    }
  }

  /** The topic's partitions, once it exists; empty if closed first. */
  private List<TopicPartition> awaitPartitions() {
    while (running) {
      try {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        if (infos != null && !infos.isEmpty()) {
          return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        }
      } catch (WakeupException e) {
        throw e;
      } catch (RuntimeException e) {
        LOG.debug("Topic {} not readable yet", topic, e);
      }
      try {
        // A background wait for a topic that does not exist yet, not a test's sleep.
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
    return List.of();
  }

  /** Waits up to {@code max} until the reader has read to the ends the topic has now. */
  @Override
  public void await(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    Map<TopicPartition, Long> ends;
    try {
      synchronized (offsets) {
        List<TopicPartition> partitions =
            offsets.partitionsFor(topic, max).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition()))
                .toList();
        ends = offsets.endOffsets(partitions, max);
      }
    } catch (RuntimeException e) {
      LOG.debug("End offsets of {} unavailable; judging without catching up", topic, e);
      return;
    }
    lock.lock();
    try {
      while (!reached(ends)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.debug("The referee did not reach the end of {} in {}", topic, max);
          return;
        }
        progressed.await(left, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      Long position = positions.get(end.getKey());
      if (position == null || position < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (offsets) {
      offsets.close(CloseOptions.timeout(Duration.ofSeconds(1)));
    }
  }
}
