package dev.herald.cli.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DecisionTallyTest {

  private static DecisionView send(String user, String basis) {
    return new DecisionView(
        "c", "messenger/p/" + user, "2026-01-01T00:00:00Z", "SEND", basis, null, null, true);
  }

  private static DecisionView skip(String user, String reason) {
    return new DecisionView(
        "c", "messenger/p/" + user, "2026-01-01T00:00:00Z", "SKIP", null, reason, null, true);
  }

  @Test
  void countsSendsByBasisAndSkipsByReasonLargestFirstAndEachUserOnce() {
    DecisionTally t = new DecisionTally();
    t.add(send("u1", "WINDOW"));
    t.add(send("u2", "OTN"));
    t.add(send("u3", "OTN"));
    t.add(skip("u4", "NO_TOKEN"));
    t.add(skip("u5", "UNREACHABLE"));
    t.add(skip("u6", "NO_TOKEN"));
    assertThat(t.add(send("u1", "WINDOW"))).isFalse();
    assertThat(t.total()).isEqualTo(6);
    assertThat(t.summary())
        .isEqualTo(
            "6 users would be decided\n"
                + "  SEND 3\n"
                + "    OTN    2\n"
                + "    WINDOW 1\n"
                + "  SKIP 3\n"
                + "    NO_TOKEN    2\n"
                + "    UNREACHABLE 1\n");
  }

  @Test
  void readsADecisionRecordAndNeverShowsItsToken() {
    DecisionView d =
        DecisionView.read(
            "{\"campaign\":\"restock-42\",\"channel\":\"messenger\",\"account\":\"page-1\","
                + "\"user\":\"u-1\",\"at\":\"2021-05-03T10:00:00Z\",\"outcome\":\"SEND\","
                + "\"basis\":\"OTN\",\"token\":\"tok-secret\",\"variant\":\"red\","
                + "\"resumeAt\":null,\"reason\":null,\"dryRun\":true}");
    assertThat(d.line())
        .isEqualTo(
            "2021-05-03T10:00:00Z restock-42 messenger/page-1/u-1 SEND OTN variant=red (dry run)")
        .doesNotContain("tok-secret");
    assertThat(DecisionView.read("not json")).isNull();
  }
}
