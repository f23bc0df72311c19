package dev.herald.replay;

import dev.herald.connectors.file.LineReader;
import dev.herald.schema.Bounds;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.RecordCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of an input file, in written order, and the lines that are not records. Lines are
 * read as the job reads them: raw bytes split at line feeds, each one a record (a blank line is
 * dead-lettered as empty).
 */
public record ScenarioInput(List<InputRecord> records, List<DeadLetter> deadLetters) {

  /** Parses {@code lines}, the raw bytes of each line of {@code file}, in order. */
  public static ScenarioInput parse(List<byte[]> lines, String file) {
    List<InputRecord> records = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      byte[] line = lines.get(i);
      Parsed<InputRecord> parsed = RecordCodec.parse(line);
      if (parsed.isOk()) {
        records.add(parsed.value());
      } else {
        dead.add(DeadLetter.ofBytes(parsed.at(), file + ":" + (i + 1), parsed.reason(), line));
      }
    }
    return new ScenarioInput(List.copyOf(records), List.copyOf(dead));
  }

  /** The lines of {@code in} as raw bytes, as the job's file source splits them. */
  public static List<byte[]> lines(InputStream in) throws IOException {
    List<byte[]> lines = new ArrayList<>();
    LineReader reader = new LineReader(in, Bounds.MAX_RECORD_BYTES);
    byte[] line;
    while ((line = reader.next()) != null) {
      lines.add(line);
    }
    return lines;
  }

  /** The lines of {@code text}, for tests. */
  public static List<byte[]> lines(byte[] text) {
    try {
      return lines(new ByteArrayInputStream(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
