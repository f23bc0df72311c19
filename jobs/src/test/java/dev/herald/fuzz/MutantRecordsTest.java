package dev.herald.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.fuzz.Checks.Tally;
import dev.herald.fuzz.Mutator.Mutant;
import dev.herald.job.ControlInput;
import dev.herald.job.types.ControlInputSerializer;
import dev.herald.job.types.UserEventSerializer;
import dev.herald.job.types.UserRecordSerializer;
import dev.herald.policy.CampaignBook;
import dev.herald.policy.Policy;
import dev.herald.policy.PolicyConfig;
import dev.herald.policy.PolicyTimeline;
import dev.herald.policy.UserStates;
import dev.herald.reference.ReferenceEngine;
import dev.herald.replay.ScenarioInput;
import dev.herald.schema.Bounds;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.Decision;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.SendRequest;
import dev.herald.schema.Text;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.UserRecord;
import dev.herald.state.UserState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The codec against mutants of the scenario suite's records ({@link Mutator}), fast and without
 * Flink: every mutant is either a value no later step can fail on, or a rejection with a reason a
 * person can read and a dead letter that always writes.
 *
 * <p>{@code -Dfuzz.seed=S} replays one run (the seed is printed), {@code -Dfuzz.mutants=N} sets its
 * size (20,000 by default).
 */
class MutantRecordsTest {

  private static final long SEED = Seeds.seed();
  private static final int COUNT = (int) Seeds.property("fuzz.mutants", 20_000);

  /** How many accepted mutants go into one replay of a scenario through the reference engine. */
  private static final int BATCH = 25;

  private final Tally tally = new Tally();
  private final Map<UserKey, UserState> states = new HashMap<>();
  private final Policy policy = new Policy(PolicyTimeline.standard(), PolicyConfig.DEFAULT);
  private final List<Accepted> accepted = new ArrayList<>();
  private final Map<String, int[]> byOperator = new TreeMap<>();
  private final Map<dev.herald.schema.Problem, Integer> byProblem =
      new EnumMap<>(dev.herald.schema.Problem.class);

  private record Accepted(InputRecord record, String mutant) {}

  @Test
  void everyMutantIsAValueTheCoreTakesOrARejectionWithAReadableReason() {
    System.out.printf("mutant records: -Dfuzz.seed=%d -Dfuzz.mutants=%d%n", SEED, COUNT);
    List<Seeds.Seed> scenarios = Seeds.scenarios();
    Mutator mutator = new Mutator(Seeds.records(scenarios));
    SplittableRandom random = new SplittableRandom(SEED);
    long started = System.nanoTime();
    int rejected = 0;
    for (int i = 0; i < COUNT; i++) {
      Mutant m = mutator.next(random);
      String op = m.operators().split("[( ]")[0];
      boolean ok = check(m);
      byOperator.computeIfAbsent(op, k -> new int[2])[ok ? 0 : 1]++;
      if (!ok) {
        rejected++;
      }
    }
    int engineRuns = throughTheEngine(scenarios, random);
    System.out.printf(
        "mutant records: seed %d, %d mutants, %d rejected (%s), %d accepted, %d engine replays,"
            + " %d failures, %.1f s%n",
        SEED,
        COUNT,
        rejected,
        byProblem,
        COUNT - rejected,
        engineRuns,
        tally.total(),
        (System.nanoTime() - started) / 1e9);
    System.out.println("  by operator (accepted/rejected): " + describe(byOperator));

    assertThat(tally.total()).withFailMessage("fuzz.seed=%d:%s", SEED, tally).isZero();
    // The generator reaches both sides of the codec, with every operator.
    assertThat(rejected).isGreaterThan(COUNT / 10);
    assertThat(COUNT - rejected).isGreaterThan(COUNT / 10);
    if (COUNT >= 5_000) {
      assertThat(byOperator).hasSize(Mutator.Op.values().length);
    }
  }

  private static String describe(Map<String, int[]> byOperator) {
    StringBuilder b = new StringBuilder();
    byOperator.forEach(
        (k, v) -> b.append(k).append(' ').append(v[0]).append('/').append(v[1]).append(", "));
    return b.toString();
  }

  /** Checks one mutant; whether the codec accepted it. */
  private boolean check(Mutant m) {
    byte[] bytes = m.bytes();
    linesAsAFileHasThem(m);
    Parsed<InputRecord> parsed;
    try {
      parsed = RecordCodec.parse(bytes);
    } catch (Throwable t) {
      tally.fail("the codec threw", Checks.head(t) + " on " + m.describe());
      return false;
    }
    if (!parsed.isOk()) {
      byProblem.merge(parsed.problem(), 1, Integer::sum);
      rejection(m, parsed);
      return false;
    }
    acceptance(m, parsed.value());
    return true;
  }

