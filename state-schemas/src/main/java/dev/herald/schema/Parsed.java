package dev.herald.schema;

import java.time.Instant;
import java.util.function.Function;

/**
 * The result of parsing one record: the value, or the reason it was rejected, phrased for a human
 * who has to fix the record.
 */
public sealed interface Parsed<T> {

  /** A record that passed every check. */
  record Ok<T>(T value) implements Parsed<T> {}

  /**
   * A record that did not, why, what kind of problem that is, and the record's own {@code at} when
   * it could be read ({@code null} otherwise), for its dead letter.
   */
  record Rejected<T>(String reason, Problem problem, Instant at) implements Parsed<T> {}

  static <T> Parsed<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Parsed<T> rejected(String reason, Problem problem, Instant at) {
    return new Rejected<>(reason, problem, at);
  }

  /** Whether the record was accepted. */
  default boolean isOk() {
    return this instanceof Ok;
  }

  /** The value; throws {@link IllegalStateException} with the reason if the record was rejected. */
  default T value() {
    if (this instanceof Ok<T> ok) {
      return ok.value();
    }
    throw new IllegalStateException(((Rejected<T>) this).reason());
  }

  /** The reason the record was rejected, or {@code null} if it was accepted. */
  default String reason() {
    return this instanceof Rejected<T> r ? r.reason() : null;
  }

  /** The kind of problem, or {@code null} if the record was accepted. */
  default Problem problem() {
    return this instanceof Rejected<T> r ? r.problem() : null;
  }

  /** The rejected record's own {@code at}, if it could be read; else {@code null}. */
  default Instant at() {
    return this instanceof Rejected<T> r ? r.at() : null;
  }

  /** This result with its value mapped. */
  default <R> Parsed<R> map(Function<? super T, ? extends R> f) {
    if (this instanceof Ok<T> ok) {
      return new Ok<>(f.apply(ok.value()));
    }
    Rejected<T> r = (Rejected<T>) this;
    return new Rejected<>(r.reason(), r.problem(), r.at());
  }
}
