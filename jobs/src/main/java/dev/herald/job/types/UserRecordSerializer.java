package dev.herald.job.types;

import dev.herald.schema.Frequency;
import dev.herald.schema.UserEvent;
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
 * marks are announced by a presence mask and written only when present.
 */
public final class UserRecordSerializer extends ValueSerializer<UserRecord> {

  public static final UserRecordSerializer INSTANCE = new UserRecordSerializer();

  /** The format this serializer writes. */
  public static final int FORMAT = 1;

  private static final int HAS_STATE = 1;
  private static final int HAS_REMINDER = 2;

  private static final int LAST_INTERACTION = 1;
  private static final int LAST_CTM_AD = 1 << 1;
  private static final int BREADCRUMB = 1 << 2;
  private static final int UNREACHABLE = 1 << 3;
  private static final int MARKETING = 1 << 4;
  private static final int UTILITY = 1 << 5;

  private static final Frequency[] FREQUENCIES = Frequency.values();

  @Override
  public void serialize(UserRecord r, DataOutputView out) throws IOException {
    out.writeByte(FORMAT);
    int flags = (r.state() != null ? HAS_STATE : 0) | (r.reminderDue() != null ? HAS_REMINDER : 0);
    out.writeByte(flags);
    if (r.state() != null) {
      writeState(out, r.state());
    }
    Binary.writeCount(out, r.buffered().size());
    for (UserEvent e : r.buffered()) {
      UserEventSerializer.write(out, e);
    }
    Binary.writeCount(out, r.decisions().size());
    for (PendingDecision d : r.decisions()) {
      Binary.writeInstant(out, d.at());
      Binary.writeString(out, d.campaign());
    }
    if (r.reminderDue() != null) {
      Binary.writeInstant(out, r.reminderDue());
    }
  }

  @Override
  public UserRecord deserialize(DataInputView in) throws IOException {
    int format = in.readUnsignedByte();
    if (format == 1) {
      return readFormat1(in);
    }
    throw new IOException(
        "user record of format " + format + " is newer than this job (format " + FORMAT + ")");
  }

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

  private static void writeState(DataOutput out, UserState s) throws IOException {
    int present =
        (s.lastInteractionAt() != null ? LAST_INTERACTION : 0)
            | (s.lastCtmAdAt() != null ? LAST_CTM_AD : 0)
            | (s.breadcrumb() != null ? BREADCRUMB : 0)
            | (s.unreachableSince() != null ? UNREACHABLE : 0)
            | (s.marketing() != null ? MARKETING : 0)
            | (s.utility() != null ? UTILITY : 0);
    out.writeByte(present);
    if (s.lastInteractionAt() != null) {
      Binary.writeInstant(out, s.lastInteractionAt());
    }
    if (s.lastCtmAdAt() != null) {
      Binary.writeInstant(out, s.lastCtmAdAt());
    }
    if (s.breadcrumb() != null) {
      Binary.writeString(out, s.breadcrumb());
      Binary.writeInstant(out, s.breadcrumbAt());
    }
    if (s.unreachableSince() != null) {
      Binary.writeInstant(out, s.unreachableSince());
    }
    if (s.marketing() != null) {
      writeConsent(out, s.marketing());
    }
    if (s.utility() != null) {
      writeConsent(out, s.utility());
    }
    UserEventSerializer.writeStrings(out, s.tags());
    Binary.writeCount(out, s.otnTokens().size());
    for (OtnToken t : s.otnTokens()) {
      Binary.writeString(out, t.topic());
      Binary.writeString(out, t.token());
      Binary.writeInstant(out, t.createdAt());
    }
    UserEventSerializer.writeStrings(out, s.otnTopics());
    Binary.writeCount(out, s.subscriptions().size());
    for (Subscription sub : s.subscriptions()) {
      Binary.writeString(out, sub.topic());
      Binary.writeString(out, sub.token());
      out.writeByte(sub.frequency().ordinal());
      Binary.writeInstant(out, sub.optedInAt());
      Binary.writeInstant(out, sub.expiresAt());
      out.writeBoolean(sub.stopped());
      Binary.writeInstant(out, sub.statusAt());
      Binary.writeInstant(out, sub.lastSentAt());
    }
    Binary.writeCount(out, s.optinRequests().size());
    for (OptinRequestMark r : s.optinRequests()) {
      Binary.writeString(out, r.topic());
      Binary.writeInstant(out, r.at());
    }
    Binary.writeCount(out, s.capSends().size());
    for (Instant t : s.capSends()) {
      Binary.writeInstant(out, t);
    }
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

  private static void writeConsent(DataOutput out, ConsentMark c) throws IOException {
    out.writeBoolean(c.optIn());
    Binary.writeInstant(out, c.at());
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
