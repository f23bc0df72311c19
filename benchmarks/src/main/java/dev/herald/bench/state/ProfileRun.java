package dev.herald.bench.state;

import dev.herald.bench.Figure;
import dev.herald.bench.Population;
import dev.herald.connectors.file.SourceLine;
import dev.herald.connectors.kafka.SourceEventTime;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * One phase of the hot path in a loop, timed, and optionally profiled with JFR (only the timed part
 * of each loop counts in the profile; see {@link JfrTop}). The phases, on {@link Population}'s
 * users and the decision operator on one subtask with real RocksDB ({@link OperatorRig}):
 *
 * <ul>
 *   <li>{@code ingest}: the users' events into the operator ({@code processElement1}), then the
 *       watermark that applies them all: events/s;
 *   <li>{@code sweep}: a rated campaign on the tag {@code match} starts: the sweep walks every user
 *       and arms half of them: users swept/s;
 *   <li>{@code decide}: a campaign without a rate whose audience is every user starts: the sweep
 *       decides each at once: decisions/s;
 *   <li>{@code parse}: the job's source path for the same events as raw bytes: the event time read
 *       at the source ({@link SourceEventTime}) and the codec's parse ({@code
 *       RecordCodec.parseUserEvent(byte[])}, as {@code ParseRecords} calls it): events/s.
 * </ul>
 *
 * <p>The operator phases set up a fresh operator per loop (not timed, not profiled).
 *
 * <p>Each loop's rate is printed twice: by wall-clock time, and by the CPU time of the thread that
 * runs the phase (the operator runs in the caller's thread in Flink's harness). On a machine shared
 * with other work the CPU-time rate varies far less, so before/after comparisons use it; RocksDB's
 * own background threads (flushes, compactions) are not in it.
 */
public final class ProfileRun {

  private static final String USAGE =
      """
      ProfileRun --phase ingest|sweep|decide|parse [--users N] [--loops N] [--jfr FILE] [--top N]
        --users N   users of the population (default 100000)
        --loops N   timed repetitions of the phase (default 5)
        --jfr FILE  record the timed parts with JFR (settings "profile") into FILE and print the
                    top frames, self and total, and the top allocation sites
        --top N     rows of each table (default 25)""";

  private static final String DECIDE_ALL =
      "{\"type\":\"campaign\",\"id\":\"everyone\",\"at\":\""
          + Population.START
          + "\",\"channel\":\"messenger\",\"account\":\""
          + Population.ACCOUNT
          + "\",\"audience\":{\"allTags\":[\"started\"]},\"message\":{\"text\":\"Hi\"}}";

  private ProfileRun() {}

