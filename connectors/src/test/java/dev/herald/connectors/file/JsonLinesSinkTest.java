package dev.herald.connectors.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Records written as lines, one file per subtask. */
class JsonLinesSinkTest {

  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path dir;

  /** A writer context of which the sink uses only the task info. */
  private static WriterInitContext context(int subtask, int parallelism) {
    TaskInfoImpl info = new TaskInfoImpl("sink", 128, subtask, parallelism, 0);
    return (WriterInitContext)
        Proxy.newProxyInstance(
            JsonLinesSinkTest.class.getClassLoader(),
            new Class<?>[] {WriterInitContext.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getTaskInfo")) {
                return info;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static List<String> lines(Path f) throws IOException {
    return Files.readAllLines(f, StandardCharsets.UTF_8);
  }

  @Test
  void aWriterWritesEveryRecordAsALineOfItsSubtasksFile() throws Exception {
    JsonLinesSink<String> sink = new JsonLinesSink<>(dir.resolve("out"), "decisions", s -> s);

    try (SinkWriter<String> writer = sink.createWriter(context(3, 4))) {
      writer.write("{\"a\":1}", null);
      writer.write("{\"text\":\"Grüße 🙂\"}", null);
      writer.write("", null);
      writer.flush(true);
    }

    Path file = dir.resolve("out").resolve("decisions-3.jsonl");
    assertThat(file).exists();
    assertThat(lines(file)).containsExactly("{\"a\":1}", "{\"text\":\"Grüße 🙂\"}", "");
    try (Stream<Path> files = Files.list(dir.resolve("out"))) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void theFormatTurnsEachRecordIntoItsLine() throws Exception {
    JsonLinesSink<Integer> sink = new JsonLinesSink<>(dir, "n", n -> "{\"n\":" + n + "}");

    try (SinkWriter<Integer> writer = sink.createWriter(context(0, 1))) {
      for (int i = 0; i < 1_000; i++) {
        writer.write(i, null);
      }
    }

    List<String> written = lines(dir.resolve("n-0.jsonl"));
    assertThat(written).hasSize(1_000);
    assertThat(written.get(0)).isEqualTo("{\"n\":0}");
    assertThat(written.get(999)).isEqualTo("{\"n\":999}");
  }

  @Test
  void aStringThatIsNotWellFormedIsWrittenReplacedRatherThanFailingTheWriter() throws Exception {
    JsonLinesSink<String> sink = new JsonLinesSink<>(dir, "q", s -> s);

    try (SinkWriter<String> writer = sink.createWriter(context(0, 1))) {
      writer.write("{\"user\":\"u-\uD800\"}", null);
      writer.write("{\"user\":\"u-\uDC00x\"}", null);
      writer.write("after", null);
    }

    byte[] written = Files.readAllBytes(dir.resolve("q-0.jsonl"));
    // Strict decoding succeeds: the file is UTF-8 throughout.
    String text =
        StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(written)).toString();
    assertThat(text.split("\n")).hasSize(3).contains("after");
    assertThat(text).doesNotContain("\uD800").doesNotContain("\uDC00");
  }

  @Test
  void aNewWriterReplacesAnOldFile() throws Exception {
    Files.writeString(dir.resolve("p-0.jsonl"), "old 1\nold 2\nold 3\n");
    JsonLinesSink<String> sink = new JsonLinesSink<>(dir, "p", s -> s);

    try (SinkWriter<String> writer = sink.createWriter(context(0, 1))) {
      writer.write("new", null);
    }

    assertThat(lines(dir.resolve("p-0.jsonl"))).containsExactly("new");
  }

  @Test
  void theSinkSurvivesJavaSerializationAsWhenShippedToTheCluster() throws Exception {
    JsonLinesSink<String> sink = new JsonLinesSink<>(dir, "r", s -> "<" + s + ">");

    JsonLinesSink<String> shipped =
        InstantiationUtil.clone(sink, JsonLinesSinkTest.class.getClassLoader());
    try (SinkWriter<String> writer = shipped.createWriter(context(1, 2))) {
      writer.write("x", null);
    }

    assertThat(lines(dir.resolve("r-1.jsonl"))).containsExactly("<x>");
  }

  @Test
  void aJobAtParallelismTwoWritesOneFilePerSubtaskWithEveryRecord() throws Exception {
    Path out = dir.resolve("job-out");
    List<String> records =
        IntStream.range(0, 20).mapToObj(i -> "{\"i\":" + i + ",\"t\":\"ü🙂\"}").toList();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);

    env.fromData(records)
        .rebalance()
        .sinkTo(new JsonLinesSink<>(out, "records", s -> s))
        .setParallelism(2);
    env.execute("json lines sink test");

    List<Path> files;
    try (Stream<Path> list = Files.list(out)) {
      files = list.sorted().collect(Collectors.toList());
    }
    assertThat(files)
        .containsExactly(out.resolve("records-0.jsonl"), out.resolve("records-1.jsonl"));
    List<String> all = new ArrayList<>();
    for (Path f : files) {
      List<String> lines = lines(f);
      assertThat(lines).as("%s", f.getFileName()).isNotEmpty();
      all.addAll(lines);
    }
    assertThat(all).containsExactlyInAnyOrderElementsOf(records);
  }
}
