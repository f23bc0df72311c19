package dev.herald.cli.campaign;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decisions of one campaign counted: how many users, how many {@code SEND} by basis and {@code
 * SKIP} by reason, largest first. A user counted twice (a decision read again after a restart of
 * the reader) is counted once.
 */
final class DecisionTally {

  private final Set<String> users = new HashSet<>();
  private final Map<String, Long> sendByBasis = new HashMap<>();
  private final Map<String, Long> skipByReason = new HashMap<>();

  /** Counts {@code d}; false if its user was counted already. */
  boolean add(DecisionView d) {
    if (!users.add(d.user())) {
      return false;
    }
    if (d.isSend()) {
      sendByBasis.merge(String.valueOf(d.basis()), 1L, Long::sum);
    } else {
      skipByReason.merge(String.valueOf(d.reason()), 1L, Long::sum);
    }
    return true;
  }

  long total() {
    return users.size();
  }

  long sends() {
    return sendByBasis.values().stream().mapToLong(Long::longValue).sum();
  }

  long skips() {
    return skipByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  Map<String, Long> sendByBasis() {
    return Map.copyOf(sendByBasis);
  }

  Map<String, Long> skipByReason() {
    return Map.copyOf(skipByReason);
  }

  /**
   * The summary an estimate prints:
   *
   * <pre>
   * 240 users would be decided
   *   SEND 199
   *     WINDOW  160
   *     OTN      39
   *   SKIP  41
   *     NO_TOKEN 40
   *     UNREACHABLE 1
   * </pre>
   */
  String summary() {
    StringBuilder b = new StringBuilder();
    b.append(total()).append(total() == 1 ? " user" : " users").append(" would be decided\n");
    b.append("  SEND ").append(sends()).append('\n');
    lines(b, sendByBasis);
    b.append("  SKIP ").append(skips()).append('\n');
    lines(b, skipByReason);
    return b.toString();
  }

  /** Counts largest first, then by name, so that the same tally always prints the same. */
  private static void lines(StringBuilder b, Map<String, Long> counts) {
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    int width = sorted.stream().mapToInt(e -> e.getKey().length()).max().orElse(0);
    for (Map.Entry<String, Long> e : sorted) {
      b.append("    ")
          .append(String.format("%-" + width + "s", e.getKey()))
          .append(' ')
          .append(e.getValue())
          .append('\n');
    }
  }
}
