package dev.herald.job;

import dev.herald.schema.ControlRecord;
import dev.herald.schema.RecordCodec;

/**
 * A campaign record on its way to the decision operator: the record, where it was read, and the
 * line as it was written (for a dead letter, should the operator reject it).
 */
public record ControlInput(ControlRecord record, String origin, String raw) {

  /** A record without its original text: {@code raw} is the record's canonical JSON. */
  public ControlInput(ControlRecord record, String origin) {
    this(record, origin, RecordCodec.write(record));
  }
}
