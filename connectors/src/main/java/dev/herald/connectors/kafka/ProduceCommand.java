package dev.herald.connectors.kafka;

import dev.herald.connectors.file.LineReader;
import dev.herald.schema.Bounds;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bin/kafka produce}: writes a file of records (a replay scenario's {@code input.jsonl}) to
 * Kafka as upstream systems would. User events go to the user-events topic with the key {@code
 * channel/account/user}, so that each user's events stay in one partition in the order written;
 * campaign, reminder and cancel records go to the campaigns topic with the campaign id as key (an
 * account record: {@code channel/account}). A line the codec rejects is written as it is, without
 * key, to the topic its {@code type} names (user-events if none), so that the job dead-letters it
 * with its offset. Every record is acknowledged by all replicas before the command ends.
 */
public final class ProduceCommand {

  /** A campaign record's {@code type}, to send a record the codec rejects where it was meant. */
  private static final Pattern CONTROL_TYPE =
      Pattern.compile("\"type\"\\s*:\\s*\"(" + String.join("|", ControlRecord.TYPES) + ")\"");

  static final CommandFlags FLAGS =
      new CommandFlags("usage: bin/kafka produce --file FILE [flags]")
          .value(
              "file", "", "the records, one JSON object per line (e.g. a scenario's input.jsonl)")
          .value("bootstrap-servers", "localhost:9092", "Kafka bootstrap servers")
          .value("topic-user-events", TopicNames.USER_EVENTS, "topic of user events")
          .value(
              "topic-campaigns",
              TopicNames.CAMPAIGNS,
              "topic of campaign, reminder and cancel records")
          .toggle("help", "print this help");

  private ProduceCommand() {}

  /** Where a record goes. */
  public record Destination(String topic, String key) {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintStream(System.out, true, StandardCharsets.UTF_8), System.err));
  }

  /** Runs the command; returns the exit status (0, 1 on a Kafka or file error, 2 on a bad flag). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandFlags.Parsed flags;
    Path file;
    try {
      flags = FLAGS.parse(args);
      if (flags.isSet("help")) {
        out.print(FLAGS.usage());
        return 0;
      }
      if (flags.text("file").isEmpty()) {
        throw new IllegalArgumentException("--file: the file of records to write is required");
      }
      file = Path.of(flags.text("file"));
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("--file: " + file + " is not a readable file");
      }
    } catch (IllegalArgumentException e) {
      err.println("produce: " + e.getMessage());
      err.print(FLAGS.usage());
      return 2;
    }
    String userEvents = flags.text("topic-user-events");
    String campaigns = flags.text("topic-campaigns");
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            flags.text("bootstrap-servers"),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            30_000);
    int toUserEvents = 0;
    int toCampaigns = 0;
    int unreadable = 0;
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        InputStream in = Files.newInputStream(file)) {
      LineReader lines = new LineReader(in, Bounds.MAX_RECORD_BYTES);
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      byte[] line;
      while ((line = lines.next()) != null) {
        Destination d = destination(line, userEvents, campaigns);
        if (d.key() == null) {
          unreadable++;
        } else if (d.topic().equals(userEvents)) {
          toUserEvents++;
        } else {
          toCampaigns++;
        }
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    d.topic(),
                    d.key() == null ? null : d.key().getBytes(StandardCharsets.UTF_8),
                    line)));
      }
      producer.flush();
      for (int i = 0; i < sent.size(); i++) {
        try {
          sent.get(i).get();
        } catch (ExecutionException e) {
          err.println(
              "produce: line " + (i + 1) + " was not written: " + e.getCause().getMessage());
          return 1;
        }
      }
    } catch (IOException | RuntimeException e) {
      err.println("produce: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("produce: interrupted");
      return 1;
    }
    out.printf(
        "%d user events to %s, %d campaign records to %s, %d records the codec rejects"
            + " (written without key, for the job to dead-letter)%n",
        toUserEvents, userEvents, toCampaigns, campaigns, unreadable);
    return 0;
  }

  /** Where upstream would write {@code line}: user events by user key, campaign records by id. */
  public static Destination destination(byte[] line, String userEvents, String campaigns) {
    Parsed<InputRecord> parsed = RecordCodec.parse(line);
    if (!parsed.isOk()) {
      String text = new String(line, StandardCharsets.UTF_8);
      return new Destination(CONTROL_TYPE.matcher(text).find() ? campaigns : userEvents, null);
    }
    InputRecord r = parsed.value();
    if (r instanceof UserEvent e) {
      return new Destination(userEvents, e.key().toString());
    }
    String key;
    if (r instanceof ControlRecord.Campaign c) {
      key = c.id();
    } else if (r instanceof ControlRecord.Reminder m) {
      key = m.id();
    } else if (r instanceof ControlRecord.Cancel c) {
      key = c.campaign();
    } else {
      ControlRecord.AccountStatus a = (ControlRecord.AccountStatus) r;
      key = a.channel().wire() + "/" + a.account();
    }
    return new Destination(campaigns, key);
  }
}
