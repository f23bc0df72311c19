package dev.herald.job.dispatch;

import dev.herald.job.Metrics;
import dev.herald.job.dispatch.ReleaseRules.Wait;
import dev.herald.job.types.Types;
import dev.herald.schema.AccountState;
import dev.herald.schema.ControlRecord.AccountStatus;
import dev.herald.schema.DeliveryOutcome;
import dev.herald.schema.SendRequest;
import dev.herald.schema.UserKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The dispatcher: releases send requests to one account no faster than the account allows
 * (spec/DOMAIN.md, "Delivery limits"), keyed by {@code channel/account} ({@link
 * UserKey#accountKey()}). Input 1 is the send requests, input 2 the account's status changes
 * (account records, and pauses the job derives from delivery failures; latest {@code at} wins, ties
 * by arrival). Output: the released requests; requests dropped at their {@code notAfter} go to
 * {@link #EXPIRED} as {@code expired} outcomes with the {@link Hold} that held them.
 *
 * <p>It runs in processing time: the platforms measure throughput in wall time, and delivery runs
 * only in live mode. The rules are plain Java ({@link Pacer}, {@link ReleaseRules}, {@link
 * TierLedger}); this class loads and stores their state, keeps the queue and sets timers.
 *
 * <p>State per account: the latest status, the pacer's next slot, the waiting requests (a map by
 * arrival number with head, tail and size, since map iteration has no order on every backend), an
 * index of waiting requests by {@code notAfter} (the expiry timer looks its own instant up), the
 * last release per user within the pair interval (with an index by the instant it is forgotten),
 * and the users counted towards the tier ({@link TierLedger}). An idle account keeps only its
 * status and its pacer.
 *
 * <p><b>Scan bound.</b> A release looks for the oldest eligible request from the head, visiting at
 * most {@link #SCAN_LIMIT} positions per callback (holes left by requests released out of order
 * included). Requests further back than that behind a blocked head are looked at once the head
 * moves on; it always does within 24 hours, since every waiting request leaves at its {@code
 * notAfter}.
 */
public final class Dispatcher
    extends KeyedCoProcessFunction<String, SendRequest, AccountStatus, SendRequest> {

  private static final long serialVersionUID = 1L;

  /** Requests dropped because they reached their {@code notAfter} before they could be released. */
  public static final OutputTag<DeliveryOutcome> EXPIRED =
      new OutputTag<>("dispatch-expired", Types.DELIVERY_OUTCOME);

  /** The most queue positions one callback visits. */
  static final int SCAN_LIMIT = 1_000;

  /** A request without a {@code notAfter} is never released more than this late. */
  static final long LONGEST_WAIT_MS = 24 * 60 * 60 * 1000L;

  // Positions in the queue's long[] counters.
  private static final int HEAD = 0;
  private static final int TAIL = 1;
  private static final int SIZE = 2;

  static final String STATUS = "dispatch-status";
  static final String PACER = "dispatch-pacer";
  static final String QUEUE = "dispatch-queue";
  static final String WAITING = "dispatch-waiting";
  static final String EXPIRIES = "dispatch-expiries";
  static final String LAST_TO_USER = "dispatch-last-to-user";
  static final String PAIR_FORGET = "dispatch-pair-forget";
  static final String CONTACTS = "dispatch-tier-contacts";
  static final String LEDGER = "dispatch-tier-ledger";
  static final String CONTACT_LOG = "dispatch-tier-log";

  private final DispatchLimits limits;

  private transient ValueState<AccountStatus> status;
  private transient ValueState<Long> pacerSlot;
  private transient ValueState<long[]> queue;
  private transient MapState<Long, SendRequest> waiting;
  private transient MapState<Long, List<Long>> expiries;
  private transient MapState<String, Long> lastToUser;
  private transient MapState<Long, List<String>> pairForget;
  private transient TierLedger tier;
  private transient Map<String, Account> accounts;

  public Dispatcher(DispatchLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The key of a send request: its account. */
  public static String keyOf(SendRequest request) {
    return request.user().accountKey();
  }

  /** The key of a status change: its account. */
  public static String keyOf(AccountStatus change) {
    return change.channel().wire() + "/" + change.account();
  }

  @Override
  public void open(OpenContext context) throws Exception {
    var longs = BasicTypeInfo.LONG_TYPE_INFO;
    var strings = BasicTypeInfo.STRING_TYPE_INFO;
    var counters = PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO;
    var rc = getRuntimeContext();
    status = rc.getState(new ValueStateDescriptor<>(STATUS, Types.ACCOUNT_STATUS));
    pacerSlot = rc.getState(new ValueStateDescriptor<>(PACER, longs));
    queue = rc.getState(new ValueStateDescriptor<>(QUEUE, counters));
    waiting = rc.getMapState(new MapStateDescriptor<>(WAITING, longs, Types.SEND_REQUEST));
    expiries = rc.getMapState(new MapStateDescriptor<>(EXPIRIES, longs, new ListTypeInfo<>(longs)));
    lastToUser = rc.getMapState(new MapStateDescriptor<>(LAST_TO_USER, strings, longs));
    pairForget =
        rc.getMapState(new MapStateDescriptor<>(PAIR_FORGET, longs, new ListTypeInfo<>(strings)));
    tier =
        new TierLedger(
            new TierStore(
                rc.getState(new ValueStateDescriptor<>(LEDGER, counters)),
                rc.getMapState(new MapStateDescriptor<>(CONTACTS, strings, longs)),
                rc.getMapState(
                    new MapStateDescriptor<>(
                        CONTACT_LOG, longs, new TupleTypeInfo<>(longs, strings)))));
    accounts = new HashMap<>();
  }

  // ------------------------------------------------------------------ callbacks

  @Override
  public void processElement1(SendRequest request, Context ctx, Collector<SendRequest> out)
      throws Exception {
    Account account = account(ctx.getCurrentKey());
    long now = ctx.timerService().currentProcessingTime();
    long deadline = deadlineOf(request, now);
    if (now >= deadline) {
      expire(ctx, account, request, deadline, Hold.LATE);
    } else {
      enqueue(request, deadline);
      ctx.timerService().registerProcessingTimeTimer(deadline);
      forgetTierContacts(account, now);
      drain(ctx, out, account, now);
    }
    report(account);
  }

  @Override
  public void processElement2(AccountStatus change, Context ctx, Collector<SendRequest> out)
      throws Exception {
    Account account = account(ctx.getCurrentKey());
    AccountStatus current = status.value();
    if (current == null || !change.at().isBefore(current.at())) {
      status.update(change);
    }
    if (!isPaused()) {
      long now = ctx.timerService().currentProcessingTime();
      forgetTierContacts(account, now);
      drain(ctx, out, account, now);
    }
    report(account);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<SendRequest> out)
      throws Exception {
    Account account = account(ctx.getCurrentKey());
    long now = ctx.timerService().currentProcessingTime();
    // Expire first, so that what held a request until its notAfter is still known.
    expireAt(ctx, account, timestamp);
    forgetPairs(account, timestamp, now);
    forgetTierContacts(account, now);
    drain(ctx, out, account, now);
    report(account);
  }

  // ------------------------------------------------------------------ releasing

  /** Releases what may go at {@code now}, oldest eligible first, and sets the next wake-up. */
  private void drain(Context ctx, Collector<SendRequest> out, Account account, long now)
      throws Exception {
    long[] q = queue.value();
    if (q == null || isPaused()) {
      return;
    }
    Long slot = pacerSlot.value();
    Long slotBefore = slot;
    int budget = SCAN_LIMIT;
    long wake = Long.MAX_VALUE;
    while (q[SIZE] > 0) {
      if (!account.pacer.mayRelease(slot, now)) {
        wake = account.pacer.releaseAt(slot, now);
        break;
      }
      long found = -1;
      SendRequest chosen = null;
      long blockedUntil = Long.MAX_VALUE;
      for (long seq = q[HEAD]; seq < q[TAIL] && budget > 0; seq++) {
        budget--;
        SendRequest r = waiting.get(seq);
        if (r == null) {
          continue;
        }
        long deadline = deadlineOf(r, now);
        if (now >= deadline) { // a timer fired late: past its notAfter, it may not go
          expire(ctx, account, r, deadline, heldBy(account, r, deadline));
          remove(q, seq, deadline);
          continue;
        }
        Wait w = waitFor(account, r, now);
        if (w.at() <= now) {
          found = seq;
          chosen = r;
          break;
        } else {
          blockedUntil = Math.min(blockedUntil, w.at());
        }
      }
      if (chosen == null) {
        // Out of budget with nothing blocked in sight: go on in the next millisecond.
        wake = blockedUntil == Long.MAX_VALUE && budget == 0 ? now + 1 : blockedUntil;
        break;
      }
      release(ctx, account, chosen, now);
      out.collect(chosen);
      slot = account.pacer.afterRelease(slot, now);
      remove(q, found, deadlineOf(chosen, now));
    }
    if (!Objects.equals(slot, slotBefore)) {
      pacerSlot.update(slot);
    }
    store(q);
    if (wake != Long.MAX_VALUE) {
      ctx.timerService().registerProcessingTimeTimer(wake);
    }
  }

  /**
   * Drops tier contacts older than the tier period; no state is read for an account without one.
   */
  private void forgetTierContacts(Account account, long now) throws Exception {
    if (account.rules.hasTier()) {
      tier.forget(now);
    }
  }

  /** Records a release to the user for pair rate and tier. */
  private void release(Context ctx, Account account, SendRequest r, long now) throws Exception {
    String user = r.user().user();
    ReleaseRules rules = account.rules;
    if (rules.hasPairRate()) {
      lastToUser.put(user, now);
      long forgetAt = now + rules.pairIntervalMs();
      append(pairForget, forgetAt, user);
      ctx.timerService().registerProcessingTimeTimer(forgetAt);
    }
    if (rules.countsTowardsTier(r)) {
      ctx.timerService().registerProcessingTimeTimer(tier.record(user, now));
    }
    account.metrics.released.inc();
  }

  private Wait waitFor(Account account, SendRequest r, long now) throws Exception {
    String user = r.user().user();
    Long last = account.rules.hasPairRate() ? lastToUser.get(user) : null;
    boolean counts = account.rules.countsTowardsTier(r);
    boolean counted = counts && tier.counts(user);
    return account.rules.waitFor(
        r, now, last, counted, counts ? tier.users() : 0, tier::firstLeavesAt);
  }

  // ------------------------------------------------------------------ expiring

  /** Drops the requests whose {@code notAfter} is {@code timestamp}: no scan, an index lookup. */
  private void expireAt(OnTimerContext ctx, Account account, long timestamp) throws Exception {
    List<Long> due = expiries.get(timestamp);
    if (due == null || queue.value() == null) {
      return;
    }
    long[] q = queue.value();
    for (long seq : new ArrayList<>(due)) {
      SendRequest r = waiting.get(seq);
      if (r != null) {
        Hold hold = isPaused() ? Hold.PAUSED : heldBy(account, r, timestamp);
        expire(ctx, account, r, timestamp, hold);
        remove(q, seq, timestamp);
      }
    }
    expiries.remove(timestamp);
    store(q);
  }

  /** What held {@code r} in the last millisecond before its {@code deadline}. */
  private Hold heldBy(Account account, SendRequest r, long deadline) throws Exception {
    return waitFor(account, r, deadline - 1).hold();
  }

  private void expire(Context ctx, Account account, SendRequest r, long deadline, Hold hold) {
    ctx.output(EXPIRED, DeliveryOutcome.expired(r, Instant.ofEpochMilli(deadline), hold.reason()));
    account.metrics.expired(hold).inc();
  }

  /**
   * The instant from which {@code r} may no longer go: its {@code notAfter}; without one (the
   * contract always gives one), a day after its decision, or after its arrival.
   */
  private static long deadlineOf(SendRequest r, long now) {
    if (r.notAfter() != null) {
      return r.notAfter().toEpochMilli();
    }
    return (r.decidedAt() != null ? r.decidedAt().toEpochMilli() : now) + LONGEST_WAIT_MS;
  }

  // ------------------------------------------------------------------ forgetting

  /** Forgets the users whose last release is a pair interval old at {@code timestamp}. */
  private void forgetPairs(Account account, long timestamp, long now) throws Exception {
    List<String> users = pairForget.get(timestamp);
    if (users == null) {
      return;
    }
    for (String user : users) {
      Long last = lastToUser.get(user);
      // A user released to again since (after a late timer) is forgotten by that release's entry.
      if (last != null && last + account.rules.pairIntervalMs() <= now) {
        lastToUser.remove(user);
      }
    }
    pairForget.remove(timestamp);
  }

  // ------------------------------------------------------------------ the queue

  private void enqueue(SendRequest r, long deadline) throws Exception {
    long[] q = queue.value();
    if (q == null) {
      q = new long[3];
    }
    long seq = q[TAIL]++;
    q[SIZE]++;
    waiting.put(seq, r);
    append(expiries, deadline, seq);
    queue.update(q);
  }

  /** Takes {@code seq} out of the queue and of the expiry index; moves the head past holes. */
  private void remove(long[] q, long seq, long deadline) throws Exception {
    waiting.remove(seq);
    q[SIZE]--;
    List<Long> due = expiries.get(deadline);
    if (due != null) {
      due.remove(Long.valueOf(seq));
      if (due.isEmpty()) {
        expiries.remove(deadline);
      } else {
        expiries.put(deadline, due);
      }
    }
    if (seq == q[HEAD]) {
      q[HEAD]++;
      while (q[HEAD] < q[TAIL] && !waiting.contains(q[HEAD])) {
        q[HEAD]++;
      }
    }
  }

  /** Stores the queue's counters; an empty queue starts numbering again from zero. */
  private void store(long[] q) throws Exception {
    if (q == null) {
      return;
    }
    if (q[SIZE] == 0) {
      queue.clear();
    } else {
      queue.update(q);
    }
  }

  private static <K, V> void append(MapState<K, List<V>> index, K key, V value) throws Exception {
    List<V> values = index.get(key);
    if (values == null) {
      values = new ArrayList<>(1);
    }
    values.add(value);
    index.put(key, values);
  }

  private boolean isPaused() throws Exception {
    AccountStatus s = status.value();
    return s != null && s.status() == AccountState.PAUSED;
  }

  /** The tier ledger in keyed state: counters, user → last contact, log position → contact. */
  private record TierStore(
      ValueState<long[]> ledger,
      MapState<String, Long> contacts,
      MapState<Long, Tuple2<Long, String>> log)
      implements TierLedger.Store {

    @Override
    public long[] counters() throws Exception {
      return ledger.value();
    }

    @Override
    public void counters(long[] c) throws Exception {
      if (c == null) {
        ledger.clear();
      } else {
        ledger.update(c);
      }
    }

    @Override
    public Long contact(String user) throws Exception {
      return contacts.get(user);
    }

    @Override
    public void contact(String user, Long at) throws Exception {
      if (at == null) {
        contacts.remove(user);
      } else {
        contacts.put(user, at);
      }
    }

    @Override
    public TierLedger.Contact logEntry(long position) throws Exception {
      Tuple2<Long, String> e = log.get(position);
      return e == null ? null : new TierLedger.Contact(e.f0, e.f1);
    }

    @Override
    public void logEntry(long position, TierLedger.Contact contact) throws Exception {
      if (contact == null) {
        log.remove(position);
      } else {
        log.put(position, Tuple2.of(contact.at(), contact.user()));
      }
    }
  }

  // ------------------------------------------------------------------ accounts and metrics

  /** Updates the account's gauges from its state. */
  private void report(Account account) throws Exception {
    long[] q = queue.value();
    account.metrics.report(q == null ? 0 : q[SIZE], isPaused());
  }

  private Account account(String key) throws Exception {
    Account a = accounts.get(key);
    if (a == null) {
      a = new Account(key, limits, getRuntimeContext().getMetricGroup());
      accounts.put(key, a);
    }
    return a;
  }

  /** The rules of one account and its metrics, made on its first record in this task. */
  private static final class Account {
    final Pacer pacer;
    final ReleaseRules rules;
    final AccountMetrics metrics;

    Account(String key, DispatchLimits limits, MetricGroup root) {
      var deliveryLimits = limits.forAccount(key);
      long margin = limits.margin().toMillis();
      pacer = new Pacer(deliveryLimits.perSecond(), margin);
      rules = new ReleaseRules(deliveryLimits, margin);
      metrics = new AccountMetrics(key, deliveryLimits.perSecond(), root);
    }
  }

  /** The metrics of one account, labelled by its channel and account ({@link DispatchMetrics}). */
  static final class AccountMetrics {
    final Counter released;
    private final MetricGroup group;
    private final Map<Hold, Counter> expired = new EnumMap<>(Hold.class);
    private volatile long backlog;
    private volatile boolean paused;

    AccountMetrics(String key, int perSecond, MetricGroup root) {
      int slash = key.indexOf('/');
      group =
          root.addGroup(Metrics.CHANNEL, key.substring(0, slash))
              .addGroup(Metrics.ACCOUNT, key.substring(slash + 1));
      released = group.counter(DispatchMetrics.RELEASED);
      group.gauge(DispatchMetrics.BACKLOG, () -> backlog);
      group.gauge(DispatchMetrics.PAUSED, () -> paused ? 1 : 0);
      // A dashboard draws the account's releases against this line.
      group.gauge(DispatchMetrics.LIMIT_PER_SECOND, () -> perSecond);
    }

    Counter expired(Hold hold) {
      return expired.computeIfAbsent(
          hold, h -> group.addGroup(Metrics.REASON, h.reason()).counter(DispatchMetrics.EXPIRED));
    }

    void report(long backlog, boolean paused) {
      this.backlog = backlog;
      this.paused = paused;
    }
  }
}
