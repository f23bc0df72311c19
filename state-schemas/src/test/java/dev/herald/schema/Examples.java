package dev.herald.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The valid records the tests share: the examples of spec/EVENTS.md, the input and expected
 * decisions of the worked scenarios in the project's {@code conformance/examples/}, and edge cases
 * of the contract (offsets, nulls, unknown fields, every type and fallback).
 */
final class Examples {

  static final List<String> INPUT_FILES =
      List.of(
          "events-md.jsonl",
          "otn-tokens.input.jsonl",
          "recurring-weekly.input.jsonl",
          "reminder-breadcrumb.input.jsonl",
          "window-basics.input.jsonl",
          "edge-cases.jsonl");

  static final List<String> DECISION_FILES =
      List.of(
          "events-md.decisions.jsonl",
          "otn-tokens.expected.jsonl",
          "recurring-weekly.expected.jsonl",
          "reminder-breadcrumb.expected.jsonl",
          "window-basics.expected.jsonl");

  private Examples() {}

  /** One argument set per line: {@code (file:line, record)}. */
  static Stream<Arguments> inputRecords() {
    return lines(INPUT_FILES);
  }

  /** One argument set per line of expected decisions: {@code (file:line, decision)}. */
  static Stream<Arguments> decisions() {
    return lines(DECISION_FILES);
  }

  private static Stream<Arguments> lines(List<String> files) {
    List<Arguments> out = new ArrayList<>();
    for (String file : files) {
      List<String> lines = read(file);
      for (int i = 0; i < lines.size(); i++) {
        out.add(Arguments.of(file + ":" + (i + 1), lines.get(i)));
      }
    }
    return out.stream();
  }

  /** The worked scenarios, beside this module: {@code <name>.input.jsonl} is read from there. */
  private static final Path WORKED = Path.of("..", "conformance", "examples");

  static List<String> read(String file) {
    Matcher worked = Pattern.compile("(.+)\\.(input|expected)\\.jsonl").matcher(file);
    try (InputStream in =
        worked.matches()
            ? Files.newInputStream(
                WORKED.resolve(worked.group(1)).resolve(worked.group(2) + ".jsonl"))
            : Examples.class.getResourceAsStream("/examples/" + file)) {
      if (in == null) {
        throw new IllegalStateException("no test resource examples/" + file);
      }
      List<String> lines =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(l -> !l.isBlank())
              .toList();
      if (lines.isEmpty()) {
        throw new IllegalStateException("examples/" + file + " is empty");
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
