package dev.herald.cli.campaign;

import java.time.Duration;

/**
 * The one-line progress of a paced campaign (one with a {@code rate}): decided of audience as a
 * bar, the rate decisions are seen at, and when the last one is due.
 *
 * <p>The ETA comes from the campaign's own rate, not the rate seen: the job paces a rated campaign
 * exactly at its rate, while a reader sees decisions in bursts, once per checkpoint commit, so the
 * seen rate swings. The audience is an estimate (or what {@code --audience} said), which the line
 * names; decided can pass it (users who joined since), and the bar then stays full.
 */
final class ProgressLine {

  static final int BAR_WIDTH = 30;

  private ProgressLine() {}

  /**
   * @param decided decisions of the campaign read so far
   * @param audience users expected, {@code <= 0} when unknown
   * @param audienceSource where the audience came from ({@code estimate}, {@code --audience})
   * @param seenPerSecond decisions per second seen by this reader, negative when not known yet
   * @param ratePerSecond the campaign's {@code rate}
   */
  static String format(
      long decided,
      long audience,
      String audienceSource,
      double seenPerSecond,
      double ratePerSecond) {
    StringBuilder b = new StringBuilder();
    if (audience > 0) {
      long shown = Math.min(decided, audience);
      int filled = (int) (shown * BAR_WIDTH / audience);
      b.append('[')
          .append("#".repeat(filled))
          .append(".".repeat(BAR_WIDTH - filled))
          .append("] ")
          .append(decided)
          .append('/')
          .append(audience)
          .append(String.format(" (%d%%)", shown * 100 / audience));
    } else {
      b.append(decided).append(" decided, audience unknown");
    }
    b.append(" rate ");
    b.append(seenPerSecond < 0 ? "-" : String.format("%.1f", seenPerSecond));
    b.append(String.format("/s (set %s/s)", number(ratePerSecond)));
    if (audience > 0) {
      long left = Math.max(0, audience - decided);
      b.append(" ETA ");
      b.append(left == 0 ? "done" : clock(Duration.ofMillis((long) (left * 1000 / ratePerSecond))));
      b.append(" · audience from ").append(audienceSource);
    }
    return b.toString();
  }

  /** {@code 42s}, {@code 3m05s}, {@code 2h07m}. */
  static String clock(Duration d) {
    long s = (d.toMillis() + 999) / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  private static String number(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
