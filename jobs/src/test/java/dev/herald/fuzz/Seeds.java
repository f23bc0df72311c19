package dev.herald.fuzz;

import dev.herald.replay.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The material the fuzzers start from: the scenario folders of the project's suite ({@code
 * scenarios/}) and of the worked examples ({@code conformance/examples/}), and their records. The
 * bad-input corpus ({@code scenarios/poison-*}) is left out: its lines are already mutants.
 */
final class Seeds {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path SUITE = ROOT.resolve("scenarios");
  static final Path EXAMPLES = ROOT.resolve("conformance/examples");

  /** A scenario folder and the raw lines of its input. */
  record Seed(Scenario scenario, List<byte[]> lines) {
    String name() {
      return scenario.name();
    }
  }

  private Seeds() {}

  /** The suite's scenarios and the worked examples, by folder name, poison corpus excluded. */
  static List<Seed> scenarios() {
    List<Seed> seeds = new ArrayList<>();
    for (Path root : List.of(SUITE, EXAMPLES)) {
      try (Stream<Path> s = Files.list(root)) {
        for (Path dir : s.sorted().toList()) {
          if (!Files.isRegularFile(dir.resolve(Scenario.EXPECTED))
              || dir.getFileName().toString().startsWith("poison-")) {
            continue;
          }
          Scenario scenario = Scenario.load(dir);
          seeds.add(new Seed(scenario, scenario.inputLines()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return seeds;
  }

  /** Every non-blank line of every scenario: the records mutants are made from. */
  static List<byte[]> records(List<Seed> scenarios) {
    List<byte[]> records = new ArrayList<>();
    for (Seed s : scenarios) {
      for (byte[] line : s.lines()) {
        if (line.length > 0) {
          records.add(line);
        }
      }
    }
    return records;
  }

  /** A long from a system property, or {@code otherwise}. */
  static long property(String name, long otherwise) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? otherwise : Long.parseLong(v.trim());
  }

  /** The fuzzers' seed: {@code fuzz.seed}, or a fresh one (printed by the tests, to re-run). */
  static long seed() {
    String v = System.getProperty("fuzz.seed");
    return v == null || v.isBlank() ? System.nanoTime() ^ 0x5DEECE66DL : Long.parseLong(v.trim());
  }
}
