package dev.herald.connectors.channel;

import java.io.Serializable;

/**
 * An access token. It prints as {@code ***} wherever it ends up (logs, exception messages, Flink's
 * Web UI, a debugger's variables view): the only way to its value is {@link #reveal()}, which the
 * HTTP client calls to write the {@code Authorization} header and nothing else should.
 */
public final class Secret implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** A secret holding {@code value}, which must not be blank. */
  public static Secret of(String value) {
    if (value == null || value.isBlank()) {
      // Says nothing of the value: a blank one has nothing to leak, but the habit matters.
      throw new IllegalArgumentException("a token must not be empty");
    }
    return new Secret(value);
  }

  /** The token itself, for the {@code Authorization} header only. */
  String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && value.equals(s.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "***";
  }
}
