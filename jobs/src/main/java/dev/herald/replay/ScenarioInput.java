package dev.herald.replay;

import dev.herald.schema.DeadLetter;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.Wire;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The records of an input file, in written order, and the lines that are not records. */
public record ScenarioInput(List<InputRecord> records, List<DeadLetter> deadLetters) {

  private static final Pattern AT = Pattern.compile("\"at\"\\s*:\\s*\"([^\"]*)\"");

  /** Parses the lines of {@code file}; blank lines are skipped. */
  public static ScenarioInput parse(List<String> lines, String file) {
    List<InputRecord> records = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1); // a byte-order mark is not part of the first record
      }
      if (line.isBlank()) {
        continue;
      }
      Parsed<InputRecord> parsed = RecordCodec.parse(line);
      if (parsed.isOk()) {
        records.add(parsed.value());
      } else {
        dead.add(DeadLetter.of(atOf(line), file + ":" + (i + 1), parsed.reason(), line));
      }
    }
    return new ScenarioInput(List.copyOf(records), List.copyOf(dead));
  }

  /** The {@code at} of a record that may not parse, if it can be read; else {@code null}. */
  public static Instant atOf(String line) {
    Matcher m = AT.matcher(line);
    return m.find() ? Wire.parseInstant(m.group(1)) : null;
  }
}
