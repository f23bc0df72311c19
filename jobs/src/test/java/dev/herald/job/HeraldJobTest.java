package dev.herald.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeraldJobTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void helpPrintsEveryFlagAndBuildsNothing() {
    assertThat(HeraldJob.configure(new String[] {"--parallelism", "4", "--help"}, out)).isNull();
    String usage = printed.toString(StandardCharsets.UTF_8);
    assertThat(usage).startsWith("usage: flink run herald-job.jar [flags]");
    for (String flag :
        new String[] {
          "--mode", "--bootstrap-servers", "--topic-user-events", "--topic-campaigns",
          "--topic-decisions", "--topic-send-requests", "--topic-dead-letters", "--parallelism",
          "--checkpoint-interval", "--out-of-orderness", "--idle-after", "--transaction-timeout"
        }) {
      assertThat(usage).contains(flag + " (default: ");
    }
  }

  @Test
  void aBadFlagFailsNamingIt() {
    assertThatThrownBy(() -> HeraldJob.configure(new String[] {"--mode", "batch"}, out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--mode: 'batch' is not live or replay");
    assertThatThrownBy(() -> HeraldJob.configure(new String[] {"--topic", "x"}, out))
        .hasMessageStartingWith("unknown flag --topic\n");
  }

  @Test
  void exactlyOnceOutputNeedsCheckpoints() {
    assertThatThrownBy(
            () -> HeraldJob.configure(new String[] {"--checkpoint-interval", "PT0S"}, out))
        .hasMessageStartingWith("--checkpoint-interval: must be longer than zero on Kafka");
    assertThatThrownBy(
            () ->
                HeraldJob.configure(
                    new String[] {"--checkpoint-interval", "PT5M", "--transaction-timeout", "PT5M"},
                    out))
        .hasMessageStartingWith("--transaction-timeout: must be longer than --checkpoint-interval");
  }

  @Test
  void theDefaultsAreALiveJob() {
    JobConfig c = HeraldJob.configure(new String[0], out);
    assertThat(c.mode()).isEqualTo(JobConfig.Mode.LIVE);
    assertThat(printed.size()).isZero();
  }
}
