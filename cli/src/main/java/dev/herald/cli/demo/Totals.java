package dev.herald.cli.demo;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the demo has counted since it started, taken at one moment: what the generator wrote,
 * what the job decided and what came back from the channels (read committed from Kafka), and what
 * the channel simulator saw. The status line is the difference of two of these; the summary is the
 * last one.
 *
 * @param events user events the generator wrote
 * @param decisions decisions by outcome ({@code SEND}, {@code SKIP})
 * @param skipReasons skips by reason
 * @param outcomes delivery outcomes by status ({@code sent}, {@code failed}, {@code expired})
 * @param accounts the simulator's counts per account
 * @param rejections messages the simulator's referee refused: 0 when Herald keeps the rules
 * @param rejectionsByCode the rejections by the platform's {@code code} or {@code code/subcode}
 * @param duplicates requests the simulator accepted more than once
 */
record Totals(
    long events,
    Map<String, Long> decisions,
    Map<String, Long> skipReasons,
    Map<String, Long> outcomes,
    Map<String, AccountSends> accounts,
    long rejections,
    Map<String, Long> rejectionsByCode,
    long duplicates) {

  /**
   * One account as the platform saw it.
   *
   * @param accepted messages accepted
   * @param busiestSecond the most accepted in any one second
   * @param limit the account's messages per second
   */
  record AccountSends(long accepted, int busiestSecond, int limit) {}

  static final Totals NONE = new Totals(0, Map.of(), Map.of(), Map.of(), Map.of(), 0, Map.of(), 0);

  Totals {
    decisions = Collections.unmodifiableMap(new TreeMap<>(decisions));
    skipReasons = Collections.unmodifiableMap(new TreeMap<>(skipReasons));
    outcomes = Collections.unmodifiableMap(new TreeMap<>(outcomes));
    accounts = Collections.unmodifiableMap(new TreeMap<>(accounts));
    rejectionsByCode = Collections.unmodifiableMap(new TreeMap<>(rejectionsByCode));
  }

  long decided() {
    return decisions.values().stream().mapToLong(Long::longValue).sum();
  }

  long decided(String outcome) {
    return decisions.getOrDefault(outcome, 0L);
  }

  long outcome(String status) {
    return outcomes.getOrDefault(status, 0L);
  }

  /** Messages the simulator accepted, all accounts. */
  long sends() {
    return accounts.values().stream().mapToLong(AccountSends::accepted).sum();
  }

  /**
   * Send decisions not yet answered by an outcome: held by the dispatcher or in flight to the
   * platform (up to a checkpoint interval more, since both topics are read committed).
   */
  long backlog() {
    long answered = outcomes.values().stream().mapToLong(Long::longValue).sum();
    return Math.max(0, decided("SEND") - answered);
  }
}
