package dev.herald.schema;

/**
 * A check of a record that failed: thrown inside the codec and caught at the top of every parse,
 * where it becomes a {@link Parsed.Rejected}. Never leaves the codec.
 */
final class Invalid extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final Problem problem;

  Invalid(Problem problem, String reason) {
    super(reason, null, false, false);
    this.problem = problem;
  }
}
