package dev.herald.cli.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line without Kafka: argument parsing, help, usage errors and files the codec rejects,
 * which must all be answered before any connection is tried (the bootstrap servers here point at a
 * port nobody listens on, and a test that tried would hang for the Kafka wait).
 */
class CampaignCommandTest {

  private static final String NOBODY = "--bootstrap-servers=localhost:1";

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new CampaignCommand(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.fixed(Instant.parse("2026-05-03T12:00:00Z"), ZoneOffset.UTC))
        .run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void operandsAndFlagsMayComeInAnyOrderAndTakeEitherForm() {
    Options.Parsed p =
        CampaignCommand.TAIL.parse(
            new String[] {"--max", "5", "restock-42", "--timeout=PT10M", "--from-beginning"});
    assertThat(p.operands()).containsExactly("restock-42");
    assertThat(p.positive("max")).isEqualTo(5);
    assertThat(p.duration("timeout")).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.isSet("from-beginning")).isTrue();
    assertThat(p.isSet("json")).isFalse();
    assertThat(p.text("bootstrap-servers")).isEqualTo("localhost:9092");
    assertThat(p.text("topic-decisions")).isEqualTo("decisions");
    assertThat(CampaignCommand.CANCEL.parse(new String[] {"--", "--odd-id"}).operands())
        .containsExactly("--odd-id");
  }

  @Test
  void badFlagsAreNamed() {
    assertThatThrownBy(() -> CampaignCommand.TAIL.parse(new String[] {"--nope"}))
        .hasMessage("unknown flag --nope");
    assertThatThrownBy(() -> CampaignCommand.TAIL.parse(new String[] {"--max"}))
        .hasMessage("--max needs a value");
    assertThatThrownBy(() -> CampaignCommand.TAIL.parse(new String[] {"--json=yes"}))
        .hasMessage("--json takes no value");
    assertThatThrownBy(
            () -> CampaignCommand.TAIL.parse(new String[] {"--max", "0"}).positive("max"))
        .hasMessage("--max: '0' is not a positive number");
    assertThatThrownBy(
            () -> CampaignCommand.ESTIMATE.parse(new String[] {"--wait", "60"}).duration("wait"))
        .hasMessageContaining("--wait: '60' is not a positive ISO-8601 duration");
  }

  @Test
  void helpOnEveryCommandListsItsFlagsAndTheExitCodes() {
    for (String command : new String[] {"publish", "cancel", "estimate", "tail"}) {
      out.reset();
      assertThat(run(command, "--help")).isZero();
      assertThat(out())
          .startsWith("usage: bin/herald campaign " + command)
          .contains("--bootstrap-servers (default: localhost:9092)")
          .contains("--topic-campaigns (default: campaigns)")
          .contains("--topic-decisions (default: decisions)")
          .contains("3 Kafka unreachable");
    }
    out.reset();
    assertThat(run("--help")).isZero();
    assertThat(out()).contains("estimate FILE.json").contains("2 bad usage");
  }

  @Test
  void badUsageExitsTwoAndSaysWhat() {
    assertThat(run()).isEqualTo(2);
    assertThat(run("launch")).isEqualTo(2);
    assertThat(err()).contains("unknown command 'launch'");
    assertThat(run("publish")).isEqualTo(2);
    assertThat(err()).contains("campaign publish: missing FILE.json");
    assertThat(run("cancel", "a", "b")).isEqualTo(2);
    assertThat(err()).contains("unexpected argument 'b'");
    assertThat(run("cancel", "a", "--at", "yesterday")).isEqualTo(2);
    assertThat(err()).contains("--at: 'yesterday' is not an instant");
    assertThat(run("tail", "--max", "-3")).isEqualTo(2);
  }

  @Test
  void aFileTheCodecRejectsExitsOneWithTheReasonAndNoConnection() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(
        file,
        "{\"type\":\"campaign\",\"id\":\"restock-42\",\"at\":\"2026-05-03T08:00:00Z\","
            + "\"channel\":\"messenger\",\"account\":\"page-1\",\"outsideWindow\":\"OTN\","
            + "\"message\":{\"text\":\"Back in stock!\"}}");
    assertThat(run("publish", file.toString(), NOBODY)).isEqualTo(1);
    assertThat(err()).contains("not published").contains("restock-42").contains("topic");
    assertThat(run("estimate", file.toString(), NOBODY)).isEqualTo(1);
    assertThat(err()).contains("nothing estimated");
    assertThat(run("publish", dir.resolve("missing.json").toString(), NOBODY)).isEqualTo(1);
    assertThat(err()).contains("cannot read");
    assertThat(out()).isEmpty();
  }
}
