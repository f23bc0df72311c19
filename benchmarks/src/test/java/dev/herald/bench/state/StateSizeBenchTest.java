package dev.herald.bench.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.bench.Population;
import dev.herald.schema.Channel;
import dev.herald.schema.UserKey;
import dev.herald.state.UserRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateSizeBenchTest {

  @Test
  void aTinyRunStoresEveryUserAndMeasuresTheirFiles(@TempDir Path dir) throws Exception {
    int users = 300;
    StateSizeBench.Run run =
        StateSizeBench.measure(OperatorRig.events(new Population(users)), users, dir.resolve("db"));

    assertThat(run.users()).isEqualTo(users);
    assertThat(run.diskBytes()).isPositive();
    // The key: the key-group prefix, the channel, "page-1" and "u-<i>" with their lengths, the
    // namespace byte.
    assertThat(run.keyBytes()).isBetween(1 + 1 + 7 + 4.0, 1 + 1 + 7 + 6 + 1.0);
    assertThat(run.valueBytes()).isGreaterThan(run.rawBytes() / 2);
    assertThat(run.rawBytes()).isBetween(100.0, 160.0);
    assertThat(dir.resolve("db")).doesNotExist(); // the rig cleans up after itself
  }

  @Test
  void theRawBytesAreTheFieldsOnce() {
    Instant t = Instant.parse("2026-06-01T10:00:00Z");
    var state =
        dev.herald.state.UserState.EMPTY.toBuilder()
            .lastInteractionAt(t)
            .breadcrumb("/a", t)
            .tags(List.of("x", "yy"))
            .otnTokens(List.of(new dev.herald.state.OtnToken("topic", "tok", t)))
            .otnTopics(List.of("topic"))
            .build();
    UserKey key = new UserKey(Channel.MESSENGER, "page", "u-1");
    // key 1 + 4 + 3; instants 8 + 8 + 8; "/a" 2; tags 1 + 2; token 3; topic 5, once.
    assertThat(StateSizeBench.rawBytes(key, new UserRecord(state, List.of(), List.of(), null)))
        .isEqualTo(8 + 24 + 2 + 3 + 3 + 5);
  }

  @Test
  void aUserWithSomethingPendingIsNotATypicalUser() {
    UserKey key = new UserKey(Channel.MESSENGER, "page", "u-1");
    UserRecord pending = new UserRecord(null, List.of(), List.of(), Instant.EPOCH);
    assertThatThrownBy(() -> StateSizeBench.rawBytes(key, pending)).hasMessageContaining("pending");
  }

  @Test
  void theMainPrintsTheFigureLines(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      StateSizeBench.main(new String[] {"--users", "50", "--runs", "1", "--dir", dir.toString()});
    } finally {
      System.setOut(stdout);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("FIGURE state-size: median ").contains("| limit median ");
    assertThat(out).contains("FIGURE state-size key: ").contains("FIGURE state-size value: ");
  }
}
