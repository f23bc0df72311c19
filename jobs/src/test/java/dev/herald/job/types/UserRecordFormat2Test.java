package dev.herald.job.types;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schema.Channel;
import dev.herald.schema.Frequency;
import dev.herald.schema.InteractionKind;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserEvent.Interaction;
import dev.herald.schema.UserEvent.Tag;
import dev.herald.schema.UserKey;
import dev.herald.state.OtnToken;
import dev.herald.state.PendingDecision;
import dev.herald.state.Subscription;
import dev.herald.state.UserRecord;
import dev.herald.state.UserState;
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
 * State of the per-user record written in format 2 stays readable, and the serializer writes format
 * 2 byte for byte as committed. The fixture {@code state-fixtures/user-record-format-2.bin} holds
 * the three values of the format-1 fixture ({@link UserRecordFormatTest#expected()}) and three more
 * that only format 2 tells apart (see {@link #expected()}), written once by the format-2
 * serializer. It is never regenerated (see the README beside it): {@link #main} wrote it, and
 * refuses to overwrite it.
 */
class UserRecordFormat2Test {

  static final String FIXTURE = "/state-fixtures/user-record-format-2.bin";

  private static List<byte[]> fixture;

  @BeforeAll
  static void readFixture() throws IOException {
    try (InputStream in = UserRecordFormat2Test.class.getResourceAsStream(FIXTURE)) {
      assertThat(in).as("test resource %s", FIXTURE).isNotNull();
      fixture = UserRecordFormatTest.readContainer(in);
    }
  }

  // ------------------------------------------------------------------ the values of the fixture
  // Never change these: they are the values the committed bytes were written from.

  private static final UserKey KEY = new UserKey(Channel.MESSENGER, "page-1", "u-123456");

  /**
   * The benchmarks' typical user (benchmarks' {@code Population}): an interaction with a
   * breadcrumb, three tags, an OTN token, a recurring subscription, within 3 ms; nothing pending.
   */
  static UserRecord typical() {
    Instant at = Instant.parse("2026-06-01T10:24:41.241Z");
    UserState s =
        UserState.EMPTY.toBuilder()
            .lastInteractionAt(at)
            .breadcrumb("/shop/red-wine", at)
            .tags(List.of("started", "red-wine", "match"))
            .otnTokens(List.of(new OtnToken("restock", "otn-1e240-AbCdEf0123", at.plusMillis(2))))
            .otnTopics(List.of("restock"))
            .subscriptions(
                List.of(
                    new Subscription(
                        "weekly-deals",
                        "rn-123456",
                        Frequency.WEEKLY,
                        at.plusMillis(3),
                        null,
                        false,
                        at.plusMillis(3),
                        null)))
            .build();
    return new UserRecord(s, List.of(), List.of(), null);
  }

  /**
   * Events of two keys buffered in one record (the job never keeps such a record; the format still
   * carries it), a token whose topic is not among the remembered ones, instants before 1970 and far
   * from the base, armed decisions.
   */
  static UserRecord unusual() {
    UserKey other = new UserKey(Channel.INSTAGRAM, "ig-1", "u-ü");
    Instant base = Instant.parse("2024-03-01T09:00:00Z");
    UserState s =
        UserState.EMPTY.toBuilder()
            .lastInteractionAt(base)
            .otnTokens(
                List.of(new OtnToken("forgotten", "tok-9", Instant.parse("1969-07-20T20:17:40Z"))))
            .otnTopics(List.of("restock"))
            .capSends(List.of(Instant.parse("9999-12-31T23:59:59.999Z")))
            .build();
    List<UserEvent> buffered =
        List.of(
            new Interaction(KEY, base.plusMillis(1), null, InteractionKind.MESSAGE, "/x", false),
            new Tag(other, base.plusMillis(2), "t-1", List.of("a"), List.of()));
    return new UserRecord(
        s,
        buffered,
        List.of(
            new PendingDecision(base.plusSeconds(60), "c-1"),
            new PendingDecision(base.plusSeconds(3600), "c-2")),
        base.plusSeconds(86_400));
  }

  /** An unknown user with only armed decisions and a reminder: the base is the first decision. */
  static UserRecord onlyPending() {
    Instant at = Instant.parse("2024-03-01T13:00:00Z");
    return new UserRecord(
        null, List.of(), List.of(new PendingDecision(at, "restock-42")), at.plusSeconds(1));
  }

  static List<UserRecord> expected() {
    List<UserRecord> values = new ArrayList<>(UserRecordFormatTest.expected());
    values.add(typical());
    values.add(unusual());
    values.add(onlyPending());
    return values;
  }

  // ------------------------------------------------------------------ tests

  @Test
  void everyValueOfTheFixtureReadsBack() throws IOException {
    List<UserRecord> expected = expected();
    assertThat(fixture).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(fixture.get(i)[0]).as("format byte of value %d", i).isEqualTo((byte) 2);
      assertThat(read(fixture.get(i))).as("value %d", i).isEqualTo(expected.get(i));
    }
  }

  /**
   * While the serializer writes format 2, it writes exactly the committed bytes: a change of the
   * encoding without a new format version fails here. When a format 3 is introduced, this test
   * moves to a format-3 fixture; the read test above stays.
   */
  @Test
  void theCurrentFormatIsTwoAndWritesTheCommittedBytes() throws IOException {
    assertThat(UserRecordSerializer.FORMAT).isEqualTo(2);
    List<UserRecord> values = expected();
    for (int i = 0; i < values.size(); i++) {
      assertThat(write(values.get(i))).as("value %d", i).isEqualTo(fixture.get(i));
    }
  }

  /** What format 2 is for: the typical user in fewer bytes, the rich one too. */
  @Test
  void formatTwoIsSmallerThanFormatOne() throws IOException {
    byte[] typical = write(typical());
    assertThat(typical.length).isLessThanOrEqualTo(108);
    // The rich record of the format-1 fixture, as format 1 wrote it and as format 2 writes it.
    UserRecord rich = UserRecordFormatTest.rich();
    assertThat(write(rich).length).isLessThan(UserRecordFormatTest.fixtureValue(0).length * 3 / 4);
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

  /**
   * Wrote the committed fixture, once, with the format-2 serializer. Not part of the build: run by
   * hand with the fixture's path as the only argument. It refuses to overwrite an existing file.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: UserRecordFormat2Test <path of the new fixture>");
    }
    if (UserRecordSerializer.FORMAT != 2) {
      throw new IllegalStateException(
          "the serializer writes format " + UserRecordSerializer.FORMAT + ", not 2");
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
    Files.write(path, UserRecordFormatTest.writeContainer(values));
    System.out.println("wrote " + values.size() + " values to " + path);
  }
}
