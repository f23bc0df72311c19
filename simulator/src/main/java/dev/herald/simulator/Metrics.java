package dev.herald.simulator;

import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The simulator's figures in the Prometheus text format, labelled by {@code channel} (the API:
 * {@code messenger} or {@code whatsapp}) and {@code account}. Names are constants, so that a
 * dashboard and this class cannot drift apart silently.
 */
final class Metrics {

  static final String RECEIVED = "herald_simulator_received_total";
  static final String ACCEPTED = "herald_simulator_accepted_total";
  static final String REJECTIONS = "herald_simulator_rejections_total";
  static final String DUPLICATES = "herald_simulator_duplicates_total";
  static final String THROTTLED = "herald_simulator_throttled_total";
  static final String PAIR_THROTTLED = "herald_simulator_pair_throttled_total";
  static final String INJECTED_FAULTS = "herald_simulator_injected_faults_total";
  static final String INVALID_PAYLOADS = "herald_simulator_invalid_payloads_total";
  static final String UNAUTHORIZED = "herald_simulator_unauthorized_total";
  static final String UNREACHABLE = "herald_simulator_unreachable_total";
  static final String MAX_IN_ANY_ONE_SECOND = "herald_simulator_max_in_any_one_second";
  static final String LIMIT_PER_SECOND = "herald_simulator_limit_per_second";

  private Metrics() {}

  static String render(Map<String, Platform.AccountState> accounts) {
    StringBuilder out = new StringBuilder();
    counter(out, accounts, RECEIVED, "Send calls received.", a -> a.received);
    counter(out, accounts, ACCEPTED, "Send calls accepted, duplicates included.", a -> a.accepted);
    header(out, REJECTIONS, "counter", "Messages the referee refused; 0 when Herald works.");
    accounts.forEach(
        (account, a) ->
            a.rejectionsByCode.forEach(
                (code, n) ->
                    sample(out, REJECTIONS, labels(a.api, account) + ",code=\"" + code + "\"", n)));
    counter(
        out,
        accounts,
        DUPLICATES,
        "Accepted calls whose request id was accepted before.",
        a -> a.duplicates);
    counter(out, accounts, THROTTLED, "Calls over the per-second limit.", a -> a.throttled);
    counter(
        out,
        accounts,
        PAIR_THROTTLED,
        "WhatsApp calls to one user within the pair interval.",
        a -> a.pairThrottled);
    counter(
        out,
        accounts,
        INJECTED_FAULTS,
        "Calls answered by an injected fault.",
        a -> a.injectedFaults);
    counter(
        out,
        accounts,
        INVALID_PAYLOADS,
        "Calls refused for their payload or a token in the URL.",
        a -> a.invalidPayloads);
    counter(
        out,
        accounts,
        UNAUTHORIZED,
        "Calls without the account's bearer token.",
        a -> a.unauthorized);
    counter(out, accounts, UNREACHABLE, "Calls to a user marked unreachable.", a -> a.unreachable);
    header(
        out,
        MAX_IN_ANY_ONE_SECOND,
        "gauge",
        "The most calls accepted in any one-second window, per account.");
    accounts.forEach(
        (account, a) ->
            sample(out, MAX_IN_ANY_ONE_SECOND, labels(a.api, account), a.maxInAnyOneSecond));
    header(out, LIMIT_PER_SECOND, "gauge", "The account's limit of calls per second.");
    accounts.forEach(
        (account, a) -> sample(out, LIMIT_PER_SECOND, labels(a.api, account), a.limit));
    return out.toString();
  }

  private static void counter(
      StringBuilder out,
      Map<String, Platform.AccountState> accounts,
      String name,
      String help,
      ToLongFunction<Platform.AccountState> value) {
    header(out, name, "counter", help);
    accounts.forEach(
        (account, a) -> sample(out, name, labels(a.api, account), value.applyAsLong(a)));
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, String labels, long value) {
    out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
  }

  private static String labels(Api api, String account) {
    return "channel=\"" + api.path() + "\",account=\"" + escape(account) + "\"";
  }

  /** Label values escape backslash, double quote and line feed. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
