package dev.herald.job.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.schema.Category;
import dev.herald.schema.Channel;
import dev.herald.schema.DeliveryStatus;
import dev.herald.schema.Frequency;
import dev.herald.schema.InteractionKind;
import dev.herald.schema.PlatformError;
import dev.herald.schema.SubscriptionChange;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserEvent.Consent;
import dev.herald.schema.UserEvent.Delivery;
import dev.herald.schema.UserEvent.Erase;
import dev.herald.schema.UserEvent.Interaction;
import dev.herald.schema.UserEvent.OptinRequest;
import dev.herald.schema.UserEvent.OtnOptin;
import dev.herald.schema.UserEvent.RecurringOptin;
import dev.herald.schema.UserEvent.RecurringStatus;
import dev.herald.schema.UserEvent.Tag;
import dev.herald.schema.UserKey;
import dev.herald.state.ConsentMark;
import dev.herald.state.OptinRequestMark;
import dev.herald.state.OtnToken;
import dev.herald.state.PendingDecision;
import dev.herald.state.Subscription;
import dev.herald.state.UserRecord;
import dev.herald.state.UserState;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * State of the per-user record written in format 1 stays readable. The fixture {@code
 * state-fixtures/user-record-format-1.bin} holds three values written once by the format-1
 * serializer and committed; every later serializer must read them back to exactly the values {@link
 * #expected()} builds. The fixture is never regenerated (see the README beside it): {@link #main}
 * wrote it, and refuses to overwrite it.
 */
class UserRecordFormatTest {

  /** The fixture, on the test classpath. */
  static final String FIXTURE = "/state-fixtures/user-record-format-1.bin";

  private static final UserKey KEY = new UserKey(Channel.MESSENGER, "page-1", "u-1");
  private static final UserKey WA_KEY = new UserKey(Channel.WHATSAPP, "+4915112345678", "wa-ü-7");

  private static List<byte[]> fixture;

  @BeforeAll
  static void readFixture() throws IOException {
    try (InputStream in = UserRecordFormatTest.class.getResourceAsStream(FIXTURE)) {
      assertThat(in).as("test resource %s", FIXTURE).isNotNull();
      fixture = readContainer(in);
    }
  }

  // ------------------------------------------------------------------ the values of the fixture
  // Never change these: they are the values the committed bytes were written from.

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  /** A known user with every part of the state set, events of every type buffered. */
  static UserRecord rich() {
    UserState state =
        new UserState(
            at("2024-03-01T09:12:00.250Z"),
            at("2024-02-28T17:45:10.001Z"),
            "/lead/ask-phone",
            at("2024-03-01T09:12:00.250Z"),
            at("2024-03-01T11:00:00Z"),
            List.of("red-wine", "started", "vip-ü"),
            new ConsentMark(true, at("2024-01-15T08:00:00Z")),
            new ConsentMark(false, at("2024-02-01T12:30:00.999Z")),
            List.of(
                new OtnToken("restock", "otn-tok-1", at("2024-02-20T10:00:00Z")),
                new OtnToken("price-drop", "otn-tok-2", at("2024-02-21T10:00:00.500Z"))),
            List.of("price-drop", "restock"),
            List.of(
                new Subscription(
                    "news",
                    "rn-tok-1",
                    Frequency.WEEKLY,
                    at("2024-01-10T00:00:00Z"),
                    null,
                    false,
                    at("2024-01-10T00:00:00Z"),
                    at("2024-02-26T09:00:00Z")),
                new Subscription(
                    "offers",
                    "rn-tok-2",
                    Frequency.DAILY,
                    at("2024-02-01T00:00:00Z"),
                    at("2024-08-01T00:00:00Z"),
                    true,
                    at("2024-02-15T14:00:00.123Z"),
                    null)),
            List.of(
                new OptinRequestMark("news", at("2024-01-09T23:00:00Z")),
                new OptinRequestMark("offers", at("2024-01-31T23:00:00Z"))),
            List.of(at("2024-02-27T10:00:00Z"), at("2024-02-29T10:00:00.042Z")));
    List<UserEvent> buffered =
        List.of(
            new Interaction(
                KEY,
                at("2024-03-01T12:00:00.100Z"),
                "evt-1",
                InteractionKind.POSTBACK,
                "/shop/basket",
                true),
            new Tag(KEY, at("2024-03-01T12:00:01Z"), null, List.of("basket"), List.of("started")),
            new OtnOptin(KEY, at("2024-03-01T12:00:02Z"), null, "restock", "otn-tok-3"),
            new RecurringOptin(
                KEY,
                at("2024-03-01T12:00:03Z"),
                "evt-4",
                "deals",
                "rn-tok-3",
                Frequency.MONTHLY,
                at("2024-09-01T00:00:00Z")),
            new RecurringStatus(
                KEY, at("2024-03-01T12:00:04Z"), null, "offers", SubscriptionChange.RESUME),
            new OptinRequest(KEY, at("2024-03-01T12:00:05Z"), null, "deals"),
            new Consent(KEY, at("2024-03-01T12:00:06Z"), null, true, Category.UTILITY),
            new Delivery(
                KEY,
                at("2024-03-01T12:00:07Z"),
                null,
                DeliveryStatus.FAILED,
                "req-9",
                "restock-42",
                new PlatformError(10, 2018278L)),
            new Erase(KEY, at("2024-03-01T12:00:08Z"), "erase-1"));
    List<PendingDecision> decisions =
        List.of(
            new PendingDecision(at("2024-03-01T13:00:00Z"), "restock-42"),
            new PendingDecision(at("2024-03-02T10:00:00.500Z"), "weekly-news"));
    return new UserRecord(state, buffered, decisions, at("2024-03-01T12:30:00Z"));
  }

  /** An unknown user (state null) with events waiting for event time. */
  static UserRecord onlyBuffered() {
    return new UserRecord(
        null,
        List.of(
            new Interaction(
                WA_KEY, at("2024-03-01T08:00:00Z"), null, InteractionKind.MESSAGE, null, false),
            new Consent(WA_KEY, at("2024-03-01T08:00:00Z"), "c-1", false, null),
            new Delivery(
                WA_KEY, at("2024-03-01T08:00:01Z"), null, DeliveryStatus.READ, "req-1", null, null),
            new Tag(WA_KEY, at("2024-03-01T08:00:02Z"), null, List.of(), List.of("cold"))),
        List.of(),
        null);
  }

  /** A known user of whom nothing is known yet, with nothing pending. */
  static UserRecord nearlyEmpty() {
    return new UserRecord(UserState.EMPTY, List.of(), List.of(), null);
  }

  static List<UserRecord> expected() {
    return List.of(rich(), onlyBuffered(), nearlyEmpty());
  }

  // ------------------------------------------------------------------ tests

  @Test
  void theFixtureHoldsThreeValues() {
    assertThat(fixture).hasSize(3);
    for (byte[] value : fixture) {
      assertThat(value[0]).as("format byte").isEqualTo((byte) 1);
    }
  }

  @Test
  void theRichStateReadsBackFieldByField() throws IOException {
    UserRecord actual = read(fixture.get(0));
    UserRecord expected = rich();

    UserState s = actual.state();
    UserState e = expected.state();
    assertThat(s).isNotNull();
    assertThat(s.lastInteractionAt()).isEqualTo(e.lastInteractionAt());
    assertThat(s.lastCtmAdAt()).isEqualTo(e.lastCtmAdAt());
    assertThat(s.breadcrumb()).isEqualTo("/lead/ask-phone");
    assertThat(s.breadcrumbAt()).isEqualTo(e.breadcrumbAt());
    assertThat(s.unreachableSince()).isEqualTo(e.unreachableSince());
    assertThat(s.tags()).containsExactly("red-wine", "started", "vip-ü");
    assertThat(s.marketing()).isEqualTo(e.marketing());
    assertThat(s.utility()).isEqualTo(e.utility());
    assertThat(s.otnTokens()).containsExactlyElementsOf(e.otnTokens());
    assertThat(s.otnTopics()).containsExactly("price-drop", "restock");
    assertThat(s.subscriptions()).containsExactlyElementsOf(e.subscriptions());
    assertThat(s.subscriptions().get(0).expiresAt()).isNull();
    assertThat(s.subscriptions().get(1).lastSentAt()).isNull();
    assertThat(s.optinRequests()).containsExactlyElementsOf(e.optinRequests());
    assertThat(s.capSends()).containsExactlyElementsOf(e.capSends());
    assertThat(s).isEqualTo(e);

    assertThat(actual.buffered()).hasSize(9).containsExactlyElementsOf(expected.buffered());
    assertThat(actual.buffered().stream().map(UserEvent::type))
        .containsExactly(
            "interaction",
            "tag",
            "otn_optin",
            "recurring_optin",
            "recurring_status",
            "optin_request",
            "optin",
            "delivery",
            "erase");
    assertThat(actual.decisions()).containsExactlyElementsOf(expected.decisions());
    assertThat(actual.reminderDue()).isEqualTo(Instant.parse("2024-03-01T12:30:00Z"));
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void theRecordWithoutStateReadsBackWithItsBufferedEvents() throws IOException {
    UserRecord actual = read(fixture.get(1));

    assertThat(actual.state()).isNull();
    assertThat(actual.buffered()).containsExactlyElementsOf(onlyBuffered().buffered());
    assertThat(actual.decisions()).isEmpty();
    assertThat(actual.reminderDue()).isNull();
    assertThat(actual).isEqualTo(onlyBuffered());
  }

  @Test
  void theNearlyEmptyUserReadsBack() throws IOException {
    UserRecord actual = read(fixture.get(2));

    assertThat(actual.state()).isEqualTo(UserState.EMPTY);
    assertThat(actual.buffered()).isEmpty();
    assertThat(actual.decisions()).isEmpty();
    assertThat(actual.reminderDue()).isNull();
    assertThat(actual.isEmpty()).isFalse();
    assertThat(actual).isEqualTo(nearlyEmpty());
  }

  // While the serializer wrote format 1, a test here pinned that it wrote exactly these bytes.
  // Since format 2, UserRecordFormat2Test pins the bytes of the format written now; the read
  // tests above stay, for state written in format 1.

  @Test
  void aValueOfAnUnknownFutureFormatFailsNamingTheFormat() {
    byte[] future = fixture.get(2).clone();
    future[0] = 99;

    assertThatThrownBy(() -> read(future))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("format 99")
        .hasMessageContaining("format " + UserRecordSerializer.FORMAT)
        .hasMessageContaining("reads formats 1 to " + UserRecordSerializer.FORMAT);
  }

  @Test
  void formatZeroIsNotAFormat() {
    assertThatThrownBy(() -> read(new byte[] {0, 0, 0, 0}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("format 0");
  }

  /** The committed format-1 bytes of value {@code i}, for comparisons with later formats. */
  static byte[] fixtureValue(int i) throws IOException {
    try (InputStream in = UserRecordFormatTest.class.getResourceAsStream(FIXTURE)) {
      return readContainer(in).get(i);
    }
  }

  // ------------------------------------------------------------------ the container

  private static UserRecord read(byte[] bytes) throws IOException {
    DataInputDeserializer in = new DataInputDeserializer(bytes);
    UserRecord r = UserRecordSerializer.INSTANCE.deserialize(in);
    assertThat(in.available()).as("bytes left after the value").isZero();
    return r;
  }

  private static byte[] write(UserRecord r) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    UserRecordSerializer.INSTANCE.serialize(r, out);
    return out.getCopyOfBuffer();
  }

  /** The container: an int count, then each value as an int length and its bytes (big-endian). */
  static List<byte[]> readContainer(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    int n = in.readInt();
    List<byte[]> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] value = new byte[in.readInt()];
      in.readFully(value);
      values.add(value);
    }
    if (in.read() != -1) {
      throw new IOException("trailing bytes after " + n + " values");
    }
    return values;
  }

  static byte[] writeContainer(List<byte[]> values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(values.size());
    for (byte[] v : values) {
      out.writeInt(v.length);
      out.write(v);
    }
    out.flush();
    return bytes.toByteArray();
  }

  /**
   * Wrote the committed fixture, once, with the format-1 serializer. Not part of the build: run by
   * hand with the fixture's path as the only argument. It refuses to overwrite an existing file,
   * because the fixture pins bytes written by format 1 and must never be regenerated by a later
   * serializer.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: UserRecordFormatTest <path of the new fixture>");
    }
    if (UserRecordSerializer.FORMAT != 1) {
      throw new IllegalStateException(
          "the serializer writes format " + UserRecordSerializer.FORMAT + ", not 1");
    }
    Path path = Path.of(args[0]);
    if (Files.exists(path)) {
      throw new IllegalStateException(path + " exists: a committed fixture is never regenerated");
    }
    List<byte[]> values = new ArrayList<>();
    for (UserRecord r : expected()) {
      values.add(write(r));
    }
    Files.createDirectories(path.toAbsolutePath().getParent());
    Files.write(path, writeContainer(values));
    System.out.println("wrote " + values.size() + " values to " + path);
  }
}
