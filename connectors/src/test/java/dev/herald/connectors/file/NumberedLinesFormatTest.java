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

/** Reading a file of lines: numbered origins, every line a record, raw bytes. */
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
            SourceLine.of("input.jsonl:1", "{\"a\":1}"),
            SourceLine.of("input.jsonl:2", "{\"b\":2}"),
            SourceLine.of("input.jsonl:3", "{\"c\":3}"));
  }

  @Test
  void aByteOrderMarkIsReadAsWrittenForTheCodecToSkip() throws IOException {
    Path f = file("\uFEFF{\"a\":1}\n{\"b\":\"\uFEFF\"}\n");

    assertThat(readAll("input.jsonl", f))
        .containsExactly(
            SourceLine.of("input.jsonl:1", "\uFEFF{\"a\":1}"),
            SourceLine.of("input.jsonl:2", "{\"b\":\"\uFEFF\"}"));
  }

  @Test
  void blankLinesAreRecordsTooForTheCodecToDeadLetter() throws IOException {
    Path f = file("first\n\nthird\n   \n\t\nsixth\n\n");

    assertThat(readAll("name", f))
        .containsExactly(
            SourceLine.of("name:1", "first"),
            SourceLine.of("name:2", ""),
            SourceLine.of("name:3", "third"),
            SourceLine.of("name:4", "   "),
            SourceLine.of("name:5", "\t"),
            SourceLine.of("name:6", "sixth"),
            SourceLine.of("name:7", ""));
  }

  @Test
  void aFinalLineFeedEndsTheLastLineAndAddsNoLine() throws IOException {
    assertThat(readAll("x.jsonl", file("one\n")))
        .containsExactly(SourceLine.of("x.jsonl:1", "one"));
    assertThat(readAll("x.jsonl", file("one"))).containsExactly(SourceLine.of("x.jsonl:1", "one"));
  }

  @Test
  void textIsKeptAsItsUtf8Bytes() throws IOException {
    String text = "{\"text\":\"Grüße, 世界 🙂 € ñ\"}";
    Path f = file(text + "\n" + "ø\n");

    assertThat(readAll("u.jsonl", f))
        .containsExactly(SourceLine.of("u.jsonl:1", text), SourceLine.of("u.jsonl:2", "ø"));
  }

  @Test
  void bytesThatAreNotUtf8AreKeptAsTheyAre() throws IOException {
    Path f = dir.resolve("bad.jsonl");
    Files.write(f, new byte[] {'{', (byte) 0xFF, (byte) 0xC0, (byte) 0x80, '}', '\n', 'x'});

    assertThat(readAll("bad", f))
        .containsExactly(
            new SourceLine("bad:1", new byte[] {'{', (byte) 0xFF, (byte) 0xC0, (byte) 0x80, '}'}),
            SourceLine.of("bad:2", "x"));
  }

  @Test
  void crlfAndAMissingLastNewlineAreLineEnds() throws IOException {
    Path f = file("one\r\ntwo\r\n\r\nfour");

    assertThat(readAll("w", f))
        .containsExactly(
            SourceLine.of("w:1", "one"),
            SourceLine.of("w:2", "two"),
            SourceLine.of("w:3", ""),
            SourceLine.of("w:4", "four"));
  }

  @Test
  void aCarriageReturnAloneIsNotALineEnd() throws IOException {
    Path f = file("{\"a\":1,\r\"b\":2}\r\n");

    assertThat(readAll("cr", f)).containsExactly(SourceLine.of("cr:1", "{\"a\":1,\r\"b\":2}"));
  }

  @Test
  void aLineLongerThanARecordIsCutJustPastTheLimitAndTheNextLineKeepsItsNumber()
      throws IOException {
    int limit = dev.herald.schema.Bounds.MAX_RECORD_BYTES;
    String huge = "x".repeat(limit * 3 + 17);
    Path f = file(huge + "\nafter\n");

    List<SourceLine> lines = readAll("big", f);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).origin()).isEqualTo("big:1");
    assertThat(lines.get(0).bytes()).hasSize(limit + 1);
    assertThat(lines.get(1)).isEqualTo(SourceLine.of("big:2", "after"));
  }

  @Test
  void aLineIsKeptAsWrittenWithItsOwnWhitespace() throws IOException {
    Path f = file("  {\"a\" : 1}  \n");

    assertThat(readAll("s", f)).containsExactly(SourceLine.of("s:1", "  {\"a\" : 1}  "));
  }

  @Test
  void anEmptyFileEndsAtOnce() throws IOException {
    Path f = file("");

    assertThat(readAll("empty", f)).isEmpty();
  }

  @Test
  void manyLinesKeepTheirNumbers() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= 10_000; i++) {
      b.append("line-").append(i).append(i % 10 == 0 ? "\r\n" : "\n");
    }
    Path f = file(b.toString());

    List<SourceLine> lines = readAll("big", f);

    assertThat(lines).hasSize(10_000);
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
      assertThat(reader.read()).isEqualTo(SourceLine.of("in:1", "a"));
      assertThat(reader.read()).isEqualTo(SourceLine.of("in:2", ""));
      assertThat(reader.read()).isEqualTo(SourceLine.of("in:3", "c"));
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
