package dev.herald.state;

import java.time.Instant;
import java.util.Comparator;

/** A decision armed for a user: campaign {@code campaign} decides for them at {@code at}. */
public record PendingDecision(Instant at, String campaign) {

  /** By instant, then campaign id: the order decisions are made in. */
  public static final Comparator<PendingDecision> ORDER =
      Comparator.comparing(PendingDecision::at).thenComparing(PendingDecision::campaign);
}
