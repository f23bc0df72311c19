package dev.herald.schema;

/**
 * What kind of problem made a record unusable: a small fixed set, for counting dead letters (the
 * reason itself says exactly what is wrong).
 */
public enum Problem {
  /** Not a JSON object, or empty, or more than one. */
  NOT_JSON,
  /** A {@code type} Herald does not know. */
  UNKNOWN_TYPE,
  /** A known type on the wrong input (a campaign record among user events, or the reverse). */
  WRONG_INPUT,
  /** A required field is missing or {@code null}. */
  MISSING_FIELD,
  /** A field has the wrong JSON type. */
  WRONG_TYPE,
  /** A field has a value outside its domain: enum, instant, duration, empty string, range. */
  BAD_VALUE,
  /**
   * Fields that contradict each other, a field given twice, or a combination the channel does not
   * allow.
   */
  CONTRADICTION,
  /** A campaign or reminder id already taken. */
  REPEATED_ID,
  /** A cancel of an id not defined by then, or already cancelled. */
  UNKNOWN_CANCEL,
  /** Bytes that are not UTF-8. */
  BAD_ENCODING,
  /** A record larger than 1 MiB, nested too deep, or with a number too long to read. */
  TOO_LARGE,
  /**
   * Not the record's fault: a step of the job failed on it (a defect of Herald's, counted apart);
   * the record was set aside so that the job goes on.
   */
  DEFECT
}
