package dev.herald.job.types;

import dev.herald.schema.Frequency;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserKey;
import dev.herald.state.ConsentMark;
import dev.herald.state.OptinRequestMark;
import dev.herald.state.OtnToken;
import dev.herald.state.PendingDecision;
import dev.herald.state.Subscription;
import dev.herald.state.UserRecord;
import dev.herald.state.UserState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The one value the job keeps per user, in a compact binary form.
 *
 * <p>Every value starts with its format version, so state written by any earlier version of this
 * serializer stays readable: reading dispatches on the version, writing always uses {@link
 * #FORMAT}. A change of format adds a version and keeps the readers of the old ones (a test
 * restores a committed value of each).
 *
 * <p>Format 1: version byte; a flags byte (state present, reminder due); the state; the buffered
 * events; the armed decisions; the reminder instant. In the state, optional instants and consent
 * marks are announced by a presence mask and written only when present. Instants take 8 bytes;
 * every buffered event carries its key.
 *
 * <p>Format 2 (written since the state-size work of issue 10; see benchmarks/PROFILE.md): version
 * byte; a flags byte (state, reminder, buffered events, armed decisions, events' key shared); the
 * record's <em>base</em> instant as a zigzag varint of epoch milliseconds, which is the last
 * interaction when there is one, else the first instant of the record; then every other instant as
 * its distance in milliseconds from the base ({@link Binary#writeInstant(DataOutput, Instant,
 * long)}: one byte for the instants of one burst of events, four within a day). The state's
 * presence mask is a varint that also marks the non-empty lists, which alone carry a count. An OTN
 * token names its topic by its place among the remembered token topics instead of repeating it; a
 * subscription's frequency and flags share one byte, which also says which of its optional instants
 * follow (its status instant is left out when it is the opt-in's). Buffered events are written
 * without their key, which is written once before them when they all share it (they do: they are
 * the record's user's).
 */
public final class UserRecordSerializer extends ValueSerializer<UserRecord> {

  public static final UserRecordSerializer INSTANCE = new UserRecordSerializer();

  /** The format this serializer writes. */
  public static final int FORMAT = 2;

  private static final int HAS_STATE = 1;
  private static final int HAS_REMINDER = 2;
  // format 2
  private static final int HAS_BUFFERED = 4;
  private static final int HAS_DECISIONS = 8;
  private static final int KEY_SHARED = 16;

  private static final int LAST_INTERACTION = 1;
  private static final int LAST_CTM_AD = 1 << 1;
  private static final int BREADCRUMB = 1 << 2;
  private static final int UNREACHABLE = 1 << 3;
  private static final int MARKETING = 1 << 4;
  private static final int UTILITY = 1 << 5;

  // The presence mask of format 2: the parts a typical user has first, so that it is one byte.
  private static final int P_LAST_INTERACTION = 1;
  private static final int P_BREADCRUMB = 1 << 1;
  private static final int P_TAGS = 1 << 2;
  private static final int P_OTN_TOPICS = 1 << 3;
  private static final int P_OTN_TOKENS = 1 << 4;
  private static final int P_SUBSCRIPTIONS = 1 << 5;
  private static final int P_MARKETING = 1 << 6;
  private static final int P_LAST_CTM_AD = 1 << 7;
  private static final int P_UNREACHABLE = 1 << 8;
  private static final int P_UTILITY = 1 << 9;
  private static final int P_OPTIN_REQUESTS = 1 << 10;
  private static final int P_CAP_SENDS = 1 << 11;

  // A subscription's byte in format 2: the frequency's ordinal in the low bits, then flags.
  private static final int SUB_FREQUENCY = 0x0F;
  private static final int SUB_STOPPED = 0x10;
  private static final int SUB_EXPIRES = 0x20;
  private static final int SUB_LAST_SENT = 0x40;
  // the status was last set by the opt-in itself: statusAt is optedInAt, not written again
  private static final int SUB_STATUS_AT_OPT_IN = 0x80;

  private static final Frequency[] FREQUENCIES = Frequency.values();

  @Override
  public void serialize(UserRecord r, DataOutputView out) throws IOException {
    UserState s = r.state();
    List<UserEvent> buffered = r.buffered();
    boolean keyShared = !buffered.isEmpty() && sameKey(buffered);
    int flags =
        (s != null ? HAS_STATE : 0)
            | (r.reminderDue() != null ? HAS_REMINDER : 0)
            | (!buffered.isEmpty() ? HAS_BUFFERED : 0)
            | (!r.decisions().isEmpty() ? HAS_DECISIONS : 0)
            | (keyShared ? KEY_SHARED : 0);
    out.writeByte(FORMAT);
    out.writeByte(flags);
    long base = base(r);
    Binary.writeVarLong(out, base);
    if (s != null) {
      writeState(out, s, base);
    }
    if (!buffered.isEmpty()) {
      Binary.writeCount(out, buffered.size());
      if (keyShared) {
        Binary.writeKey(out, buffered.get(0).key());
      }
      for (UserEvent e : buffered) {
        if (!keyShared) {
          Binary.writeKey(out, e.key());
        }
        UserEventSerializer.writeInRecord(out, e, base);
      }
    }
    if (!r.decisions().isEmpty()) {
      Binary.writeCount(out, r.decisions().size());
      for (PendingDecision d : r.decisions()) {
        Binary.writeInstant(out, d.at(), base);
        Binary.writeString(out, d.campaign());
      }
    }
    if (r.reminderDue() != null) {
      Binary.writeInstant(out, r.reminderDue(), base);
    }
  }

  @Override
  public UserRecord deserialize(DataInputView in) throws IOException {
    int format = in.readUnsignedByte();
    if (format == 2) {
      return readFormat2(in);
    }
    if (format == 1) {
      return readFormat1(in);
    }
    throw new IOException(
        "user record of format "
            + format
            + " is newer than this job (format "
            + FORMAT
            + "; it reads formats 1 to "
            + FORMAT
            + ")");
  }

  /**
   * The instant the others are written from: the last interaction when the user has one (it is then
   * not written again), else the record's first instant; 0 when it has none.
   */
  private static long base(UserRecord r) {
    UserState s = r.state();
    if (s != null && s.lastInteractionAt() != null) {
      return s.lastInteractionAt().toEpochMilli();
    }
    for (UserEvent e : r.buffered()) {
      if (e.at() != null) {
        return e.at().toEpochMilli();
      }
    }
    for (PendingDecision d : r.decisions()) {
      if (d.at() != null) {
        return d.at().toEpochMilli();
      }
    }
    return r.reminderDue() != null ? r.reminderDue().toEpochMilli() : 0;
  }

  private static boolean sameKey(List<UserEvent> events) {
    UserKey first = events.get(0).key();
    for (UserEvent e : events) {
      if (!Objects.equals(e.key(), first)) {
        return false;
      }
    }
    return true;
  }

  private static UserRecord readFormat2(DataInput in) throws IOException {
    int flags = in.readUnsignedByte();
    long base = Binary.readVarLong(in);
    UserState state = (flags & HAS_STATE) != 0 ? readState2(in, base) : null;
    List<UserEvent> buffered = List.of();
    if ((flags & HAS_BUFFERED) != 0) {
      int n = Binary.readCount(in);
      UserKey shared = (flags & KEY_SHARED) != 0 ? Binary.readKey(in) : null;
      UserEvent[] events = new UserEvent[n];
      for (int i = 0; i < n; i++) {
        UserKey key = shared != null ? shared : Binary.readKey(in);
        events[i] = UserEventSerializer.readInRecord(in, key, base);
      }
      buffered = List.of(events);
    }
    List<PendingDecision> decisions = List.of();
    if ((flags & HAS_DECISIONS) != 0) {
      int n = Binary.readCount(in);
      PendingDecision[] pending = new PendingDecision[n];
      for (int i = 0; i < n; i++) {
        pending[i] = new PendingDecision(Binary.readInstant(in, base), Binary.readString(in));
      }
      decisions = List.of(pending);
    }
    Instant reminder = (flags & HAS_REMINDER) != 0 ? Binary.readInstant(in, base) : null;
    return new UserRecord(state, buffered, decisions, reminder);
  }

  private static void writeState(DataOutput out, UserState s, long base) throws IOException {
    int present =
        (s.lastInteractionAt() != null ? P_LAST_INTERACTION : 0)
            | (s.breadcrumb() != null ? P_BREADCRUMB : 0)
            | (!s.tags().isEmpty() ? P_TAGS : 0)
            | (!s.otnTopics().isEmpty() ? P_OTN_TOPICS : 0)
            | (!s.otnTokens().isEmpty() ? P_OTN_TOKENS : 0)
            | (!s.subscriptions().isEmpty() ? P_SUBSCRIPTIONS : 0)
            | (s.marketing() != null ? P_MARKETING : 0)
            | (s.lastCtmAdAt() != null ? P_LAST_CTM_AD : 0)
            | (s.unreachableSince() != null ? P_UNREACHABLE : 0)
            | (s.utility() != null ? P_UTILITY : 0)
            | (!s.optinRequests().isEmpty() ? P_OPTIN_REQUESTS : 0)
            | (!s.capSends().isEmpty() ? P_CAP_SENDS : 0);
    Binary.writeCount(out, present);
    // lastInteractionAt is the base itself: not written again
    if (s.breadcrumb() != null) {
      Binary.writeString(out, s.breadcrumb());
      Binary.writeInstant(out, s.breadcrumbAt(), base);
    }
    if (!s.tags().isEmpty()) {
      UserEventSerializer.writeStrings(out, s.tags());
    }
    if (!s.otnTopics().isEmpty()) {
      UserEventSerializer.writeStrings(out, s.otnTopics());
    }
    if (!s.otnTokens().isEmpty()) {
      Binary.writeCount(out, s.otnTokens().size());
      for (OtnToken t : s.otnTokens()) {
        // The topic by its place among the remembered topics; one past them: written out.
        int topic = s.otnTopics().indexOf(t.topic());
        if (topic < 0) {
          Binary.writeCount(out, s.otnTopics().size());
          Binary.writeString(out, t.topic());
        } else {
          Binary.writeCount(out, topic);
        }
        Binary.writeString(out, t.token());
        Binary.writeInstant(out, t.createdAt(), base);
      }
    }
    if (!s.subscriptions().isEmpty()) {
      Binary.writeCount(out, s.subscriptions().size());
      for (Subscription sub : s.subscriptions()) {
        Binary.writeString(out, sub.topic());
        Binary.writeString(out, sub.token());
        int frequency = sub.frequency() == null ? SUB_FREQUENCY : sub.frequency().ordinal();
        boolean statusAtOptIn = Objects.equals(sub.statusAt(), sub.optedInAt());
        out.writeByte(
            frequency
                | (sub.stopped() ? SUB_STOPPED : 0)
                | (sub.expiresAt() != null ? SUB_EXPIRES : 0)
                | (sub.lastSentAt() != null ? SUB_LAST_SENT : 0)
                | (statusAtOptIn ? SUB_STATUS_AT_OPT_IN : 0));
        Binary.writeInstant(out, sub.optedInAt(), base);
        if (sub.expiresAt() != null) {
          Binary.writeInstant(out, sub.expiresAt(), base);
        }
        if (!statusAtOptIn) {
          Binary.writeInstant(out, sub.statusAt(), base);
        }
        if (sub.lastSentAt() != null) {
          Binary.writeInstant(out, sub.lastSentAt(), base);
        }
      }
    }
    if (s.marketing() != null) {
      writeConsent(out, s.marketing(), base);
    }
    if (s.lastCtmAdAt() != null) {
      Binary.writeInstant(out, s.lastCtmAdAt(), base);
    }
    if (s.unreachableSince() != null) {
      Binary.writeInstant(out, s.unreachableSince(), base);
    }
    if (s.utility() != null) {
      writeConsent(out, s.utility(), base);
    }
    if (!s.optinRequests().isEmpty()) {
      Binary.writeCount(out, s.optinRequests().size());
      for (OptinRequestMark r : s.optinRequests()) {
        Binary.writeString(out, r.topic());
        Binary.writeInstant(out, r.at(), base);
      }
    }
    if (!s.capSends().isEmpty()) {
      Binary.writeCount(out, s.capSends().size());
      for (Instant t : s.capSends()) {
        Binary.writeInstant(out, t, base);
      }
    }
  }

  private static UserState readState2(DataInput in, long base) throws IOException {
    int present = Binary.readCount(in);
    Instant lastInteraction =
        (present & P_LAST_INTERACTION) != 0 ? Instant.ofEpochMilli(base) : null;
    String breadcrumb = null;
    Instant breadcrumbAt = null;
    if ((present & P_BREADCRUMB) != 0) {
      breadcrumb = Binary.readString(in);
      breadcrumbAt = Binary.readInstant(in, base);
    }
    List<String> tags = (present & P_TAGS) != 0 ? UserEventSerializer.readStrings(in) : List.of();
    List<String> topics =
        (present & P_OTN_TOPICS) != 0 ? UserEventSerializer.readStrings(in) : List.of();
    List<OtnToken> tokens = List.of();
    if ((present & P_OTN_TOKENS) != 0) {
      OtnToken[] read = new OtnToken[Binary.readCount(in)];
      for (int i = 0; i < read.length; i++) {
        int topic = Binary.readCount(in);
        String name = topic < topics.size() ? topics.get(topic) : Binary.readString(in);
        read[i] = new OtnToken(name, Binary.readString(in), Binary.readInstant(in, base));
      }
      tokens = List.of(read);
    }
    List<Subscription> subs = List.of();
    if ((present & P_SUBSCRIPTIONS) != 0) {
      Subscription[] read = new Subscription[Binary.readCount(in)];
      for (int i = 0; i < read.length; i++) {
        String topic = Binary.readString(in);
        String token = Binary.readString(in);
        int b = in.readUnsignedByte();
        int frequency = b & SUB_FREQUENCY;
        Instant optedInAt = Binary.readInstant(in, base);
        Instant expiresAt = (b & SUB_EXPIRES) != 0 ? Binary.readInstant(in, base) : null;
        Instant statusAt =
            (b & SUB_STATUS_AT_OPT_IN) != 0 ? optedInAt : Binary.readInstant(in, base);
        Instant lastSentAt = (b & SUB_LAST_SENT) != 0 ? Binary.readInstant(in, base) : null;
        read[i] =
            new Subscription(
                topic,
                token,
                frequency == SUB_FREQUENCY ? null : FREQUENCIES[frequency],
                optedInAt,
                expiresAt,
                (b & SUB_STOPPED) != 0,
                statusAt,
                lastSentAt);
      }
      subs = List.of(read);
    }
    ConsentMark marketing = (present & P_MARKETING) != 0 ? readConsent(in, base) : null;
    Instant lastCtmAd = (present & P_LAST_CTM_AD) != 0 ? Binary.readInstant(in, base) : null;
    Instant unreachable = (present & P_UNREACHABLE) != 0 ? Binary.readInstant(in, base) : null;
    ConsentMark utility = (present & P_UTILITY) != 0 ? readConsent(in, base) : null;
    List<OptinRequestMark> requests = List.of();
    if ((present & P_OPTIN_REQUESTS) != 0) {
      OptinRequestMark[] read = new OptinRequestMark[Binary.readCount(in)];
      for (int i = 0; i < read.length; i++) {
        read[i] = new OptinRequestMark(Binary.readString(in), Binary.readInstant(in, base));
      }
      requests = List.of(read);
    }
    List<Instant> sends = List.of();
    if ((present & P_CAP_SENDS) != 0) {
      Instant[] read = new Instant[Binary.readCount(in)];
      for (int i = 0; i < read.length; i++) {
        read[i] = Binary.readInstant(in, base);
      }
      sends = List.of(read);
    }
    return new UserState(
        lastInteraction,
        lastCtmAd,
        breadcrumb,
        breadcrumbAt,
        unreachable,
        tags,
        marketing,
        utility,
        tokens,
        topics,
        subs,
        requests,
        sends);
  }

  private static void writeConsent(DataOutput out, ConsentMark c, long base) throws IOException {
    out.writeBoolean(c.optIn());
    Binary.writeInstant(out, c.at(), base);
  }

  private static ConsentMark readConsent(DataInput in, long base) throws IOException {
    return new ConsentMark(in.readBoolean(), Binary.readInstant(in, base));
  }

  // ------------------------------------------------------------------ format 1, read only

  private static UserRecord readFormat1(DataInput in) throws IOException {
    int flags = in.readUnsignedByte();
    UserState state = (flags & HAS_STATE) != 0 ? readState(in) : null;
    int n = Binary.readCount(in);
    List<UserEvent> buffered = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      buffered.add(UserEventSerializer.read(in));
    }
    n = Binary.readCount(in);
    List<PendingDecision> decisions = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      decisions.add(new PendingDecision(Binary.readInstant(in), Binary.readString(in)));
    }
    Instant reminder = (flags & HAS_REMINDER) != 0 ? Binary.readInstant(in) : null;
    return new UserRecord(state, buffered, decisions, reminder);
  }

  private static UserState readState(DataInput in) throws IOException {
    int present = in.readUnsignedByte();
    Instant lastInteraction = (present & LAST_INTERACTION) != 0 ? Binary.readInstant(in) : null;
    Instant lastCtmAd = (present & LAST_CTM_AD) != 0 ? Binary.readInstant(in) : null;
    String breadcrumb = null;
    Instant breadcrumbAt = null;
    if ((present & BREADCRUMB) != 0) {
      breadcrumb = Binary.readString(in);
      breadcrumbAt = Binary.readInstant(in);
    }
    Instant unreachable = (present & UNREACHABLE) != 0 ? Binary.readInstant(in) : null;
    ConsentMark marketing = (present & MARKETING) != 0 ? readConsent(in) : null;
    ConsentMark utility = (present & UTILITY) != 0 ? readConsent(in) : null;
    List<String> tags = UserEventSerializer.readStrings(in);
    int n = Binary.readCount(in);
    List<OtnToken> tokens = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tokens.add(
          new OtnToken(Binary.readString(in), Binary.readString(in), Binary.readInstant(in)));
    }
    List<String> topics = UserEventSerializer.readStrings(in);
    n = Binary.readCount(in);
    List<Subscription> subs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      subs.add(
          new Subscription(
              Binary.readString(in),
              Binary.readString(in),
              FREQUENCIES[in.readByte()],
              Binary.readInstant(in),
              Binary.readInstant(in),
              in.readBoolean(),
              Binary.readInstant(in),
              Binary.readInstant(in)));
    }
    n = Binary.readCount(in);
    List<OptinRequestMark> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      requests.add(new OptinRequestMark(Binary.readString(in), Binary.readInstant(in)));
    }
    n = Binary.readCount(in);
    List<Instant> sends = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sends.add(Binary.readInstant(in));
    }
    return new UserState(
        lastInteraction,
        lastCtmAd,
        breadcrumb,
        breadcrumbAt,
        unreachable,
        tags,
        marketing,
        utility,
        tokens,
        topics,
        subs,
        requests,
        sends);
  }

  private static ConsentMark readConsent(DataInput in) throws IOException {
    return new ConsentMark(in.readBoolean(), Binary.readInstant(in));
  }

  @Override
  public TypeSerializerSnapshot<UserRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  /**
   * Restores this serializer. Values carry their own format version, so state of any earlier format
   * is compatible as is.
   */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<UserRecord> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
