package dev.herald.connectors.file;

import dev.herald.schema.Bounds;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a file of JSON lines in order, one reader per file, numbering the lines so that a record
 * that cannot be used is reported as {@code name:line}. Every line is a record, a blank one too
 * (the codec dead-letters it as empty); lines are read as raw bytes ({@link LineReader}), so the
 * codec sees bytes that are not UTF-8 as they are.
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
    return new Reader(name, new LineReader(stream, Bounds.MAX_RECORD_BYTES));
  }

  @Override
  public TypeInformation<SourceLine> getProducedType() {
    return TypeInformation.of(SourceLine.class);
  }

  /** Reads numbered lines. */
  public static final class Reader implements SimpleStreamFormat.Reader<SourceLine> {
    private final String name;
    private final LineReader lines;

    Reader(String name, LineReader lines) {
      this.name = name;
      this.lines = lines;
    }

    @Override
    public SourceLine read() throws IOException {
      byte[] line = lines.next();
      return line == null ? null : new SourceLine(name + ":" + lines.lineNumber(), line);
    }

    @Override
    public void close() throws IOException {
      lines.close();
    }
  }
}
