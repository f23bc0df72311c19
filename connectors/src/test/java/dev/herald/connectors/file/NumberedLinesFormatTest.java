package dev.herald.connectors.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.local.LocalDataInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a file of lines: numbered origins, blank lines skipped but counted, UTF-8. */
class NumberedLinesFormatTest {

  @TempDir Path dir;

  private Path file(String content) throws IOException {
    Path f = dir.resolve("input.jsonl");
    Files.write(f, content.getBytes(StandardCharsets.UTF_8));
    return f;
  }

  /** Every line the format reads from {@code f}, through Flink's local file system. */
  private static List<SourceLine> readAll(String name, Path f) throws IOException {
    NumberedLinesFormat format = new NumberedLinesFormat(name);
    List<SourceLine> lines = new ArrayList<>();
    try (NumberedLinesFormat.Reader reader =
        format.createReader(
            new Configuration(),
            FileSystem.getLocalFileSystem().open(new org.apache.flink.core.fs.Path(f.toUri())))) {
      SourceLine line;
      while ((line = reader.read()) != null) {
        lines.add(line);
      }
      assertThat(reader.read()).as("still the end").isNull();
    }
    return lines;
  }

  @Test
  void linesAreNumberedByTheirPlaceInTheFile() throws IOException {
    Path f = file("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");

    assertThat(readAll("input.jsonl", f))
        .containsExactly(
            new SourceLine("input.jsonl:1", "{\"a\":1}"),
            new SourceLine("input.jsonl:2", "{\"b\":2}"),
            new SourceLine("input.jsonl:3", "{\"c\":3}"));
  }

  @Test
  void aByteOrderMarkIsNotPartOfTheFirstRecord() throws IOException {
    Path f = file("\uFEFF{\"a\":1}\n{\"b\":\"\uFEFF\"}\n");

    assertThat(readAll("input.jsonl", f))
        .containsExactly(
            new SourceLine("input.jsonl:1", "{\"a\":1}"),
            new SourceLine("input.jsonl:2", "{\"b\":\"\uFEFF\"}"));
  }

  @Test
  void blankLinesAreSkippedButCounted() throws IOException {
    Path f = file("first\n\nthird\n   \n\t\nsixth\n\n");

    assertThat(readAll("name", f))
        .containsExactly(
            new SourceLine("name:1", "first"),
            new SourceLine("name:3", "third"),
            new SourceLine("name:6", "sixth"));
  }

  @Test
  void leadingBlankLinesCountToo() throws IOException {
    Path f = file("\n\n\nfourth");

    assertThat(readAll("x.jsonl", f)).containsExactly(new SourceLine("x.jsonl:4", "fourth"));
  }

  @Test
  void textIsReadAsUtf8() throws IOException {
    String text = "{\"text\":\"Grüße, 世界 🙂 € ñ\"}";
    Path f = file(text + "\n" + "ø\n");

    assertThat(readAll("u.jsonl", f))
        .containsExactly(new SourceLine("u.jsonl:1", text), new SourceLine("u.jsonl:2", "ø"));
  }

  @Test
  void crlfAndAMissingLastNewlineAreLineEnds() throws IOException {
    Path f = file("one\r\ntwo\r\n\r\nfour");

    assertThat(readAll("w", f))
        .containsExactly(
            new SourceLine("w:1", "one"),
            new SourceLine("w:2", "two"),
            new SourceLine("w:4", "four"));
  }

  @Test
  void aLineIsKeptAsWrittenWithItsOwnWhitespace() throws IOException {
    Path f = file("  {\"a\" : 1}  \n");

    assertThat(readAll("s", f)).containsExactly(new SourceLine("s:1", "  {\"a\" : 1}  "));
  }

  @Test
  void anEmptyFileEndsAtOnce() throws IOException {
    Path f = file("");

    assertThat(readAll("empty", f)).isEmpty();
  }

  @Test
  void aFileOfOnlyBlankLinesEndsAtOnce() throws IOException {
    Path f = file("\n \n\n");

    assertThat(readAll("blank", f)).isEmpty();
  }

  @Test
  void manyLinesKeepTheirNumbers() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= 10_000; i++) {
      b.append(i % 10 == 0 ? "" : "line-" + i).append('\n');
    }
    Path f = file(b.toString());

    List<SourceLine> lines = readAll("big", f);

    assertThat(lines).hasSize(9_000);
    for (SourceLine l : lines) {
      assertThat(l.origin()).isEqualTo("big:" + l.text().substring("line-".length()));
    }
  }

  @Test
  void readsFromALocalDataInputStream() throws IOException {
    Path f = file("a\n\nc\n");
    NumberedLinesFormat format = new NumberedLinesFormat("in");

    try (NumberedLinesFormat.Reader reader =
        format.createReader(new Configuration(), new LocalDataInputStream(f.toFile()))) {
      assertThat(reader.read()).isEqualTo(new SourceLine("in:1", "a"));
      assertThat(reader.read()).isEqualTo(new SourceLine("in:3", "c"));
      assertThat(reader.read()).isNull();
    }
  }

  @Test
  void aFileIsOneSplitAndLinesAreNotGenericTypes() {
    NumberedLinesFormat format = new NumberedLinesFormat("in");

    assertThat(format.isSplittable()).isFalse();
    TypeInformation<SourceLine> type = format.getProducedType();
    assertThat(type.getTypeClass()).isEqualTo(SourceLine.class);
    // The job runs with pipeline.generic-types=false: a generic (Kryo) type would fail it.
    assertThat(type).isNotInstanceOf(GenericTypeInfo.class);
  }
}
