package dev.herald.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusTextTest {

  private static Map<String, Totals.AccountSends> accounts(long p1, long p2, long wa) {
    Map<String, Totals.AccountSends> m = new LinkedHashMap<>();
    m.put("page-1", new Totals.AccountSends(p1, 150, 300));
    m.put("page-2", new Totals.AccountSends(p2, 90, 300));
    m.put("wa-1", new Totals.AccountSends(wa, 40, 80));
    return m;
  }

  @Test
  void theStatusLineGivesRatesOverTheIntervalAndTheTopThreeSkipReasons() {
    Totals before =
        new Totals(
            1000,
            Map.of("SEND", 100L, "SKIP", 50L),
            Map.of("OUTSIDE_WINDOW", 30L, "NO_TOKEN", 20L),
            Map.of("sent", 90L),
            accounts(50, 30, 10),
            0,
            Map.of(),
            0);
    Totals now =
        new Totals(
            3490,
            Map.of("SEND", 500L, "SKIP", 250L),
            Map.of("OUTSIDE_WINDOW", 140L, "NO_TOKEN", 65L, "OPTED_OUT", 25L, "NOT_OPTED_IN", 20L),
            Map.of("sent", 480L, "failed", 2L),
            accounts(240, 130, 70),
            0,
            Map.of(),
            0);

    String line = StatusText.line(before, now, Duration.ofSeconds(5), Duration.ofSeconds(35));

    assertThat(line)
        .isEqualTo(
            "[00:35] in 498 ev/s | decided 120/s SEND 80 SKIP 40 (OUTSIDE_WINDOW 22, NO_TOKEN 9,"
                + " OPTED_OUT 5) | sent/s page-1 38/300 page-2 20/300 wa-1 12/80 | backlog 18 |"
                + " referee rejections 0");
  }

  @Test
  void aQuietIntervalShowsNoReasonsAndARareReasonIsNotShownAsZero() {
    Totals before = new Totals(0, Map.of(), Map.of(), Map.of(), accounts(0, 0, 0), 0, Map.of(), 0);
    Totals now =
        new Totals(
            0,
            Map.of("SKIP", 1L),
            Map.of("OPTED_OUT", 1L),
            Map.of(),
            accounts(0, 0, 0),
            3,
            Map.of("10/2018278", 3L),
            0);

    assertThat(StatusText.line(before, before, Duration.ofSeconds(5), Duration.ofMinutes(61)))
        .isEqualTo(
            "[1:01:00] in 0 ev/s | decided 0/s SEND 0 SKIP 0 | sent/s page-1 0/300 page-2 0/300"
                + " wa-1 0/80 | backlog 0 | referee rejections 0");
    assertThat(StatusText.line(before, now, Duration.ofSeconds(5), Duration.ofSeconds(5)))
        .contains("SKIP 0 (OPTED_OUT <1)")
        .endsWith("referee rejections 3");
  }

  @Test
  void theSummaryGivesTheTotalsTheBusiestSecondsAndTheRejections() {
    Totals t =
        new Totals(
            30000,
            Map.of("SEND", 3900L, "SKIP", 1223L),
            Map.of("OUTSIDE_WINDOW", 600L, "NO_TOKEN", 300L, "OPTED_OUT", 23L),
            Map.of("sent", 3880L, "expired", 4L),
            accounts(1900, 1300, 680),
            0,
            Map.of(),
            1);

    assertThat(StatusText.summary(t, Duration.ofSeconds(60)))
        .isEqualTo(
            "Summary after 01:00\n"
                + "  events in           30000 (500/s)\n"
                + "  decisions           5123: SEND 3900, SKIP 1223\n"
                + "  top skip reasons    OUTSIDE_WINDOW 600, NO_TOKEN 300, OPTED_OUT 23\n"
                + "  delivery outcomes   sent 3880, failed 0, expired 4; backlog 16\n"
                + "  sends per account   page-1 1900 (busiest second 150, limit 300/s); page-2 1300"
                + " (busiest second 90, limit 300/s); wa-1 680 (busiest second 40, limit 80/s)\n"
                + "  referee rejections  0, duplicates 1\n");
  }
}
