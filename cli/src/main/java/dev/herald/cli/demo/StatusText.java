package dev.herald.cli.demo;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's console text: the one-line status printed every few seconds, and the summary printed
 * on exit. Pure formatting of {@link Totals}, so it is tested without running anything.
 */
final class StatusText {

  /** Skip reasons shown on the status line. */
  static final int TOP_REASONS = 3;

  private StatusText() {}

  /**
   * The status line for the interval between two totals, e.g. {@code [00:35] in 498 ev/s | decided
   * 120/s SEND 80 SKIP 40 (OUTSIDE_WINDOW 22, NO_TOKEN 9, OPTED_OUT 5) | sent/s page-1 38/300 ... |
   * backlog 0 | referee rejections 0}. Rates are per second over the interval; the reasons are the
   * interval's, per second; backlog and rejections are as of {@code now}.
   */
  static String line(Totals before, Totals now, Duration interval, Duration elapsed) {
    double seconds = Math.max(interval.toMillis(), 1) / 1000.0;
    StringBuilder b = new StringBuilder();
    b.append('[').append(clock(elapsed)).append("] ");
    b.append("in ").append(rate(now.events() - before.events(), seconds)).append(" ev/s");
    b.append(" | decided ").append(rate(now.decided() - before.decided(), seconds)).append("/s");
    b.append(" SEND ").append(rate(now.decided("SEND") - before.decided("SEND"), seconds));
    b.append(" SKIP ").append(rate(now.decided("SKIP") - before.decided("SKIP"), seconds));
    Map<String, Long> reasons = top(difference(now.skipReasons(), before.skipReasons()));
    if (!reasons.isEmpty()) {
      b.append(
          reasons.entrySet().stream()
              .map(e -> e.getKey() + " " + smallRate(e.getValue(), seconds))
              .collect(Collectors.joining(", ", " (", ")")));
    }
    b.append(" | sent/s");
    if (now.accounts().isEmpty()) {
      b.append(" -");
    }
    now.accounts()
        .forEach(
            (account, sends) -> {
              Totals.AccountSends was =
                  before.accounts().getOrDefault(account, new Totals.AccountSends(0, 0, 0));
              b.append(' ')
                  .append(account)
                  .append(' ')
                  .append(rate(sends.accepted() - was.accepted(), seconds))
                  .append('/')
                  .append(sends.limit());
            });
    b.append(" | backlog ").append(now.backlog());
    b.append(" | referee rejections ").append(now.rejections());
    return b.toString();
  }

  /** The summary printed on exit, several lines. */
  static String summary(Totals t, Duration elapsed) {
    double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
    StringBuilder b = new StringBuilder();
    b.append("Summary after ").append(clock(elapsed)).append('\n');
    b.append(
        String.format("  events in           %d (%d/s)\n", t.events(), rate(t.events(), seconds)));
    b.append(
        String.format(
            "  decisions           %d: SEND %d, SKIP %d\n",
            t.decided(), t.decided("SEND"), t.decided("SKIP")));
    Map<String, Long> reasons = top(t.skipReasons(), 5);
    b.append("  top skip reasons    ")
        .append(
            reasons.isEmpty()
                ? "none"
                : reasons.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")))
        .append('\n');
    b.append(
        String.format(
            "  delivery outcomes   sent %d, failed %d, expired %d; backlog %d\n",
            t.outcome("sent"), t.outcome("failed"), t.outcome("expired"), t.backlog()));
    b.append("  sends per account  ");
    if (t.accounts().isEmpty()) {
      b.append(" none");
    }
    t.accounts()
        .forEach(
            (account, s) ->
                b.append(
                    String.format(
                        " %s %d (busiest second %d, limit %d/s);",
                        account, s.accepted(), s.busiestSecond(), s.limit())));
    if (!t.accounts().isEmpty()) {
      b.setLength(b.length() - 1);
    }
    b.append('\n');
    b.append("  referee rejections  ").append(t.rejections());
    if (!t.rejectionsByCode().isEmpty()) {
      b.append(
          t.rejectionsByCode().entrySet().stream()
              .map(e -> "code " + e.getKey() + ": " + e.getValue())
              .collect(Collectors.joining(", ", " (", ")")));
    }
    b.append(", duplicates ").append(t.duplicates()).append('\n');
    return b.toString();
  }

  /** {@code mm:ss}, or {@code h:mm:ss} from an hour on. */
  static String clock(Duration d) {
    long s = d.toSeconds();
    if (s >= 3600) {
      return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
    return String.format("%02d:%02d", s / 60, s % 60);
  }

  private static long rate(long count, double seconds) {
    return Math.round(count / seconds);
  }

  /** A rate that rounds to 0 but is not 0 shows as {@code <1}, so a listed reason never says 0. */
  private static String smallRate(long count, double seconds) {
    long r = rate(count, seconds);
    return r == 0 && count > 0 ? "<1" : Long.toString(r);
  }

  private static Map<String, Long> difference(Map<String, Long> now, Map<String, Long> before) {
    Map<String, Long> d = new LinkedHashMap<>();
    now.forEach(
        (k, v) -> {
          long delta = v - before.getOrDefault(k, 0L);
          if (delta > 0) {
            d.put(k, delta);
          }
        });
    return d;
  }

  private static Map<String, Long> top(Map<String, Long> counts) {
    return top(counts, TOP_REASONS);
  }

  /** The {@code n} largest, largest first; ties by name, so the text is stable. */
  private static Map<String, Long> top(Map<String, Long> counts, int n) {
    return counts.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(
            Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(n)
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }
}
