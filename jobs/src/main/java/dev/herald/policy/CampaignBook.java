package dev.herald.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.Channel;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.ControlRecord.AccountStatus;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Cancel;
import dev.herald.schema.ControlRecord.Reminder;
import dev.herald.schema.Parsed;
import dev.herald.schema.Problem;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.Text;
import dev.herald.schema.Wire;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The campaigns and reminders defined so far, in event time: which ids are taken, when each
 * campaign starts, what is cancelled, and the records that arrived ahead of event time.
 *
 * <p>Records apply in the order of their {@code at}; at one instant definitions apply before
 * cancels, then in order of arrival. The first valid record of an id stands; a repeated id, and a
 * cancel of an id not defined by then, are rejected with a reason. Ids are remembered for {@link
 * #ID_RETENTION} after the later of a campaign's start, its end and its last decision.
 *
 * <p>Plain Java: the job keeps one book per subtask (every subtask sees every record), and
 * snapshots it as strings that carry their format ({@link #FORMAT}).
 */
public final class CampaignBook {

  /** How long an id stays taken after its campaign is over. */
  public static final Duration ID_RETENTION = Duration.ofDays(90);

  /** A record the book could not take, where it came from, its text as written, and why. */
  public record Rejection(
      ControlRecord record, String origin, String raw, Problem problem, String reason) {}

  /** A record that arrived, where from, its text as written, in order of arrival. */
  public record Arrival(ControlRecord record, String origin, String raw, long seq) {
    int rank() {
      return record instanceof Cancel ? 1 : 0;
    }
  }

  /** A defined campaign or reminder. */
  public sealed interface Entry {
    String id();

    /** When it was cancelled, or {@code null}. */
    Instant cancelledAt();

    /** Whether it is cancelled at {@code t}. */
    default boolean isCancelledAt(Instant t) {
      return cancelledAt() != null && !cancelledAt().isAfter(t);
    }
  }

  /**
   * A campaign, when it starts ({@code max(startAt, at)}, or later if its record arrived behind
   * event time), and whether its audience has been taken.
   */
  public record CampaignEntry(
      Campaign campaign,
      Instant start,
      Instant cancelledAt,
      boolean started,
      Instant lastDecisionAt)
      implements Entry {
    @Override
    public String id() {
      return campaign.id();
    }

    /** When its id may be forgotten. */
    Instant forgetAt() {
      Instant over = start;
      if (campaign.endAt() != null && campaign.endAt().isAfter(over)) {
        over = campaign.endAt();
      }
      if (lastDecisionAt != null && lastDecisionAt.isAfter(over)) {
        over = lastDecisionAt;
      }
      return over.plus(ID_RETENTION);
    }
  }

  /** A reminder, and whether the users known when it was defined have been armed. */
  public record ReminderEntry(
      Reminder reminder, Instant definedAt, Instant cancelledAt, boolean armed) implements Entry {
    @Override
    public String id() {
      return reminder.id();
    }
  }

  private static final Comparator<Arrival> WAITING_ORDER =
      Comparator.comparing((Arrival w) -> w.record().at())
          .thenComparingInt(Arrival::rank)
          .thenComparingLong(Arrival::seq);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TreeMap<String, Entry> entries = new TreeMap<>();

  /**
   * The reminders by {@code channel/account}, in id order; rebuilt after the entries change. Read
   * for every user event applied, so it must not cost a walk over every campaign.
   */
  private Map<String, List<ReminderEntry>> remindersByAccount;

  private final TreeSet<Arrival> waiting = new TreeSet<>(WAITING_ORDER);
  private long nextSeq;

  /**
   * Takes a record that arrived from {@code origin}; it applies when event time reaches its {@code
   * at}.
   */
  public void receive(ControlRecord record, String origin, String raw) {
    waiting.add(new Arrival(record, origin, raw, nextSeq++));
  }

  /** The {@code at} of the earliest waiting record, or {@code null}. */
  public Instant nextWaiting() {
    return waiting.isEmpty() ? null : waiting.first().record().at();
  }

  /** The waiting records with {@code at ≤ t}, in the order they apply; removed from waiting. */
  public List<Arrival> takeWaiting(Instant t) {
    List<Arrival> due = new ArrayList<>();
    Iterator<Arrival> it = waiting.iterator();
    while (it.hasNext()) {
      Arrival w = it.next();
      if (w.record().at().isAfter(t)) {
        break;
      }
      due.add(w);
      it.remove();
    }
    return due;
  }

  /**
   * Applies a record at event time {@code now} (its own {@code at}, or later for one that arrived
   * behind event time).
   *
   * @return {@code null} if it was taken, else why not
   */
  public Rejection apply(Arrival arrival, Instant now) {
    ControlRecord record = arrival.record();
    String origin = arrival.origin();
    String raw = arrival.raw();
    if (record instanceof Campaign c) {
      Entry taken = entries.get(c.id());
      if (taken != null) {
        return repeated(record, origin, raw, "campaign " + Text.bare(c.id()), taken);
      }
      Instant start = c.start().isBefore(now) ? now : c.start();
      put(c.id(), new CampaignEntry(c, start, null, false, null));
      return null;
    }
    if (record instanceof Reminder r) {
      Entry taken = entries.get(r.id());
      if (taken != null) {
        return repeated(record, origin, raw, "reminder " + Text.bare(r.id()), taken);
      }
      put(r.id(), new ReminderEntry(r, now, null, false));
      return null;
    }
    if (record instanceof Cancel cancel) {
      Entry e = entries.get(cancel.campaign());
      if (e == null) {
        return new Rejection(
            record,
            origin,
            raw,
            Problem.UNKNOWN_CANCEL,
            "cancel of "
                + Text.bare(cancel.campaign())
                + ": no campaign or reminder "
                + Text.bare(cancel.campaign())
                + " is defined at or before "
                + Wire.format(cancel.at()));
      }
      if (e.cancelledAt() != null) {
        return new Rejection(
            record,
            origin,
            raw,
            Problem.UNKNOWN_CANCEL,
            "cancel of "
                + Text.bare(cancel.campaign())
                + ": already cancelled at "
                + Wire.format(e.cancelledAt()));
      }
      if (e instanceof CampaignEntry ce) {
        put(
            ce.id(),
            new CampaignEntry(ce.campaign(), ce.start(), now, ce.started(), ce.lastDecisionAt()));
      } else if (e instanceof ReminderEntry re) {
        put(re.id(), new ReminderEntry(re.reminder(), re.definedAt(), now, re.armed()));
      }
      return null;
    }
    if (record instanceof AccountStatus) {
      return null; // releasing is paused and resumed downstream, by the dispatcher
    }
    throw new IllegalArgumentException("unknown campaign record " + record.type());
  }

  private static Rejection repeated(
      ControlRecord record, String origin, String raw, String what, Entry taken) {
    String first =
        taken instanceof CampaignEntry ce
            ? "the campaign defined at " + Wire.format(ce.campaign().at())
            : "the reminder defined at " + Wire.format(((ReminderEntry) taken).reminder().at());
    return new Rejection(
        record,
        origin,
        raw,
        Problem.REPEATED_ID,
        what + ": id already used by " + first + "; ignored");
  }

  /** The earliest start of a campaign whose audience is still to be taken, or {@code null}. */
  public Instant nextStart() {
    Instant next = null;
    for (Entry e : entries.values()) {
      Instant due = null;
      if (e instanceof CampaignEntry c && !c.started() && !c.isCancelledAt(c.start())) {
        due = c.start();
      } else if (e instanceof ReminderEntry r && !r.armed() && r.cancelledAt() == null) {
        due = r.definedAt();
      }
      if (due != null && (next == null || due.isBefore(next))) {
        next = due;
      }
    }
    return next;
  }

  /**
   * The earliest instant at which the book has something to do (a waiting record, a start), or
   * {@code null}.
   */
  public Instant nextInstant() {
    Instant a = nextWaiting();
    Instant b = nextStart();
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }

  /** Campaigns starting at {@code t} and not cancelled by then, in id order. */
  public List<Campaign> startingAt(Instant t) {
    List<Campaign> starting = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e instanceof CampaignEntry c
          && !c.started()
          && !c.start().isAfter(t)
          && !c.isCancelledAt(t)) {
        starting.add(c.campaign());
      }
    }
    return starting;
  }

  /** Reminders defined at or before {@code t} whose known users are still to be armed. */
  public List<Reminder> armingAt(Instant t) {
    List<Reminder> arming = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e instanceof ReminderEntry r
          && !r.armed()
          && !r.definedAt().isAfter(t)
          && r.cancelledAt() == null) {
        arming.add(r.reminder());
      }
    }
    return arming;
  }

  /**
   * Records that the audiences of the campaigns and reminders due at {@code t} were taken, and when
   * this subtask's last decision of each campaign is ({@code lastDecisions}, by id).
   */
  public void markStarted(Instant t, Map<String, Instant> lastDecisions) {
    for (Campaign c : startingAt(t)) {
      CampaignEntry e = (CampaignEntry) entries.get(c.id());
      put(
          c.id(),
          new CampaignEntry(
              e.campaign(), e.start(), e.cancelledAt(), true, lastDecisions.get(c.id())));
    }
    for (Reminder r : armingAt(t)) {
      ReminderEntry e = (ReminderEntry) entries.get(r.id());
      put(r.id(), new ReminderEntry(r, e.definedAt(), e.cancelledAt(), true));
    }
    // campaigns cancelled at or before their start never start: nothing to do for them
  }

  /** The campaign or reminder {@code id}, or {@code null}. */
  public Entry entry(String id) {
    return entries.get(id);
  }

  /** The reminders of a channel and account not cancelled at {@code t}, in id order. */
  public List<ReminderEntry> reminders(Channel channel, String account, Instant t) {
    if (remindersByAccount == null) {
      remindersByAccount = new HashMap<>();
      for (Entry e : entries.values()) {
        if (e instanceof ReminderEntry r) {
          remindersByAccount
              .computeIfAbsent(
                  accountKey(r.reminder().channel(), r.reminder().account()),
                  k -> new ArrayList<>())
              .add(r);
        }
      }
    }
    List<ReminderEntry> all =
        remindersByAccount.getOrDefault(accountKey(channel, account), List.of());
    if (all.isEmpty()) {
      return List.of();
    }
    List<ReminderEntry> active = new ArrayList<>(all.size());
    for (ReminderEntry r : all) {
      if (!r.isCancelledAt(t)) {
        active.add(r);
      }
    }
    return active;
  }

  private static String accountKey(Channel channel, String account) {
    return channel.wire() + "/" + account;
  }

  private void put(String id, Entry e) {
    entries.put(id, e);
    remindersByAccount = null;
  }

  /** Forgets the ids whose retention has passed at {@code now}. */
  public void forgetOld(Instant now) {
    remindersByAccount = null;
    entries
        .values()
        .removeIf(
            e -> {
              if (e instanceof CampaignEntry c) {
                return (c.started() || c.cancelledAt() != null) && !now.isBefore(c.forgetAt());
              }
              ReminderEntry r = (ReminderEntry) e;
              return r.cancelledAt() != null && !now.isBefore(r.cancelledAt().plus(ID_RETENTION));
            });
  }

  // ------------------------------------------------------------------ snapshots

  /**
   * The format of the strings {@link #snapshot} writes; {@link #restore} reads every format up to
   * it.
   *
   * <ul>
   *   <li>Format 1 (no marker): a JSON object per entry. A campaign: {@code record} (the campaign
   *       as {@link RecordCodec#write(dev.herald.schema.InputRecord)} wrote it), {@code start},
   *       {@code started}, {@code lastDecisionAt}, {@code cancelledAt}. A reminder: {@code record},
   *       {@code definedAt}, {@code armed}, {@code cancelledAt}. A waiting record: {@code record},
   *       {@code waiting} (its text as written), {@code origin}, {@code seq}; an early form has no
   *       {@code record}, and its record is read from {@code waiting}. Instants as {@link
   *       Wire#format} writes them; an absent instant is {@code null}.
   *   <li>Format 2: {@code 2:} followed by the object of format 1.
   * </ul>
   *
   * <p>Records are read back with {@link RecordCodec#readStoredControl}, by their structure only:
   * the book holds what the version that took a record accepted, and a rule tightened since must
   * not make a snapshot unreadable. A new format gets the next number and a marker; the readers of
   * the earlier ones stay, and a committed snapshot of each is restored by a test.
   */
  public static final int FORMAT = 2;

  private static final String MARKER = FORMAT + ":";

  /** The book as strings, one per entry or waiting record, for the job's operator state. */
  public List<String> snapshot() {
    List<String> out = new ArrayList<>(entries.size() + waiting.size());
    for (Entry e : entries.values()) {
      ObjectNode n = JSON.createObjectNode();
      if (e instanceof CampaignEntry c) {
        n.put("record", RecordCodec.write(c.campaign()));
        n.put("start", Wire.format(c.start()));
        n.put("started", c.started());
        putInstant(n, "lastDecisionAt", c.lastDecisionAt());
      } else if (e instanceof ReminderEntry r) {
        n.put("record", RecordCodec.write(r.reminder()));
        n.put("definedAt", Wire.format(r.definedAt()));
        n.put("armed", r.armed());
      }
      putInstant(n, "cancelledAt", e.cancelledAt());
      out.add(MARKER + n);
    }
    for (Arrival w : waiting) {
      ObjectNode n = JSON.createObjectNode();
      n.put("record", RecordCodec.write(w.record()));
      n.put("waiting", w.raw());
      n.put("origin", w.origin());
      n.put("seq", w.seq());
      out.add(MARKER + n);
    }
    return out;
  }

  /**
   * A book from snapshots, of any format up to {@link #FORMAT}. Several subtasks' snapshots may be
   * given together (each holds the same definitions): entries are merged by id, keeping the latest
   * {@code lastDecisionAt}; waiting records by their arrival number.
   *
   * @throws IllegalStateException if an entry cannot be read, naming its format and what is wrong
   */
  public static CampaignBook restore(Iterable<String> snapshot) {
    CampaignBook book = new CampaignBook();
    for (String s : snapshot) {
      book.restore(new Stored(s));
    }
    return book;
  }

  private void restore(Stored n) {
    if (n.has("waiting")) {
      long seq = n.integer("seq");
      String raw = n.text("waiting");
      // The record as the job wrote it (an early form without it: as written); the raw text is
      // kept for a dead letter only.
      String record = n.has("record") ? n.text("record") : raw;
      waiting.add(new Arrival(n.record(record), n.optionalText("origin"), raw, seq));
      nextSeq = Math.max(nextSeq, seq + 1);
      return;
    }
    ControlRecord record = n.record(n.text("record"));
    Instant cancelledAt = n.instant("cancelledAt");
    if (record instanceof Campaign c) {
      Instant last = n.instant("lastDecisionAt");
      Entry existing = entries.get(c.id());
      if (existing instanceof CampaignEntry other && other.lastDecisionAt() != null) {
        if (last == null || other.lastDecisionAt().isAfter(last)) {
          last = other.lastDecisionAt();
        }
      }
      put(
          c.id(),
          new CampaignEntry(c, n.requiredInstant("start"), cancelledAt, n.bool("started"), last));
    } else if (record instanceof Reminder r) {
      put(
          r.id(),
          new ReminderEntry(r, n.requiredInstant("definedAt"), cancelledAt, n.bool("armed")));
    }
    // only campaigns and reminders are ever stored as definitions
  }

  /** One stored string: its format, and the fields of its object. */
  private static final class Stored {
    private final int format;
    private final JsonNode node;

    Stored(String s) {
      String json;
      if (s.startsWith("{")) {
        format = 1; // the format without a marker
        json = s;
      } else {
        int colon = s.indexOf(':');
        format =
            colon > 0
                    && colon <= 9
                    && s.substring(0, colon).chars().allMatch(c -> c >= '0' && c <= '9')
                ? Integer.parseInt(s.substring(0, colon))
                : -1;
        if (format < 0) {
          throw new IllegalStateException("campaign book entry without a format: " + Text.quote(s));
        }
        if (format != 2) {
          throw new IllegalStateException(
              "campaign book entry of format "
                  + format
                  + (format > FORMAT ? ", newer than this job" : "")
                  + ": this job reads formats 1 to "
                  + FORMAT);
        }
        json = s.substring(colon + 1);
      }
      try {
        node = JSON.readTree(json);
      } catch (IOException e) {
        throw new IllegalStateException(
            "campaign book entry of format " + format + " is not JSON: " + Text.quote(s), e);
      }
      if (node == null || !node.isObject()) {
        throw unreadable("is not a JSON object");
      }
    }

    IllegalStateException unreadable(String what) {
      return new IllegalStateException("campaign book entry of format " + format + " " + what);
    }

    boolean has(String name) {
      JsonNode v = node.get(name);
      return v != null && !v.isNull();
    }

    private JsonNode required(String name) {
      if (!has(name)) {
        throw unreadable("has no '" + name + "'");
      }
      return node.get(name);
    }

    String text(String name) {
      JsonNode v = required(name);
      if (!v.isTextual()) {
        throw unreadable("has a '" + name + "' that is not a string");
      }
      return v.asText();
    }

    String optionalText(String name) {
      return has(name) ? text(name) : null;
    }

    long integer(String name) {
      JsonNode v = required(name);
      if (!v.canConvertToExactIntegral() || !v.canConvertToLong()) {
        throw unreadable("has a '" + name + "' that is not an integer");
      }
      return v.asLong();
    }

    boolean bool(String name) {
      JsonNode v = required(name);
      if (!v.isBoolean()) {
        throw unreadable("has a '" + name + "' that is not true or false");
      }
      return v.booleanValue();
    }

    /** The instant {@code name}, or {@code null} if it is absent. */
    Instant instant(String name) {
      if (!has(name)) {
        return null;
      }
      Instant t = Wire.parseInstant(text(name));
      if (t == null) {
        throw unreadable("has a '" + name + "' that is not an instant: " + Text.quote(text(name)));
      }
      return t;
    }

    Instant requiredInstant(String name) {
      required(name);
      return instant(name);
    }

    /** The campaign record stored as {@code json}, read by its structure only. */
    ControlRecord record(String json) {
      Parsed<ControlRecord> parsed = RecordCodec.readStoredControl(json);
      if (!parsed.isOk()) {
        throw unreadable("holds a record that cannot be read: " + parsed.reason());
      }
      return parsed.value();
    }
  }

  private static void putInstant(ObjectNode n, String name, Instant value) {
    if (value != null) {
      n.put(name, Wire.format(value));
    }
  }
}