  private void rejection(Mutant m, Parsed<InputRecord> parsed) {
    String problem = Checks.reasonProblem(parsed.reason(), m.bytes());
    if (problem != null) {
      tally.fail(problem, "'" + parsed.reason() + "' on " + m.describe());
    }
    if (parsed.problem() == null) {
      tally.fail("a rejection without a problem", m.describe());
    }
    if (parsed.at() != null && !Bounds.isWithin(parsed.at())) {
      tally.fail("a rejection's at is outside the bounds", parsed.at() + " on " + m.describe());
    }
    String line;
    try {
      line =
          RecordCodec.write(
              DeadLetter.ofBytes(parsed.at(), "input.jsonl:7", parsed.reason(), m.bytes()));
    } catch (Throwable t) {
      tally.fail("writing the dead letter threw", Checks.head(t) + " on " + m.describe());
      return;
    }
    if (!Checks.encodes(line)) {
      tally.fail("the dead letter is not UTF-8", m.describe());
      return;
    }
    JsonNode d = Checks.object(line);
    if (d == null) {
      tally.fail("the dead letter is not one JSON object", line + " for " + m.describe());
      return;
    }
    int cut = Text.cutPoint(m.bytes(), m.bytes().length, DeadLetter.MAX_INPUT_BYTES);
    if (!d.path("reason").asText().equals(parsed.reason())
        || !d.path("source").asText().equals("input.jsonl:7")
        || !d.path("input").asText().equals(Text.renderBytes(m.bytes(), 0, cut))
        || d.size() != 4) {
      tally.fail("the dead letter does not carry the reason and the input", line);
    }
  }

  private void acceptance(Mutant m, InputRecord r) {
    String problem = Checks.valueProblem(r);
    if (problem != null) {
      tally.fail("an accepted value is out of bounds", problem + " in " + m.describe());
    }
    String written;
    try {
      written = RecordCodec.write(r);
    } catch (Throwable t) {
      tally.fail("writing an accepted record threw", Checks.head(t) + " on " + m.describe());
      return;
    }
    if (!Checks.encodes(written) || Checks.object(written) == null) {
      tally.fail("an accepted record writes as no JSON object", written);
      return;
    }
    Parsed<InputRecord> again = RecordCodec.parse(written.getBytes(StandardCharsets.UTF_8));
    if (!again.isOk()) {
      tally.fail("an accepted record does not read back", again.reason() + ": " + written);
    } else if (!again.value().equals(r)) {
      tally.fail("an accepted record reads back different", written + " for " + m.describe());
    }
    throughTheSerializers(m, r);
    if (r instanceof UserEvent e) {
      try {
        UserState s = UserStates.apply(states.get(e.key()), e);
        s =
            UserStates.prune(
                s, e.at(), policy.timeline().rulesAt(e.at()), policy.config().frequencyCap());
        if (s == null) {
          states.remove(e.key());
        } else {
          states.put(e.key(), s);
          throughTheStateSerializer(m, new UserRecord(s, List.of(e), List.of(), e.at()));
        }
      } catch (Throwable t) {
        tally.fail("applying an accepted user event threw", Checks.head(t) + " on " + m.describe());
      }
    }
    accepted.add(new Accepted(r, m.describe()));
  }

  /** What the job carries between operators reads back equal. */
  private void throughTheSerializers(Mutant m, InputRecord r) {
    try {
      DataOutputSerializer out = new DataOutputSerializer(256);
      if (r instanceof UserEvent e) {
        UserEventSerializer.INSTANCE.serialize(e, out);
        UserEvent back =
            UserEventSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
        if (!back.equals(e)) {
          tally.fail("a user event does not serialize back equal", m.describe());
        }
      } else {
        ControlInput c =
            new ControlInput(
                (ControlRecord) r, "input.jsonl:7", new String(m.bytes(), StandardCharsets.UTF_8));
        ControlInputSerializer.INSTANCE.serialize(c, out);
        ControlInput back =
            ControlInputSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
        if (!back.record().equals(c.record()) || !back.origin().equals(c.origin())) {
          tally.fail("a campaign record does not serialize back equal", m.describe());
        }
      }
    } catch (Throwable t) {
      tally.fail("serializing an accepted record threw", Checks.head(t) + " on " + m.describe());
    }
  }

  /** A user's record as the job keeps it in RocksDB reads back equal. */
  private void throughTheStateSerializer(Mutant m, UserRecord r) {
    try {
      DataOutputSerializer out = new DataOutputSerializer(256);
      UserRecordSerializer.INSTANCE.serialize(r, out);
      UserRecord back =
          UserRecordSerializer.INSTANCE.deserialize(
              new DataInputDeserializer(out.getCopyOfBuffer()));
      if (!back.equals(r)) {
        tally.fail("a user's record does not serialize back equal", m.describe());
      }
    } catch (Throwable t) {
      tally.fail("serializing a user's record threw", Checks.head(t) + " on " + m.describe());
    }
  }

