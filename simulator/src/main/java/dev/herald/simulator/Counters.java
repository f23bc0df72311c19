package dev.herald.simulator;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A consistent snapshot of what the simulator has seen: every figure was taken at the same moment.
 * {@code rejections} is the end-to-end correctness figure: it must be 0 when Herald works.
 *
 * @param received send calls on a known route (every outcome below is one of them, or a timeout)
 * @param accepted calls answered with success, duplicates included
 * @param rejections calls the referee refused (outside the window, token or tag not valid)
 * @param rejectionsByCode rejections by {@code code} or {@code code/subcode}, e.g. {@code
 *     "10/2018278"}
 * @param duplicates accepted calls whose request id had been accepted before
 * @param throttled calls over an account's per-second limit
 * @param pairThrottled WhatsApp calls to one user too soon after the last one
 * @param injectedFaults calls answered by an injected fault (error or timeout)
 * @param invalidPayloads calls refused with code 100 for their payload or an access token in the
 *     URL
 * @param unauthorized calls without the account's bearer token (code 190)
 * @param accounts per account
 */
public record Counters(
    long received,
    long accepted,
    long rejections,
    Map<String, Long> rejectionsByCode,
    long duplicates,
    long throttled,
    long pairThrottled,
    long injectedFaults,
    long invalidPayloads,
    long unauthorized,
    Map<String, AccountCounters> accounts) {

  public Counters {
    rejectionsByCode = Collections.unmodifiableMap(new TreeMap<>(rejectionsByCode));
    accounts = Collections.unmodifiableMap(new TreeMap<>(accounts));
  }

  /** The rejections with this code key ({@code "131047"}, {@code "10/2018278"}), 0 if none. */
  public long rejections(String codeKey) {
    return rejectionsByCode.getOrDefault(codeKey, 0L);
  }

  /** The counters of {@code account}; all zero for an account never called. */
  public AccountCounters account(String account) {
    return accounts.getOrDefault(account, new AccountCounters(0, 0, 0));
  }
}
