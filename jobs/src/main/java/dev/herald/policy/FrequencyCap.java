package dev.herald.policy;

import dev.herald.schema.Bounds;
import dev.herald.schema.Wire;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code max} promotional messages per user in any rolling {@code per}: a deployment
 * setting, counted over the user's promotional campaign sends in {@code (T − per, T]}.
 */
public record FrequencyCap(int max, Duration per) implements Serializable {
  public FrequencyCap {
    Objects.requireNonNull(per, "per");
    if (max < 0) {
      throw new IllegalArgumentException("frequency cap max must be at least 0, got " + max);
    }
    if (per.isZero() || per.isNegative()) {
      throw new IllegalArgumentException("frequency cap period must be positive, got " + per);
    }
    if (per.compareTo(Bounds.MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          "frequency cap period must be at most "
              + Wire.format(Bounds.MAX_DURATION)
              + " (100 years), got "
              + Wire.format(per));
    }
  }
}
