package dev.herald.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.fuzz.Checks.Tally;
import dev.herald.fuzz.Mutator.Mutant;
import dev.herald.job.replay.ReplayCluster;
import dev.herald.policy.CampaignBook;
import dev.herald.policy.Policy;
import dev.herald.policy.PolicyTimeline;
import dev.herald.reference.ReferenceEngine;
import dev.herald.replay.Expectations;
import dev.herald.replay.Scenario;
import dev.herald.replay.ScenarioInput;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.Text;
import dev.herald.schema.UserEvent;
import dev.herald.schema.Wire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutants ({@link Mutator}) inserted at random places into every scenario of the suite and of the
 * worked examples, replayed through the real job (parallelism 2, RocksDB) on one embedded cluster:
 *
 * <ol>
 *   <li>no job fails;
 *   <li>every line the codec rejects is dead-lettered exactly once, from {@code input.jsonl:N},
 *       with exactly the codec's reason and the line as its input; an accepted line is
 *       dead-lettered only by the job's own checks (a repeated id, a cancel of an unknown id),
 *       exactly as the reference engine rejects it; nothing is set aside as a defect;
 *   <li>the decisions are the reference engine's over the same records: every field for campaigns
 *       without a rate and for reminders; for rated campaigns, whose order of users is the
 *       implementation's, the (campaign, user) pairs (and for the users they decide for, the
 *       campaign, user and instant of their other decisions, whose outcomes may follow from that
 *       order);
 *   <li>with only the rejected mutants inserted, the decisions are byte for byte the clean
 *       scenario's.
 * </ol>
 *
 * <p>{@code -Dfuzz.seed=S} replays a run (the seed is printed); {@code -Dfuzz.mutants=N} sets the
 * number of mutants over all scenarios (100 per scenario by default); {@code -Pfuzz} runs a larger
 * size.
 */
class MutationFuzzITCase {

  private static final long SEED = Seeds.seed();

  /** Scenarios replayed at once, as {@code bin/replay --check} does. */
  private static final int CONCURRENT = 4;

  /** What the checks compared, for the summary. */
  private static final class Compared {
    int deadLetters;
    int bookDeadLetters;
    int strict;
    int rated;
    int afterRated;
  }

  private static final Pattern SOURCE = Pattern.compile("input\\.jsonl:(\\d+)");
  private static final Pattern RECORD = Pattern.compile("record (\\d+)");

  /** One scenario's run: its files, what was inserted, and what the replays gave. */
  private static final class Case {
    final Seeds.Seed seed;
    final Path mutated;
    final Path rejectedOnly;
    final List<byte[]> lines; // of the mutated input, as the job reads them
    final boolean[] inserted; // by line
    int mutants;
    ReplayCluster.Output clean;
    ReplayCluster.Output fuzzed;
    ReplayCluster.Output onlyRejected;
    String failure;

    Case(Seeds.Seed seed, Path mutated, Path rejectedOnly, List<byte[]> lines, boolean[] inserted) {
      this.seed = seed;
      this.mutated = mutated;
      this.rejectedOnly = rejectedOnly;
      this.lines = lines;
      this.inserted = inserted;
    }
  }

  @Test
  void mutantsNeverFailTheJobAndNeverChangeTheDecisionsOfTheValidRecords(@TempDir Path tmp)
      throws Exception {
    List<Seeds.Seed> scenarios = Seeds.scenarios();
    long total = Seeds.property("fuzz.mutants", 100L * scenarios.size());
    int perScenario = (int) Math.max(1, (total + scenarios.size() - 1) / scenarios.size());
    System.out.printf("mutation fuzz: -Dfuzz.seed=%d -Dfuzz.mutants=%d%n", SEED, total);
    Mutator everywhere = new Mutator(Seeds.records(scenarios));
    SplittableRandom random = new SplittableRandom(SEED);
    long started = System.nanoTime();

    List<Case> cases = new ArrayList<>();
    for (Seeds.Seed s : scenarios) {
      cases.add(prepare(s, everywhere, random.split(), perScenario, tmp));
    }

    replayAll(cases);

    Tally tally = new Tally();
    Compared compared = new Compared();
    int mutants = 0;
    int rejected = 0;
    int accepted = 0;
    int failures = 0;
    for (Case c : cases) {
      mutants += c.mutants;
      List<Parsed<InputRecord>> parsed = new ArrayList<>();
      for (byte[] line : c.lines) {
        parsed.add(RecordCodec.parse(line));
      }
      for (int i = 0; i < parsed.size(); i++) {
        if (c.inserted[i]) {
          if (parsed.get(i).isOk()) {
            accepted++;
          } else {
            rejected++;
          }
        }
      }
      int before = tally.total();
      if (c.failure != null) {
        failures++;
        tally.fail("a job failed", c.seed.name() + ": " + c.failure);
      } else {
        check(c, parsed, tally, compared);
      }
      if (tally.total() > before) {
        keep(c);
      }
    }
    System.out.printf(
        "mutation fuzz: seed %d, %d mutants, %d dead-lettered, %d accepted, job failures %d%n",
        SEED, mutants, rejected, accepted, failures);
    System.out.printf(
        "  (%d scenarios, %d mutants each, %d lines inserted; compared %d dead letters of the"
            + " parser and %d of the job's checks, %d decisions in full, %d of rated campaigns"
            + " by user, %d after them by instant; %.1f s)%n",
        cases.size(),
        perScenario,
        rejected + accepted,
        compared.deadLetters,
        compared.bookDeadLetters,
        compared.strict,
        compared.rated,
        compared.afterRated,
        (System.nanoTime() - started) / 1e9);

    assertThat(tally.total()).withFailMessage("fuzz.seed=%d:%s", SEED, tally).isZero();
    assertThat(failures).isZero();
    assertThat(rejected).isPositive();
    assertThat(accepted).isPositive();
  }

