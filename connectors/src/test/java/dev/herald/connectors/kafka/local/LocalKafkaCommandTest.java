package dev.herald.connectors.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The flags of {@code bin/kafka local}; the broker itself is in {@link LocalKafkaITCase}. */
class LocalKafkaCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void aBadFlagIsNamedAndStatusTwo() {
    assertThat(run("--prot", "9092")).isEqualTo(2);
    assertThat(text(err)).startsWith("kafka: unknown flag --prot");
    assertThat(text(out)).isEmpty();
  }

  @Test
  void aBadPortIsNamed() {
    assertThat(run("--port", "70000")).isEqualTo(2);
    assertThat(text(err)).startsWith("kafka: --port: must be from 0 to 65535, got 70000");
  }

  @Test
  void help() {
    assertThat(run("--help")).isEqualTo(0);
    assertThat(text(out))
        .contains("--port (default: 9092)")
        .contains("--dir (default: /tmp/herald/kafka)");
  }

  private int run(String... args) {
    return LocalKafkaCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        new CountDownLatch(0));
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
