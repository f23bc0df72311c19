package dev.herald.connectors.channel;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that follows the system's until a test moves it ahead. */
final class ControllableClock extends Clock implements Serializable {

  private static final long serialVersionUID = 1L;

  private volatile Duration ahead = Duration.ZERO;

  void advance(Duration d) {
    ahead = ahead.plus(d);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(ahead);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
