package dev.herald.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The flags of {@code bin/kafka topics}; the broker side is in {@link TopicsITCase}. */
class TopicsCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--bogus 1                   | unknown flag --bogus",
        "--partitions                | --partitions needs a value",
        "--partitions x              | --partitions: 'x' is not a whole number",
        "--partitions 0              | --partitions: must be from 1",
        "--replication-factor 40000  | --replication-factor: must be from 1",
        "--topic-campaigns=          | --topic-campaigns must not be empty",
        "--help=yes                  | --help takes no value",
        "user-events                 | expected a flag"
      })
  void aBadFlagIsNamedAndStatusTwo(String args, String message) {
    int status = run(args.split(" "));

    assertThat(status).isEqualTo(2);
    assertThat(text(out)).isEmpty();
    assertThat(text(err)).startsWith("topics: " + message).contains("usage: bin/kafka topics");
  }

  @Test
  void twoTopicsMayNotShareAName() {
    int status = run("--topic-decisions", "same", "--topic-send-requests", "same");

    assertThat(status).isEqualTo(2);
    assertThat(text(err)).startsWith("topics: two topics share a name");
  }

  @Test
  void helpListsEveryFlagWithItsDefault() {
    int status = run("--help");

    assertThat(status).isEqualTo(0);
    assertThat(text(out))
        .contains("--bootstrap-servers (default: localhost:9092)")
        .contains("--partitions (default: 4)")
        .contains("--replication-factor (default: 1)")
        .contains("--topic-user-events (default: user-events)")
        .contains("--topic-campaigns (default: campaigns)")
        .contains("--topic-decisions (default: decisions)")
        .contains("--topic-send-requests (default: send-requests)")
        .contains("--topic-dead-letters (default: dead-letters)")
        .contains("--topic-delivery-outcomes (default: delivery-outcomes)")
        .contains("--verbose");
  }

  private int run(String... args) {
    return TopicsCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
