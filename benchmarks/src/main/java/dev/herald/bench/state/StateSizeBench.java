package dev.herald.bench.state;

import dev.herald.bench.Figure;
import dev.herald.bench.Population;
import dev.herald.job.types.UserKeySerializer;
import dev.herald.job.types.UserRecordSerializer;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.ConsentMark;
import dev.herald.state.OptinRequestMark;
import dev.herald.state.OtnToken;
import dev.herald.state.Subscription;
import dev.herald.state.UserRecord;
import dev.herald.state.UserState;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.flink.core.memory.DataInputDeserializer;

/**
 * Figure 7: the state a typical user costs on disk. {@code n} users of {@link Population} (an
 * interaction with a breadcrumb, three tags, an OTN token, a recurring subscription) go into the
 * job's decision operator on one subtask with real RocksDB; event time then passes all their
 * events, so each user is one stored record and nothing is pending. Every column family is then
 * flushed and fully compacted, and the size of the SST files on disk is divided by {@code n}.
 *
 * <p>The limit, measured on the same stored users: the raw bytes of each user's fields, the
 * smallest honest encoding (every string its UTF-8 bytes, every instant 8, every enum or flag 1,
 * the key's channel 1; no lengths, no framing, each fact once). Beside it, the serialized key (with
 * RocksDB's key-group prefix and Flink's namespace byte) and value as they are stored, per user.
 */
public final class StateSizeBench {

  private static final String USAGE =
      """
      bin/bench state-size [--users N] [--runs N] [--dir DIR]
        --users N  users written into the operator (default 100000)
        --runs N   runs, each with a fresh RocksDB (default 3)
        --dir DIR  where RocksDB writes (default: a new directory under java.io.tmpdir)
      Prints progress to stderr and the FIGURE lines to stdout.""";

  private StateSizeBench() {}

  /** What one run measured, per user. */
  record Run(long users, double diskBytes, double keyBytes, double valueBytes, double rawBytes) {}

  public static void main(String[] args) throws Exception {
    int users = 100_000;
    int runs = 3;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          System.out.println(USAGE);
          return;
        }
        case "--users" -> users = Integer.parseInt(value(args, ++i));
        case "--runs" -> runs = Integer.parseInt(value(args, ++i));
        case "--dir" -> dir = Path.of(value(args, ++i));
        default -> {
          System.err.println("state-size: unknown flag " + args[i] + "\n" + USAGE);
          System.exit(2);
        }
      }
    }
    Figure disk = new Figure("state-size", "B/user on disk");
    Figure key = new Figure("state-size key", "B/user");
    Figure value = new Figure("state-size value", "B/user");
    System.err.printf(Locale.ROOT, "state-size: %,d users, %d runs%n", users, runs);
    List<UserEvent> events = OperatorRig.events(new Population(users));
    for (int r = 1; r <= runs; r++) {
      Path runDir =
          dir != null ? dir.resolve("run-" + r) : Files.createTempDirectory("herald-state-size-");
      Run run = measure(events, users, runDir);
      System.err.printf(
          Locale.ROOT,
          "run %d: %.1f B/user on disk; stored key %.1f B + value %.1f B; raw fields %.1f B%n",
          r,
          run.diskBytes(),
          run.keyBytes(),
          run.valueBytes(),
          run.rawBytes());
      disk.add(run.diskBytes(), run.rawBytes());
      key.add(run.keyBytes());
      value.add(run.valueBytes());
    }
    PrintStream out = System.out;
    disk.print(out, "≤ 100 B/user; limit: the raw bytes of the user's fields");
    key.print(out, null);
    value.print(out, null);
  }

  /** One run: the users into a fresh RocksDB under {@code dir}, compacted, measured. */
  static Run measure(List<UserEvent> events, int users, Path dir) throws Exception {
    try (OperatorRig rig = new OperatorRig(dir)) {
      for (UserEvent e : events) {
        rig.event(e);
      }
      rig.advanceTo(Population.START);
      Totals t = new Totals(rig.keyGroupPrefixBytes());
      rig.forEachUserRecord(t::add);
      if (t.users != users) {
        throw new IllegalStateException("stored " + t.users + " users, expected " + users);
      }
      rig.compact();
      long sst = rig.sstBytes();
      long byProperty = rig.sstBytesByProperty();
      if (sst != byProperty) {
        System.err.printf(
            Locale.ROOT,
            "note: SST files on disk %,d B, RocksDB counts %,d B (a file was being replaced)%n",
            sst,
            byProperty);
      }
      return new Run(
          users,
          (double) sst / users,
          (double) t.keyBytes / users,
          (double) t.valueBytes / users,
          (double) t.rawBytes / users);
    }
  }

  /** Sums what RocksDB stores per user, and the raw bytes of the same users' fields. */
  private static final class Totals {
    private final int prefix;
    long users;
    long keyBytes;
    long valueBytes;
    long rawBytes;

    Totals(int prefix) {
      this.prefix = prefix;
    }

    void add(byte[] key, byte[] value) {
      try {
        users++;
        keyBytes += key.length;
        valueBytes += value.length;
        DataInputDeserializer k = new DataInputDeserializer(key, prefix, key.length - prefix);
        UserKey userKey = UserKeySerializer.INSTANCE.deserialize(k);
        UserRecord r = UserRecordSerializer.INSTANCE.deserialize(new DataInputDeserializer(value));
        rawBytes += rawBytes(userKey, r);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("an unreadable stored user", e);
      }
    }
  }

  /**
   * The raw bytes of a stored user's fields: each string its UTF-8 length, each instant 8 bytes,
   * each enum and flag 1 byte, the channel 1; each fact once (the topic of an OTN token is the
   * topic the user holds a token for, counted in {@code otnTopics}). Nothing pending is expected.
   */
  static long rawBytes(UserKey key, UserRecord r) {
    if (!r.buffered().isEmpty() || !r.decisions().isEmpty() || r.reminderDue() != null) {
      throw new IllegalStateException("a stored user with something pending: " + key);
    }
    long n = 1 + utf8(key.account()) + utf8(key.user());
    UserState s = r.state();
    if (s == null) {
      return n;
    }
    n += instant(s.lastInteractionAt()) + instant(s.lastCtmAdAt());
    n += utf8(s.breadcrumb()) + instant(s.breadcrumbAt()) + instant(s.unreachableSince());
    for (String tag : s.tags()) {
      n += utf8(tag);
    }
    n += consent(s.marketing()) + consent(s.utility());
    for (OtnToken t : s.otnTokens()) {
      n += (s.otnTopics().contains(t.topic()) ? 0 : utf8(t.topic()));
      n += utf8(t.token()) + instant(t.createdAt());
    }
    for (String topic : s.otnTopics()) {
      n += utf8(topic);
    }
    for (Subscription sub : s.subscriptions()) {
      n += utf8(sub.topic()) + utf8(sub.token()) + 1 + instant(sub.optedInAt());
      n += instant(sub.expiresAt()) + 1 + instant(sub.statusAt()) + instant(sub.lastSentAt());
    }
    for (OptinRequestMark m : s.optinRequests()) {
      n += utf8(m.topic()) + instant(m.at());
    }
    n += 8L * s.capSends().size();
    return n;
  }

  private static long utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static long instant(Instant t) {
    return t == null ? 0 : 8;
  }

  private static long consent(ConsentMark c) {
    return c == null ? 0 : 1 + 8;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