  /** Keeps the input of a case that failed in {@code target/fuzz-failures}, to replay it. */
  private static void keep(Case c) throws IOException {
    Path dir = Path.of("target", "fuzz-failures", SEED + "-" + c.seed.name());
    Files.createDirectories(dir);
    for (String f : List.of(Scenario.INPUT, Scenario.CONFIG)) {
      Path from = c.mutated.resolve(f);
      if (Files.isRegularFile(from)) {
        Files.copy(from, dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    System.out.println("  kept the input of " + c.seed.name() + " in " + dir.toAbsolutePath());
  }

  // ------------------------------------------------------------------ the inputs

  /**
   * Writes the scenario with its mutants inserted, and with only the rejected ones, into folders of
   * their own (with its {@code config.json}).
   */
  private static Case prepare(
      Seeds.Seed s, Mutator everywhere, SplittableRandom r, int count, Path tmp)
      throws IOException {
    List<byte[]> own = new ArrayList<>();
    for (byte[] line : s.lines()) {
      if (line.length > 0) {
        own.add(line);
      }
    }
    Mutator mutator = own.isEmpty() ? everywhere : new Mutator(own);
    // pieces: the scenario's lines, with mutants inserted at random places
    List<byte[]> pieces = new ArrayList<>(s.lines());
    List<Boolean> isMutant = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      isMutant.add(false);
    }
    for (int k = 0; k < count; k++) {
      Mutant m = r.nextInt(10) < 7 ? mutator.next(r) : everywhere.next(r);
      int at = r.nextInt(pieces.size() + 1);
      pieces.add(at, m.bytes());
      isMutant.add(at, true);
    }
    // Each piece is one or more lines (a mutant may hold line feeds).
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    List<Boolean> lineIsInserted = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      byte[] p = pieces.get(i);
      file.write(p);
      file.write('\n');
      int lines = 1;
      for (byte b : p) {
        if (b == '\n') {
          lines++;
        }
      }
      for (int k = 0; k < lines; k++) {
        lineIsInserted.add(isMutant.get(i));
      }
    }
    byte[] bytes = file.toByteArray();
    List<byte[]> lines = ScenarioInput.lines(bytes);
    if (lines.size() != lineIsInserted.size()) {
      throw new IllegalStateException(
          s.name() + ": the reader finds " + lines.size() + " lines, not " + lineIsInserted.size());
    }
    boolean[] inserted = new boolean[lines.size()];
    ByteArrayOutputStream rejectedOnly = new ByteArrayOutputStream();
    for (int i = 0; i < lines.size(); i++) {
      inserted[i] = lineIsInserted.get(i);
      if (!inserted[i] || !RecordCodec.parse(lines.get(i)).isOk()) {
        rejectedOnly.write(lines.get(i));
        rejectedOnly.write('\n');
      }
    }
    Path mutatedDir = folder(tmp.resolve(s.name() + "-mutated"), s, bytes);
    Path rejectedDir = folder(tmp.resolve(s.name() + "-rejected"), s, rejectedOnly.toByteArray());
    Case c = new Case(s, mutatedDir, rejectedDir, lines, inserted);
    c.mutants = count;
    return c;
  }

  private static Path folder(Path dir, Seeds.Seed s, byte[] input) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(Scenario.INPUT), input);
    Path config = s.scenario().dir().resolve(Scenario.CONFIG);
    if (Files.isRegularFile(config)) {
      Files.copy(config, dir.resolve(Scenario.CONFIG));
    }
    return dir;
  }

  /** Replays every case's three inputs on one cluster, a few at a time. */
  private static void replayAll(List<Case> cases) throws Exception {
    int slots = ReplayCluster.PARALLELISM * CONCURRENT;
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
    try (ReplayCluster cluster = new ReplayCluster(2, (slots + 1) / 2)) {
      List<Future<?>> futures = new ArrayList<>();
      for (Case c : cases) {
        futures.add(
            pool.submit(
                () -> {
                  try {
                    c.fuzzed = cluster.replay(Scenario.load(c.mutated));
                    c.onlyRejected = cluster.replay(Scenario.load(c.rejectedOnly));
                    c.clean = cluster.replay(c.seed.scenario());
                  } catch (Exception e) {
                    c.failure = Checks.head(e);
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ the checks

  private static void check(
      Case c, List<Parsed<InputRecord>> parsed, Tally tally, Compared compared) throws IOException {
    String name = c.seed.name();
    // The accepted records, in order, and the line of each.
    List<InputRecord> records = new ArrayList<>();
    List<Integer> lineOfRecord = new ArrayList<>();
    for (int i = 0; i < parsed.size(); i++) {
      if (parsed.get(i).isOk()) {
        records.add(parsed.get(i).value());
        lineOfRecord.add(i + 1);
      }
    }
    ReferenceEngine.Result engine;
    try {
      engine =
          ReferenceEngine.run(
              records, new Policy(PolicyTimeline.standard(), c.seed.scenario().config()));
    } catch (Throwable t) {
      tally.fail("the reference engine threw", name + ": " + Checks.head(t));
      return;
    }

    deadLetters(c, parsed, engine, lineOfRecord, tally, compared);
    decisions(c, records, engine, tally, compared);

    // (d) the rejected mutants change nothing
    if (!c.onlyRejected.decisions().equals(c.clean.decisions())) {
      tally.fail(
          "rejected records changed the decisions",
          name + ": " + firstDifference(c.clean.decisions(), c.onlyRejected.decisions()));
    }
    List<String> cleanRequests = new ArrayList<>(c.clean.sendRequests());
    List<String> onlyRejectedRequests = new ArrayList<>(c.onlyRejected.sendRequests());
    cleanRequests.sort(null);
    onlyRejectedRequests.sort(null);
    if (!onlyRejectedRequests.equals(cleanRequests)) {
      tally.fail(
          "rejected records changed the send requests",
          name + ": " + firstDifference(cleanRequests, onlyRejectedRequests));
    }
  }

  /** (b) */
  private static void deadLetters(
      Case c,
      List<Parsed<InputRecord>> parsed,
      ReferenceEngine.Result engine,
      List<Integer> lineOfRecord,
      Tally tally,
      Compared compared) {
    String name = c.seed.name();
    Map<Integer, List<JsonNode>> byLine = new HashMap<>();
    for (String line : c.fuzzed.deadLetters()) {
      JsonNode d = Checks.object(line);
      if (d == null || !Checks.encodes(line)) {
        tally.fail("a dead letter is not one JSON object", name + ": " + line);
        continue;
      }
      Matcher m = SOURCE.matcher(d.path("source").asText());
      if (!m.matches()) {
        tally.fail("a record was set aside as a defect", name + ": " + line);
        continue;
      }
      byLine.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(d);
    }
    // What the engine's book rejected, by line.
    Map<Integer, List<String>> bookRejections = new HashMap<>();
    for (CampaignBook.Rejection x : engine.rejections()) {
      Matcher m = RECORD.matcher(x.origin());
      if (!m.matches()) {
        tally.fail("the engine names no record", x.origin());
        continue;
      }
      int line = lineOfRecord.get(Integer.parseInt(m.group(1)) - 1);
      bookRejections.computeIfAbsent(line, k -> new ArrayList<>()).add(Text.reason(x.reason()));
    }
    for (int i = 0; i < parsed.size(); i++) {
      int n = i + 1;
      List<JsonNode> got = byLine.getOrDefault(n, List.of());
      Parsed<InputRecord> p = parsed.get(i);
      String where = name + " line " + n + " (" + Mutator.show(c.lines.get(i), 300) + ")";
      if (!p.isOk()) {
        DeadLetter want =
            DeadLetter.ofBytes(p.at(), "input.jsonl:" + n, p.reason(), c.lines.get(i));
        if (got.size() != 1) {
          tally.fail(
              "a rejected line is not dead-lettered exactly once", where + ": " + got.size());
          continue;
        }
        JsonNode d = got.get(0);
        compared.deadLetters++;
        if (!d.path("reason").asText().equals(want.reason())) {
          tally.fail(
              "a dead letter's reason is not the codec's",
              where + ": " + d.path("reason").asText() + " / codec: " + want.reason());
        }
        if (!d.path("input").asText().equals(want.input())) {
          tally.fail("a dead letter's input is not the line", where + ": " + d.path("input"));
        }
        if (want.at() != null && !d.path("at").asText().equals(Wire.format(want.at()))) {
          tally.fail("a dead letter's at is not the record's", where + ": " + d.path("at"));
        }
      } else {
        List<String> reasons = new ArrayList<>();
        for (JsonNode d : got) {
          reasons.add(d.path("reason").asText());
        }
        List<String> want = bookRejections.getOrDefault(n, List.of());
        compared.bookDeadLetters += want.size();
        if (!sameMultiset(reasons, want)) {
          tally.fail(
              "an accepted line is dead-lettered otherwise than by the engine",
              where + ": job " + reasons + " / engine " + want);
        }
      }
    }
  }

  /** (c) */
  private static void decisions(
      Case c,
      List<InputRecord> records,
      ReferenceEngine.Result engine,
      Tally tally,
      Compared compared)
      throws IOException {
    String name = c.seed.name();
    List<String> expected = new ArrayList<>();
    engine.decisions().forEach(d -> expected.add(RecordCodec.write(d)));
    List<String> actual = c.fuzzed.decisions();
    Set<String> rated = Expectations.ratedCampaigns(records);
    // Users a rated campaign decides for, and users erased (a pending decision of theirs goes).
    Set<String> touched = new HashSet<>();
    Set<String> erased = new HashSet<>();
    for (InputRecord r : records) {
      if (r instanceof UserEvent.Erase e) {
        erased.add(e.key().toString());
      }
    }
    for (List<String> side : List.of(expected, actual)) {
      for (String line : side) {
        JsonNode d = Checks.STRICT.readTree(line);
        if (rated.contains(d.path("campaign").asText())) {
          touched.add(who(d));
        }
      }
    }
    List<List<String>> views = new ArrayList<>();
    for (List<String> side : List.of(expected, actual)) {
      List<String> view = new ArrayList<>();
      for (String line : side) {
        JsonNode d = Checks.STRICT.readTree(line);
        String campaign = d.path("campaign").asText();
        String user = who(d);
        if (rated.contains(campaign)) {
          if (!erased.contains(user)) {
            view.add("rated " + campaign + " " + user);
          }
        } else if (touched.contains(user)) {
          view.add("after a rated decision " + campaign + " " + user + " " + d.path("at").asText());
        } else {
          view.add(line);
        }
      }
      view.sort(null);
      views.add(view);
      if (side == actual) {
        for (String v : view) {
          if (v.startsWith("rated ")) {
            compared.rated++;
          } else if (v.startsWith("after a rated decision ")) {
            compared.afterRated++;
          } else {
            compared.strict++;
          }
        }
      }
    }
    if (!views.get(0).equals(views.get(1))) {
      tally.fail(
          "the job's decisions are not the engine's",
          name + ": " + firstDifference(views.get(0), views.get(1)));
    }
    // The send requests of the decisions compared in full are the engine's too.
    List<List<String>> requests = new ArrayList<>();
    List<String> fromEngine = new ArrayList<>();
    engine.requests().forEach(r -> fromEngine.add(RecordCodec.write(r)));
    for (List<String> side : List.of(fromEngine, c.fuzzed.sendRequests())) {
      List<String> kept = new ArrayList<>();
      for (String line : side) {
        JsonNode r = Checks.STRICT.readTree(line);
        if (!rated.contains(r.path("campaign").asText()) && !touched.contains(who(r))) {
          kept.add(line);
        }
      }
      kept.sort(null);
      requests.add(kept);
    }
    if (!requests.get(0).equals(requests.get(1))) {
      tally.fail(
          "the job's send requests are not the engine's",
          name + ": " + firstDifference(requests.get(0), requests.get(1)));
    }
  }

  private static String who(JsonNode d) {
    return d.path("channel").asText()
        + "/"
        + d.path("account").asText()
        + "/"
        + d.path("user").asText();
  }

  private static boolean sameMultiset(List<String> a, List<String> b) {
    List<String> x = new ArrayList<>(a);
    List<String> y = new ArrayList<>(b);
    x.sort(null);
    y.sort(null);
    return x.equals(y);
  }

  /** The first line only one side has, for a report. */
  static String firstDifference(List<String> expected, List<String> actual) {
    List<String> missing = new ArrayList<>(expected);
    for (String a : actual) {
      missing.remove(a);
    }
    List<String> extra = new ArrayList<>(actual);
    for (String e : expected) {
      extra.remove(e);
    }
    StringBuilder b = new StringBuilder();
    if (!missing.isEmpty()) {
      b.append(missing.size()).append(" missing, e.g. ").append(missing.get(0));
    }
    if (!extra.isEmpty()) {
      b.append(b.length() > 0 ? "; " : "")
          .append(extra.size())
          .append(" extra, e.g. ")
          .append(extra.get(0));
    }
    if (b.length() == 0) {
      b.append("same lines in another order");
    }
    return b.toString();
  }
}
