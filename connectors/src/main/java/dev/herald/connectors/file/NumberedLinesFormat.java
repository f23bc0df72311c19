package dev.herald.connectors.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a file of JSON lines in order, one reader per file, numbering the lines so that a record
 * that cannot be used is reported as {@code name:line}. Blank lines are skipped but counted.
 *
 * <p>The format is not splittable: a file is one split, read front to back, which keeps the written
 * order of records with equal timestamps. After a restore the reader re-reads the lines before its
 * position, so the numbers stay right.
 */
public final class NumberedLinesFormat extends SimpleStreamFormat<SourceLine> {

  private static final long serialVersionUID = 1L;

  private final String name;

  /**
   * @param name how the file is named in origins, e.g. {@code input.jsonl}
   */
  public NumberedLinesFormat(String name) {
    this.name = name;
  }

  @Override
  public Reader createReader(Configuration config, FSDataInputStream stream) {
    return new Reader(
        name, new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)));
  }

  @Override
  public TypeInformation<SourceLine> getProducedType() {
    return TypeInformation.of(SourceLine.class);
  }

  /** Reads numbered lines. */
  public static final class Reader implements SimpleStreamFormat.Reader<SourceLine> {
    private final String name;
    private final BufferedReader reader;
    private long line;

    Reader(String name, BufferedReader reader) {
      this.name = name;
      this.reader = reader;
    }

    @Override
    public SourceLine read() throws IOException {
      String text;
      while ((text = reader.readLine()) != null) {
        line++;
        if (line == 1 && text.startsWith("\uFEFF")) {
          text = text.substring(1); // a byte-order mark is not part of the first record
        }
        if (!text.isBlank()) {
          return new SourceLine(name + ":" + line, text);
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
