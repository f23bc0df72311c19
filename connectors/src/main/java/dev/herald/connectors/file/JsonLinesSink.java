package dev.herald.connectors.file;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes records as lines to local files, one file per subtask ({@code <prefix>-<subtask>.jsonl} in
 * a directory). For bounded runs such as replays, where the caller reads the files once the job has
 * finished; it gives no guarantee across failures.
 *
 * <p>Writing a line never fails on its content: the encoder replaces what is not a character
 * instead of throwing (the formats already write only well-formed text).
 */
public final class JsonLinesSink<T> implements Sink<T> {

  private static final long serialVersionUID = 1L;

  /** Formats one record as one line of text. */
  @FunctionalInterface
  public interface Format<T> extends Function<T, String>, Serializable {}

  private final String directory;
  private final String prefix;
  private final Format<T> format;

  public JsonLinesSink(Path directory, String prefix, Format<T> format) {
    this.directory = directory.toAbsolutePath().toString();
    this.prefix = prefix;
    this.format = format;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
    Path dir = Paths.get(directory);
    Files.createDirectories(dir);
    Path file =
        dir.resolve(prefix + "-" + context.getTaskInfo().getIndexOfThisSubtask() + ".jsonl");
    // An OutputStreamWriter replaces malformed input; Files.newBufferedWriter would throw.
    return new Writer<>(
        new BufferedWriter(
            new OutputStreamWriter(
                Files.newOutputStream(
                    file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING),
                StandardCharsets.UTF_8)),
        format);
  }

  private static final class Writer<T> implements SinkWriter<T> {
    private final BufferedWriter out;
    private final Format<T> format;

    Writer(BufferedWriter out, Format<T> format) {
      this.out = out;
      this.format = format;
    }

    @Override
    public void write(T element, Context context) throws IOException {
      out.write(format.apply(element));
      out.newLine();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