  public static void main(String[] args) throws Exception {
    String phase = null;
    int users = 100_000;
    int loops = 5;
    Path jfr = null;
    int top = 25;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          System.out.println(USAGE);
          return;
        }
        case "--phase" -> phase = args[++i];
        case "--users" -> users = Integer.parseInt(args[++i]);
        case "--loops" -> loops = Integer.parseInt(args[++i]);
        case "--jfr" -> jfr = Path.of(args[++i]);
        case "--top" -> top = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("unknown flag " + args[i] + "\n" + USAGE);
          System.exit(2);
        }
      }
    }
    if (phase == null || !List.of("ingest", "sweep", "decide", "parse").contains(phase)) {
      System.err.println("--phase must be ingest, sweep, decide or parse\n" + USAGE);
      System.exit(2);
    }
    run(phase, users, loops, jfr, top);
  }

  static void run(String phase, int users, int loops, Path jfr, int top) throws Exception {
    Population population = new Population(users);
    List<UserEvent> events = OperatorRig.events(population);
    List<byte[]> raw = new ArrayList<>();
    population.forEach(json -> raw.add(json.getBytes(StandardCharsets.UTF_8)));
    Recording recording = null;
    if (jfr != null) {
      recording = new Recording(Configuration.getConfiguration("profile"));
      // Java and native samples at one period, so that their counts add up (JfrTop)
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
      recording.setToDisk(true);
      recording.setDestination(jfr);
      recording.start();
    }
    List<JfrTop.Window> windows = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    List<Double> cpuRates = new ArrayList<>();
    String unit =
        phase.equals("sweep") ? "users/s" : phase.equals("decide") ? "decisions/s" : "events/s";
    System.err.printf(Locale.ROOT, "profile %s: %,d users, %d loops%n", phase, users, loops);
    for (int loop = 1; loop <= loops; loop++) {
      Measured m =
          switch (phase) {
            case "parse" -> parse(raw);
            case "ingest" -> operator(events, null, phase);
            case "sweep" ->
                operator(events, Population.campaign("rated", Population.START, 1000), phase);
            default -> operator(events, DECIDE_ALL, phase);
          };
      windows.add(new JfrTop.Window(m.from(), m.to()));
      double rate = m.count() / m.seconds();
      double cpuRate = m.count() / m.cpuSeconds();
      rates.add(rate);
      cpuRates.add(cpuRate);
      System.err.printf(
          Locale.ROOT,
          "loop %d: %,d in %.2f s (%.2f s of CPU): %,.0f %s (%,.0f by CPU time)%n",
          loop,
          m.count(),
          m.seconds(),
          m.cpuSeconds(),
          rate,
          unit,
          cpuRate);
    }
    Figure wall = new Figure("profile " + phase + " (wall clock)", unit);
    rates.forEach(wall::add);
    Figure cpu = new Figure("profile " + phase + " (CPU time)", unit);
    cpuRates.forEach(cpu::add);
    System.out.println(wall.summary(null).replaceFirst("^FIGURE ", "PROFILE "));
    System.out.println(cpu.summary(null).replaceFirst("^FIGURE ", "PROFILE "));
    if (recording != null) {
      recording.stop();
      recording.close();
      System.out.println("JFR " + jfr + ", timed parts only:");
      JfrTop.summarize(jfr, windows).print(System.out, top);
    }
  }

  /** What one loop timed: {@code count} things in {@code [from, to]}, and the thread's CPU time. */
  private record Measured(
      long count, Instant from, Instant to, double seconds, double cpuSeconds) {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static long cpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static Measured parse(List<byte[]> raw) {
    SourceEventTime eventTime = new SourceEventTime();
    long ok = 0;
    long sum = 0;
    Instant from = Instant.now();
    long t = System.nanoTime();
    long cpu = cpuNanos();
    for (int i = 0; i < raw.size(); i++) {
      SourceLine line = new SourceLine("user-events/0/" + i, raw.get(i));
      sum += eventTime.extractTimestamp(line, 0);
      Parsed<UserEvent> p = RecordCodec.parseUserEvent(line.bytes());
      if (p.isOk()) {
        ok++;
      }
    }
    double cpuSeconds = (cpuNanos() - cpu) / 1e9;
    double seconds = (System.nanoTime() - t) / 1e9;
    Instant to = Instant.now();
    if (ok != raw.size() || sum == 0) {
      throw new IllegalStateException("parsed " + ok + " of " + raw.size());
    }
    return new Measured(ok, from, to, seconds, cpuSeconds);
  }

  private static Measured operator(List<UserEvent> events, String campaign, String phase)
      throws Exception {
    Path dir = Files.createTempDirectory("herald-profile-");
    try (OperatorRig rig = new OperatorRig(dir)) {
      boolean ingest = phase.equals("ingest");
      Instant from = null;
      long t = 0;
      long cpu = 0;
      if (ingest) {
        from = Instant.now();
        t = System.nanoTime();
        cpu = cpuNanos();
      }
      for (UserEvent e : events) {
        rig.event(e);
      }
      Instant applied = ingest ? Population.START : Population.START.minusMillis(1);
      rig.advanceTo(applied);
      if (!ingest) {
        rig.campaign(campaign);
        rig.drainDecisions();
        from = Instant.now();
        t = System.nanoTime();
        cpu = cpuNanos();
        rig.advanceTo(Population.START);
      }
      double cpuSeconds = (cpuNanos() - cpu) / 1e9;
      double seconds = (System.nanoTime() - t) / 1e9;
      Instant to = Instant.now();
      long decided = rig.drainDecisions();
      long users = events.size() / Population.EVENTS_PER_USER;
      long count =
          switch (phase) {
            case "ingest" -> events.size();
            case "sweep" -> users;
            default -> decided;
          };
      if (phase.equals("decide") && decided != users) {
        throw new IllegalStateException("decided " + decided + " of " + users + " users");
      }
      return new Measured(count, from, to, seconds, cpuSeconds);
    }
  }
}
