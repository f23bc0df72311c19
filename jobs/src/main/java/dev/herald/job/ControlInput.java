package dev.herald.job;

import dev.herald.schema.ControlRecord;

/** A campaign record on its way to the decision operator, with where it was read. */
public record ControlInput(ControlRecord record, String origin) {}
