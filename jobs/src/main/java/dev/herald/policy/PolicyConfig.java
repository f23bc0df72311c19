package dev.herald.policy;

import java.io.Serializable;

/**
 * The deployment's own settings of the delivery rules (the platforms' rules are in the {@link
 * PolicyTimeline}).
 *
 * @param frequencyCap the cap on promotional messages per user; {@code null} for none (the default)
 */
public record PolicyConfig(FrequencyCap frequencyCap) implements Serializable {

  /** No frequency cap. */
  public static final PolicyConfig DEFAULT = new PolicyConfig(null);
}
