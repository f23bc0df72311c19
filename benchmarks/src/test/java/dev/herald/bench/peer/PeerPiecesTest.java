package dev.herald.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.schema.RecordCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The peer's pieces that need no server; {@link PostgresPeerITCase} runs them on one. */
class PeerPiecesTest {

  private static PeerEvent event(String json, long seq) {
    return PeerEvent.of(RecordCodec.parseUserEvent(json).value(), seq);
  }

  private static String tag(String user, String fields) {
    return "{\"type\":\"tag\",\"at\":\"2026-06-01T10:00:00Z\",\"channel\":\"messenger\","
        + "\"account\":\"page-1\",\"user\":\""
        + user
        + "\""
        + fields
        + "}";
  }

  @Test
  void aBatchIsCutIntoRoundsOfOneEventPerUser() {
    PeerEvent a1 = event(tag("a", ",\"add\":[\"x\"]"), 0);
    PeerEvent b1 = event(tag("b", ",\"add\":[\"x\"]"), 1);
    PeerEvent a2 = event(tag("a", ",\"remove\":[\"x\"]"), 2);
    PeerEvent a3 = event(tag("a", ",\"add\":[\"y\"]"), 3);
    PeerEvent b2 = event(tag("b", ",\"add\":[\"y\"]"), 4);

    assertThat(PeerIngest.rounds(List.of(a1, b1, a2, a3, b2)))
        .containsExactly(List.of(a1, b1), List.of(a2, b2), List.of(a3));
  }

  @Test
  void upsertsBindOnlyInsideValuesSoTheDriverCanRewriteThem() {
    EventWrite.Rendered r = EventWrite.INTERACTION.batch();
    String afterValues = r.sql().substring(r.sql().indexOf(") ON CONFLICT"));
    assertThat(afterValues).doesNotContain("?");
    assertThat(r.binds())
        .containsExactly("channel", "account", "user_id", "at", "ctm_at", "crumb", "crumb_at");
    assertThat(r.sql()).contains("VALUES (?::text, ?::text, ?::text, ?::timestamptz");
  }

  @Test
  void otherWritesReadOneBoundRowAsTheirSource() {
    EventWrite.Rendered r = EventWrite.TAG_REMOVE.batch();
    assertThat(r.binds()).containsExactly("tags_remove", "channel", "account", "user_id");
    assertThat(r.sql())
        .contains("FROM (SELECT ?::text[] AS tags_remove, ?::text AS channel")
        .doesNotContain("{source}");
    assertThat(EventWrite.TAG_REMOVE.merge())
        .contains("FROM herald_staging e WHERE e.round = ? AND e.type = ANY(?)")
        .contains("AND cardinality(e.tags_remove) > 0");
    assertThat(EventWrite.TAG_REMOVE.appliesTo(event(tag("a", ",\"add\":[\"x\"]"), 0))).isFalse();
  }

  @Test
  void aStagingRowIsQuotedCsvWithArraysAndNulls() {
    StringBuilder csv = new StringBuilder();
    PeerIngest.Csv.row(csv, event(tag("a", ",\"add\":[\"x,y\",\"q\\\"z\"]"), 7), 2);

    assertThat(csv.toString())
        .startsWith("\"7\",\"2\",\"tag\",\"messenger\",\"page-1\",\"a\",")
        .contains(",\"2026-06-01T10:00:00Z\",,,,\"{\"\"x,y\"\",\"\"q\\\"\"z\"\"}\",\"{}\",")
        .endsWith(",,,,,,,,\n");
  }

  @Test
  void aFailedDeliveryIsSettledByTheChannel() {
    String failed =
        "{\"type\":\"delivery\",\"at\":\"2026-06-01T10:00:00Z\",\"channel\":\"messenger\","
            + "\"account\":\"page-1\",\"user\":\"u\",\"status\":\"failed\",\"error\":{\"code\":";
    assertThat(event(failed + "551}}", 0).type()).isEqualTo(PeerEvent.UNREACHABLE);
    assertThat(event(failed + "368}}", 0).type()).isEqualTo(PeerEvent.KNOWN);
  }

  @Test
  void aDumpIsSplitAfterLines() {
    byte[] dump = "a\nbb\nccc\nd\n".getBytes(StandardCharsets.UTF_8);
    List<byte[]> parts = BulkCopy.split(dump, 3);
    StringBuilder joined = new StringBuilder();
    for (byte[] p : parts) {
      String s = new String(p, StandardCharsets.UTF_8);
      assertThat(s).endsWith("\n");
      joined.append(s);
    }
    assertThat(joined.toString()).isEqualTo("a\nbb\nccc\nd\n");
    assertThat(parts).hasSizeBetween(2, 3);
  }

  @Test
  void flagsAreCheckedWithTheirNames() {
    PostgresPeerBench.Options o =
        PostgresPeerBench.Options.parse(
            new String[] {"--users", "1_000", "--ingest", "upsert", "--unsafe"});
    assertThat(o.users()).isEqualTo(1000);
    assertThat(o.modes()).containsExactly(PeerIngest.Mode.UPSERT);
    assertThat(o.unsafe()).isTrue();
    assertThatThrownBy(() -> PostgresPeerBench.Options.parse(new String[] {"--runs", "0"}))
        .hasMessage("--runs: a positive whole number, not 0");
    assertThatThrownBy(() -> PostgresPeerBench.Options.parse(new String[] {"--ingest", "fast"}))
        .hasMessage("--ingest: upsert, copy-merge or both, not fast");
  }

  @Test
  void helpListsTheFlags() throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      PostgresPeerBench.main(new String[] {"--help"});
    } finally {
      System.setOut(stdout);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Usage: bin/bench postgres")
        .contains("--users N")
        .contains("--unsafe");
  }

  @Test
  void theServerKeepsFsyncOnUnlessUnsafe() {
    assertThat(PostgresServer.settings(false))
        .containsEntry("fsync", "on")
        .containsEntry("synchronous_commit", "on");
    assertThat(PostgresServer.settings(true))
        .containsEntry("fsync", "on")
        .containsEntry("synchronous_commit", "off");
  }
}
