package dev.herald.fuzz;

import dev.herald.replay.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The bad-input corpus: the scenario folders {@code scenarios/poison-*}, each with an {@code
 * expected-dead-letters.txt} of one line per input line that must be dead-lettered: {@code
 * input.jsonl:N <the start of its reason>}.
 */
final class PoisonCorpus {

  static final String DEAD_LETTERS = "expected-dead-letters.txt";

  private PoisonCorpus() {}

  /** The corpus folders, by name. */
  static List<Path> folders() {
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> s = Files.list(Seeds.SUITE)) {
      s.filter(d -> d.getFileName().toString().startsWith("poison-")).sorted().forEach(dirs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dirs;
  }

  /** The expected dead letters of a folder: the start of each reason, by line number. */
  static Map<Integer, String> expectedDeadLetters(Path dir) throws IOException {
    Map<Integer, String> out = new TreeMap<>();
    List<String> lines = Files.readAllLines(dir.resolve(DEAD_LETTERS), StandardCharsets.UTF_8);
    for (String line : lines) {
      if (line.isEmpty()) {
        continue;
      }
      int space = line.indexOf(' ');
      String source = space < 0 ? line : line.substring(0, space);
      if (!source.startsWith(Scenario.INPUT + ":")) {
        throw new IllegalArgumentException(dir.resolve(DEAD_LETTERS) + ": not a source: " + line);
      }
      int n = Integer.parseInt(source.substring(Scenario.INPUT.length() + 1));
      if (out.put(n, space < 0 ? "" : line.substring(space + 1)) != null) {
        throw new IllegalArgumentException(dir.resolve(DEAD_LETTERS) + ": line " + n + " twice");
      }
    }
    return out;
  }
}
