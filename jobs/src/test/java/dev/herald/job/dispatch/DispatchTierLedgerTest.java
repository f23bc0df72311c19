package dev.herald.job.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.job.dispatch.TierLedger.Contact;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The {@link TierLedger} over maps: who counts, when the first leaves, that a later contact extends
 * a user, and that a forgotten ledger leaves nothing behind; checked against a direct count.
 */
class DispatchTierLedgerTest {

  private static final long DAY = ReleaseRules.TIER_PERIOD_MS;

  /** The ledger's store in plain maps. */
  static final class MapStore implements TierLedger.Store {
    long[] counters;
    final Map<String, Long> contacts = new HashMap<>();
    final Map<Long, Contact> log = new HashMap<>();

    @Override
    public long[] counters() {
      return counters == null ? null : counters.clone();
    }

    @Override
    public void counters(long[] c) {
      counters = c == null ? null : c.clone();
    }

    @Override
    public Long contact(String user) {
      return contacts.get(user);
    }

    @Override
    public void contact(String user, Long at) {
      if (at == null) {
        contacts.remove(user);
      } else {
        contacts.put(user, at);
      }
    }

    @Override
    public Contact logEntry(long position) {
      return log.get(position);
    }

    @Override
    public void logEntry(long position, Contact contact) {
      if (contact == null) {
        log.remove(position);
      } else {
        log.put(position, contact);
      }
    }

    boolean isEmpty() {
      return counters == null && contacts.isEmpty() && log.isEmpty();
    }
  }

  @Test
  void aUserCountsForADayFromTheLastContact() throws Exception {
    MapStore store = new MapStore();
    TierLedger ledger = new TierLedger(store);

    assertThat(ledger.record("alice", 0)).isEqualTo(DAY);
    ledger.record("bob", 1_000);
    ledger.record("alice", 5_000); // extends Alice: Bob is now the first to leave
    assertThat(ledger.users()).isEqualTo(2);
    assertThat(ledger.firstLeavesAt()).isEqualTo(1_000 + DAY);

    ledger.forget(1_000 + DAY - 1);
    assertThat(ledger.counts("bob")).isTrue();
    ledger.forget(1_000 + DAY);
    assertThat(ledger.counts("bob")).isFalse();
    assertThat(ledger.counts("alice")).isTrue();
    assertThat(ledger.users()).isEqualTo(1);
    assertThat(ledger.firstLeavesAt()).isEqualTo(5_000 + DAY);

    ledger.forget(5_000 + DAY);
    assertThat(ledger.users()).isZero();
    assertThat(store.isEmpty()).isTrue();
    assertThatThrownBy(ledger::firstLeavesAt).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theLedgerAgreesWithADirectCountOverRandomContacts() throws Exception {
    Random random = new Random(7);
    MapStore store = new MapStore();
    TierLedger ledger = new TierLedger(store);
    Map<String, Long> last = new HashMap<>();
    long now = 0;
    for (int i = 0; i < 20_000; i++) {
      now += random.nextInt(random.nextInt(50) == 0 ? (int) DAY : 60_000);
      ledger.forget(now);
      final long t = now;
      last.values().removeIf(at -> at + DAY <= t);
      if (random.nextBoolean()) {
        String user = "u" + random.nextInt(300);
        ledger.record(user, now);
        last.put(user, now);
      }

      assertThat(ledger.users()).isEqualTo(last.size());
      for (int u = 0; u < 5; u++) {
        String user = "u" + random.nextInt(300);
        assertThat(ledger.counts(user)).isEqualTo(last.containsKey(user));
      }
      if (!last.isEmpty()) {
        long first = new TreeMap<>(invert(last)).firstKey();
        assertThat(ledger.firstLeavesAt()).isEqualTo(first + DAY);
      }
      assertThat(store.contacts).isEqualTo(last);
    }
    ledger.forget(now + DAY);
    assertThat(store.isEmpty()).isTrue();
  }

  private static Map<Long, String> invert(Map<String, Long> m) {
    Map<Long, String> inverted = new HashMap<>();
    m.forEach((k, v) -> inverted.put(v, k));
    return inverted;
  }
}
