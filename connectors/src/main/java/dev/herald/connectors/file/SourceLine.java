package dev.herald.connectors.file;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record as raw bytes, and where it was read: {@code file:line} for files, {@code
 * topic/partition/offset} for Kafka. The bytes are kept as read, so that the codec decides whether
 * they are UTF-8, and a dead letter can show them as they were; the origin goes with the record
 * into dead letters.
 */
public record SourceLine(String origin, byte[] bytes) {

  public SourceLine {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(bytes, "bytes");
  }

  /** A line given as text, encoded as UTF-8. */
  public static SourceLine of(String origin, String text) {
    return new SourceLine(origin, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The bytes decoded as UTF-8 (malformed input replaced), for tests and messages. */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceLine l && origin.equals(l.origin) && Arrays.equals(bytes, l.bytes);
  }

  @Override
  public int hashCode() {
    return origin.hashCode() * 31 + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return origin + ": " + text();
  }
}
