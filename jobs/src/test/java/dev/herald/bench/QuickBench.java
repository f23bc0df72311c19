package dev.herald.bench;

import dev.herald.job.ControlInput;
import dev.herald.job.UserDecisionOperator;
import dev.herald.job.types.DecisionSerializer;
import dev.herald.job.types.Types;
import dev.herald.job.types.UserKeySerializer;
import dev.herald.job.types.UserRecordSerializer;
import dev.herald.policy.PolicyConfig;
import dev.herald.schema.Channel;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.Decision;
import dev.herald.schema.InteractionKind;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.ConsentMark;
import dev.herald.state.OtnToken;
import dev.herald.state.UserRecord;
import dev.herald.state.UserState;
import java.time.Instant;
import java.util.List;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * A quick measurement of the decision operator on one subtask with real RocksDB (not a test, not
 * the full benchmarks): bytes per typical user, user events applied per second, users swept per
 * second, decisions per second.
 *
 * <p>Run: {@code mvn -q -pl jobs test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.herald.bench.QuickBench -Dexec.args="500000 3"} (users, rounds).
 */
public final class QuickBench {

  private static final Instant T0 = Instant.parse("2021-06-01T10:00:00Z");

  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    bytesPerUser();
    for (int round = 1; round <= rounds; round++) {
      run(users, round);
    }
  }

  /** The serialized size of a typical user and of their key. */
  private static void bytesPerUser() throws Exception {
    UserKey key = new UserKey(Channel.MESSENGER, "104857600123456", "7309456612345678");
    UserState s =
        UserState.EMPTY.toBuilder()
            .lastInteractionAt(T0)
            .breadcrumb("/shop/red-wine", T0)
            .tags(List.of("started", "red-wine"))
            .marketing(new ConsentMark(true, T0))
            .otnTokens(List.of(new OtnToken("restock", "AbCdEf0123456789AbCdEf01", T0)))
            .otnTopics(List.of("restock"))
            .build();
    DataOutputSerializer out = new DataOutputSerializer(256);
    UserRecordSerializer.INSTANCE.serialize(new UserRecord(s, List.of(), List.of(), null), out);
    int value = out.length();
    out.clear();
    UserKeySerializer.INSTANCE.serialize(key, out);
    int keyBytes = out.length();
    out.clear();
    UserRecordSerializer.INSTANCE.serialize(
        new UserRecord(
            UserState.EMPTY.toBuilder().lastInteractionAt(T0).build(), List.of(), List.of(), null),
        out);
    System.out.printf(
        "bytes per user: typical value %d B (interaction, breadcrumb, 2 tags, consent, one OTN"
            + " token) + key %d B (+ RocksDB's key-group and namespace prefix, 3 B); a user with"
            + " only an interaction: %d B%n",
        value, keyBytes, out.length());
  }

  private static void run(int users, int round) throws Exception {
    var h =
        new KeyedTwoInputStreamOperatorTestHarness<UserKey, UserEvent, ControlInput, Decision>(
            new UserDecisionOperator(PolicyConfig.DEFAULT),
            UserEvent::key,
            null,
            Types.USER_KEY,
            128,
            1,
            0);
    EmbeddedRocksDBStateBackend rocksdb = new EmbeddedRocksDBStateBackend();
    rocksdb.getMemoryConfiguration().setFixedMemoryPerSlot("512mb");
    h.setStateBackend(rocksdb);
    h.setup(DecisionSerializer.INSTANCE);
    h.open();
    try {
      // Ingest: two events per user (an interaction and a tag), at distinct instants.
      long t = System.nanoTime();
      for (int i = 0; i < users; i++) {
        UserKey key = new UserKey(Channel.MESSENGER, "page-1", "u-" + i);
        Instant at = T0.plusMillis(i % 3_600_000);
        h.processElement1(
            new StreamRecord<>(
                new UserEvent.Interaction(key, at, null, InteractionKind.MESSAGE, "/start", true),
                at.toEpochMilli()));
        h.processElement1(
            new StreamRecord<>(
                new UserEvent.Tag(key, at.plusMillis(1), null, List.of("started"), List.of()),
                at.toEpochMilli() + 1));
      }
      double buffered = seconds(t);
      t = System.nanoTime();
      Instant start = T0.plusSeconds(4 * 3600);
      h.processBothWatermarks(new Watermark(start.toEpochMilli() - 1));
      double applied = seconds(t);
      System.out.printf(
          "round %d: %d users, %d events: buffered at %.0f events/s, applied in event-time order"
              + " at %.0f events/s (%.0f events/s end to end)%n",
          round,
          users,
          2L * users,
          2.0 * users / buffered,
          2.0 * users / applied,
          2.0 * users / (buffered + applied));

      // A campaign without a rate: the sweep arms every user and decides at once.
      ControlRecord.Campaign c =
          (ControlRecord.Campaign)
              RecordCodec.parseControl(
                      "{\"type\":\"campaign\",\"id\":\"c1\",\"at\":\""
                          + start
                          + "\",\"channel\":\"messenger\",\"account\":\"page-1\","
                          + "\"audience\":{\"allTags\":[\"started\"]},\"message\":{\"text\":\"Hi\"}}")
                  .value();
      h.processElement2(new StreamRecord<>(new ControlInput(c, "bench"), start.toEpochMilli()));
      h.getOutput().clear();
      t = System.nanoTime();
      h.processBothWatermarks(new Watermark(start.toEpochMilli()));
      double sweep = seconds(t);
      long decided = drain(h);
      System.out.printf(
          "round %d: campaign start: %d users swept and %d decided in %.2f s: %.0f decisions/s%n",
          round, users, decided, sweep, decided / sweep);

      // A rated campaign: the sweep only arms timers; the decisions come as event time passes.
      ControlRecord.Campaign rated =
          (ControlRecord.Campaign)
              RecordCodec.parseControl(
                      "{\"type\":\"campaign\",\"id\":\"c2\",\"at\":\""
                          + start.plusSeconds(60)
                          + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"rate\":1000,"
                          + "\"message\":{\"text\":\"Hi\"}}")
                  .value();
      h.processElement2(
          new StreamRecord<>(
              new ControlInput(rated, "bench"), start.plusSeconds(60).toEpochMilli()));
      t = System.nanoTime();
      h.processBothWatermarks(new Watermark(start.plusSeconds(60).toEpochMilli()));
      double arm = seconds(t);
      drain(h);
      t = System.nanoTime();
      h.processBothWatermarks(Watermark.MAX_WATERMARK);
      double fire = seconds(t);
      decided = drain(h);
      System.out.printf(
          "round %d: rated campaign: %d users swept and armed at %.0f users/s; %d timers fired"
              + " and decided at %.0f decisions/s%n",
          round, users, users / arm, decided, decided / fire);
    } finally {
      h.close();
    }
  }

  /** Counts and drops the decisions emitted so far. */
  private static long drain(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> h) {
    long n = h.getOutput().stream().filter(o -> o instanceof StreamRecord).count();
    h.getOutput().clear();
    return n;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