  /** The lines of a mutant, as the job's file reader splits them, are the lines it has. */
  private void linesAsAFileHasThem(Mutant m) {
    List<byte[]> expected = splitLines(m.bytes());
    List<byte[]> read = ScenarioInput.lines(m.bytes());
    if (expected.size() != read.size()) {
      tally.fail("the line reader finds another number of lines", m.describe());
      return;
    }
    for (int i = 0; i < expected.size(); i++) {
      byte[] want = expected.get(i);
      byte[] got = read.get(i);
      boolean same =
          want.length <= Bounds.MAX_RECORD_BYTES
              ? Arrays.equals(want, got)
              : got.length > Bounds.MAX_RECORD_BYTES;
      if (!same) {
        tally.fail(
            "the line reader changes a line",
            "line "
                + (i + 1)
                + " of "
                + want.length
                + " bytes read as "
                + got.length
                + " bytes: "
                + m.describe());
      }
    }
  }

  /**
   * The lines of a file, plainly: split at line feeds, a carriage return that ends a line dropped,
   * no line after a final line feed.
   */
  static List<byte[]> splitLines(byte[] b) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= b.length; i++) {
      boolean end = i == b.length;
      if (!end && b[i] != '\n') {
        continue;
      }
      if (end && start == b.length) {
        break; // nothing after the last line feed
      }
      int stop = i > start && b[i - 1] == '\r' ? i - 1 : i;
      lines.add(Arrays.copyOfRange(b, start, stop));
      start = i + 1;
    }
    return lines;
  }

  // ------------------------------------------------------------------ the core

  /**
   * Replays each scenario with accepted mutants inserted through the reference engine: the core
   * never throws, and all it writes is within the bounds. Returns the number of replays.
   */
  private int throughTheEngine(List<Seeds.Seed> scenarios, SplittableRandom random) {
    int runs = 0;
    for (int from = 0; from < accepted.size(); from += BATCH) {
      List<Accepted> batch = accepted.subList(from, Math.min(accepted.size(), from + BATCH));
      Seeds.Seed seed = scenarios.get(random.nextInt(scenarios.size()));
      List<InputRecord> base = ScenarioInput.parse(seed.lines(), "input.jsonl").records();
      List<InputRecord> records = new ArrayList<>(base);
      for (Accepted a : batch) {
        records.add(random.nextInt(records.size() + 1), a.record());
      }
      runs++;
      String problem = engineProblem(records, seed);
      if (problem == null) {
        continue;
      }
      // Find the mutant that does it, alone with the scenario.
      boolean found = false;
      for (Accepted a : batch) {
        List<InputRecord> one = new ArrayList<>(base);
        one.add(a.record());
        String alone = engineProblem(one, seed);
        if (alone != null) {
          tally.fail(
              "the core " + alone.replaceAll(":.*", ""),
              alone + " with " + a.mutant() + " in " + seed.name());
          found = true;
        }
      }
      if (!found) {
        tally.fail("the core, with several mutants", problem + " in " + seed.name());
      }
    }
    return runs;
  }

  private String engineProblem(List<InputRecord> records, Seeds.Seed seed) {
    ReferenceEngine.Result result;
    try {
      result =
          ReferenceEngine.run(
              records, new Policy(PolicyTimeline.standard(), seed.scenario().config()));
    } catch (Throwable t) {
      return "threw: " + Checks.head(t);
    }
    for (Decision d : result.decisions()) {
      String p = Checks.valueProblem(d);
      String line = RecordCodec.write(d);
      if (p != null || !Checks.encodes(line) || Checks.object(line) == null) {
        return "wrote a bad decision: " + (p != null ? p : line);
      }
    }
    for (SendRequest r : result.requests()) {
      String p = Checks.valueProblem(r);
      String line = RecordCodec.write(r);
      if (p != null || !Checks.encodes(line) || Checks.object(line) == null) {
        return "wrote a bad send request: " + (p != null ? p : line);
      }
      if (r.notAfter().isBefore(r.decidedAt())) {
        return "wrote a send request whose notAfter is before its decision: " + line;
      }
    }
    for (CampaignBook.Rejection x : result.rejections()) {
      String written = new DeadLetter(x.record().at(), x.origin(), x.reason(), x.raw()).reason();
      String p = Checks.reasonProblem(written, x.raw().getBytes(StandardCharsets.UTF_8));
      if (p != null) {
        return "rejected a campaign record with a bad reason: " + p + ": " + written;
      }
    }
    return null;
  }
}
