package dev.herald.job.dispatch;

/**
 * The users a messaging-limit tier counts: every user reached by a business-initiated release in
 * the last 24 hours ({@link ReleaseRules#TIER_PERIOD}), and when the first of them leaves, so that
 * a new user held by a full tier waits for exactly that instant (a timer), never a poll.
 *
 * <p>Kept as a map user → last contact and a log of contacts in release order. Releases happen in
 * processing-time order, so the log is ordered by time and its head is the next to leave; a later
 * contact of a user leaves the earlier log entry stale, and stale entries are skipped when they
 * reach the head. Each entry is written once and removed once.
 *
 * <p>The ledger is plain Java over a {@link Store}; the dispatcher's store is its keyed state.
 */
public final class TierLedger {

  /** Where the ledger lives. {@code null} reads as absent; writing {@code null} removes. */
  public interface Store {
    /** {@code {head, tail, users}} of the log and the count, or {@code null} when empty. */
    long[] counters() throws Exception;

    void counters(long[] counters) throws Exception;

    /** The user's last contact (ms), or {@code null}. */
    Long contact(String user) throws Exception;

    void contact(String user, Long at) throws Exception;

    /** The log entry at {@code position}. */
    Contact logEntry(long position) throws Exception;

    void logEntry(long position, Contact contact) throws Exception;
  }

  /** A business-initiated release to {@code user} at {@code at} (ms). */
  public record Contact(long at, String user) {}

  private static final int HEAD = 0;
  private static final int TAIL = 1;
  private static final int USERS = 2;

  private final Store store;

  public TierLedger(Store store) {
    this.store = store;
  }

  /** How many users count now. */
  public long users() throws Exception {
    long[] c = store.counters();
    return c == null ? 0 : c[USERS];
  }

  /** Whether {@code user} counts (call {@link #forget} first). */
  public boolean counts(String user) throws Exception {
    return store.contact(user) != null;
  }

  /** Records a release to {@code user} at {@code at}; returns the instant the contact leaves. */
  public long record(String user, long at) throws Exception {
    long[] c = store.counters();
    if (c == null) {
      c = new long[3];
    }
    if (store.contact(user) == null) {
      c[USERS]++;
    }
    store.contact(user, at);
    store.logEntry(c[TAIL]++, new Contact(at, user));
    store.counters(c);
    return at + ReleaseRules.TIER_PERIOD_MS;
  }

  /** Forgets the contacts that are 24 hours old at {@code now}. */
  public void forget(long now) throws Exception {
    settle(now);
  }

  /** When the first counted user leaves; only asked when someone counts. */
  public long firstLeavesAt() throws Exception {
    Contact first = settle(Long.MIN_VALUE);
    if (first == null) {
      throw new IllegalStateException("no user counts towards the tier");
    }
    return first.at() + ReleaseRules.TIER_PERIOD_MS;
  }

  /**
   * Drops stale log entries from the head, and current ones that left by {@code now}; returns the
   * head entry that stays, or {@code null} when the log is empty.
   */
  private Contact settle(long now) throws Exception {
    long[] c = store.counters();
    if (c == null) {
      return null;
    }
    long head = c[HEAD];
    Contact first = null;
    while (head < c[TAIL]) {
      Contact e = store.logEntry(head);
      Long current = store.contact(e.user());
      boolean stale = current == null || current != e.at();
      if (!stale && e.at() + ReleaseRules.TIER_PERIOD_MS > now) {
        first = e;
        break;
      }
      if (!stale) {
        store.contact(e.user(), null);
        c[USERS]--;
      }
      store.logEntry(head++, null);
    }
    if (head != c[HEAD]) {
      c[HEAD] = head;
      store.counters(head == c[TAIL] ? null : c);
    }
    return first;
  }
}
