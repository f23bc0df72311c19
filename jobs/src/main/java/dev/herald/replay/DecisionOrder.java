package dev.herald.replay;

import dev.herald.schema.Decision;
import java.util.Comparator;

/** The order of a replay's output: by {@code at}, then campaign, then user (then the rest). */
public final class DecisionOrder {

  public static final Comparator<Decision> ORDER =
      Comparator.comparing(Decision::at)
          .thenComparing(Decision::campaign)
          .thenComparing(d -> d.user().user())
          .thenComparing(d -> d.user().channel().wire())
          .thenComparing(d -> d.user().account());

  private DecisionOrder() {}
}
