package dev.herald.schema;

import java.time.Instant;

/** A record the pipeline reads: a user event or a campaign record. */
public sealed interface InputRecord permits UserEvent, ControlRecord {
  /** When it happened (event time). */
  Instant at();

  /** The value of its {@code type} field. */
  String type();
}
