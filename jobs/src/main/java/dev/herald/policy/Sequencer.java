package dev.herald.policy;

import dev.herald.policy.CampaignBook.Arrival;
import dev.herald.policy.CampaignBook.Rejection;
import dev.herald.schema.Bounds;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Reminder;
import dev.herald.schema.UserKey;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The event-time protocol, written once: the Flink operator and the Flink-free {@code
 * ReferenceEngine} both drive it, so that the engine keeps checking the job.
 *
 * <p>Event time moves to a watermark in steps. At every instant at which the {@link CampaignBook}
 * has something to do (a record's {@code at}, a campaign's start), it first fires the users' timers
 * before that instant, then applies the book's records due then (definitions before cancels, then
 * in order of arrival), then walks every user (the <em>sweep</em>) to take them into the audiences
 * of the campaigns starting then and to arm the reminders defined then, and then forgets ids past
 * their retention. Only after that does it fire the timers at that instant and go on. A record that
 * arrives behind event time applies at once, at event time ({@link #now()}); a campaign it defines
 * starts then.
 *
 * <p>The sweep is walked in bounded chunks: {@link #run} visits at most a given number of users and
 * returns {@code false} when a sweep is still under way, so that the host can let other work in (a
 * Flink operator: a checkpoint barrier) and call {@link #run} again. While a sweep is under way,
 * event time does not move: a watermark only raises the target, and a record is taken into the book
 * and applies when the sweep is done (at its own {@code at} if the target reaches it, else at event
 * time). The chunks change nothing in what is decided: a user is visited once per sweep, with the
 * book as it was when the sweep began. Where the walk stands is the host's (a key cursor); what the
 * sweep is ({@link Sweep}) is the sequencer's, and a host that restores one resumes it with {@link
 * #resume}.
 *
 * <p>Plain Java, one thread.
 */
public final class Sequencer {

  /** What the sequencer needs of the place it runs in: users, timers, and where problems go. */
  public interface Host {

    /** Fires every user timer at or before {@code to}, in event-time order. */
    void advanceTimers(long to) throws Exception;

    /**
     * The users a sweep visits, each once, in the host's order; for a resumed sweep, those the
     * sweep has not visited yet. The sequencer closes it when the sweep is done.
     */
    Keys keys(Sweep sweep) throws Exception;

    /** Takes one user into the sweep: load, {@link Agenda#sweep}, store, emit. */
    void visit(UserKey key, Sweep sweep) throws Exception;

    /** A sweep has visited every user (before the book marks its campaigns started). */
    void swept(Sweep sweep);

    /** How many parallel hosts share the users (for {@link Spread}). */
    int parallelism();

    /** The book rejected a record (a repeated id, a cancel of an unknown id). */
    void rejected(Rejection rejection, Instant at);

    /** Applying a record threw: a defect, set aside so that the host goes on. */
    void applyFailed(Arrival arrival, Instant at, RuntimeException e);
  }

  /** The users of a sweep, as the host walks them. */
  public interface Keys extends Iterator<UserKey>, AutoCloseable {
    @Override
    void close() throws Exception;
  }

  /** A sweep: its instant, the campaigns starting then, whether reminders are armed, the slots. */
  public static final class Sweep {
    private final Instant at;
    private final List<Campaign> starting;
    private final boolean reminders;
    private final Spread spread;
    private long visited;

    public Sweep(Instant at, List<Campaign> starting, boolean reminders, Spread spread) {
      this.at = Objects.requireNonNull(at, "at");
      this.starting = List.copyOf(starting);
      this.reminders = reminders;
      this.spread = Objects.requireNonNull(spread, "spread");
    }

    public Instant at() {
      return at;
    }

    public List<Campaign> starting() {
      return starting;
    }

    public boolean reminders() {
      return reminders;
    }

    public Spread spread() {
      return spread;
    }

    /** Users visited so far (in this run of the host). */
    public long visited() {
      return visited;
    }
  }

  private final CampaignBook book;
  private final Host host;

  /** Timers have fired up to here. */
  private long watermark = Long.MIN_VALUE;

  /** The latest watermark received: where event time is going. */
  private long target = Long.MIN_VALUE;

  /**
   * The instant of the step under way, or of the last one; ahead of {@link #watermark} only
   * mid-step.
   */
  private Instant stepped;

  private Sweep sweep;
  private Keys keys;

  public Sequencer(CampaignBook book, Host host) {
    this.book = Objects.requireNonNull(book, "book");
    this.host = Objects.requireNonNull(host, "host");
  }

  /** Takes a campaign record; it applies when event time reaches its {@code at}. */
  public void receive(ControlRecord record, String origin, String raw) {
    book.receive(record, origin, raw);
  }

  /** A watermark: event time is to move to {@code to} (call {@link #run} to move it). */
  public void advance(long to) {
    target = Math.max(target, to);
  }

  /** Where timers have fired up to ({@code Long.MIN_VALUE} before the first watermark). */
  public long watermark() {
    return watermark;
  }

  /** Event time now: the watermark (or the step under way), capped at the end of time. */
  public Instant now() {
    Instant w = Bounds.capped(Instant.ofEpochMilli(watermark));
    return stepped != null && stepped.isAfter(w) ? stepped : w;
  }

  /** The sweep under way, or {@code null}. */
  public Sweep sweep() {
    return sweep;
  }

  /** Whether there is nothing left to do until the next watermark or record. */
  public boolean caughtUp() {
    return sweep == null && target <= watermark && !due();
  }

  /**
   * Moves event time towards the target, visiting at most {@code maxUsers} users in sweeps and
   * stopping at the first chunk boundary after {@code deadlineNanos} ({@link System#nanoTime()}).
   *
   * @return {@code true} once caught up with the target; {@code false} if a sweep is still under
   *     way (call again)
   */
  public boolean run(long maxUsers, long deadlineNanos) throws Exception {
    long budget = maxUsers;
    while (true) {
      if (sweep != null) {
        budget = walk(budget, deadlineNanos);
        if (sweep != null) {
          return false;
        }
        continue;
      }
      Instant next = book.nextInstant();
      if (next != null && next.toEpochMilli() <= Math.max(target, watermark)) {
        Instant now = now();
        if (!next.isAfter(now)) {
          step(now); // behind event time: applies now
        } else {
          long at = next.toEpochMilli();
          if (at - 1 > watermark) {
            advanceTimers(at - 1);
          }
          step(next);
        }
        continue;
      }
      if (target > watermark) {
        advanceTimers(target);
      }
      return true;
    }
  }

  /** Runs to the target, however long the sweeps. */
  public void runToTarget() throws Exception {
    run(Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * Resumes a sweep the host restored: the book must be as it was when the sweep began (its records
   * at {@code sweep.at()} applied, the campaigns not marked started).
   */
  public void resume(Sweep restored) throws Exception {
    if (sweep != null) {
      throw new IllegalStateException("a sweep is already under way at " + sweep.at());
    }
    sweep = restored;
    stepped = restored.at();
    keys = host.keys(restored);
  }

  /** Closes the walk of a sweep under way (the host is closing). */
  public void close() throws Exception {
    if (keys != null) {
      keys.close();
      keys = null;
    }
  }

  private boolean due() {
    Instant next = book.nextInstant();
    return next != null && next.toEpochMilli() <= Math.max(target, watermark);
  }

  private void advanceTimers(long to) throws Exception {
    host.advanceTimers(to);
    watermark = Math.max(watermark, to);
  }

  /** Applies what the book has at {@code t}: its records, then begins the sweep if one is due. */
  private void step(Instant t) throws Exception {
    stepped = t;
    for (Arrival arrival : book.takeWaiting(t)) {
      Rejection rejected;
      try {
        rejected = book.apply(arrival, t);
      } catch (RuntimeException e) {
        host.applyFailed(arrival, t, e);
        continue;
      }
      if (rejected != null) {
        host.rejected(rejected, t);
      }
    }
    List<Campaign> starting = book.startingAt(t);
    List<Reminder> arming = book.armingAt(t);
    if (starting.isEmpty() && arming.isEmpty()) {
      book.forgetOld(t);
      return;
    }
    sweep = new Sweep(t, starting, !arming.isEmpty(), new Spread(t, host.parallelism()));
    keys = host.keys(sweep);
  }

  /** Visits users of the sweep under way; ends it when every user is visited. */
  private long walk(long budget, long deadlineNanos) throws Exception {
    while (keys.hasNext()) {
      if (budget <= 0
          || ((sweep.visited & 63) == 0
              && sweep.visited > 0
              && System.nanoTime() > deadlineNanos)) {
        return budget;
      }
      host.visit(keys.next(), sweep);
      sweep.visited++;
      budget--;
    }
    keys.close();
    keys = null;
    host.swept(sweep);
    Instant t = sweep.at();
    book.markStarted(t, sweep.spread().lastDecisions());
    book.forgetOld(t);
    sweep = null;
    return budget;
  }
}
