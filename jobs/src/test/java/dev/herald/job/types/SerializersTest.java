package dev.herald.job.types;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.job.ControlInput;
import dev.herald.schema.AccountState;
import dev.herald.schema.Basis;
import dev.herald.schema.Category;
import dev.herald.schema.Channel;
import dev.herald.schema.ControlRecord;
import dev.herald.schema.ControlRecord.AccountStatus;
import dev.herald.schema.ControlRecord.Cancel;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.Decision;
import dev.herald.schema.DeliveryOutcome;
import dev.herald.schema.DeliveryStatus;
import dev.herald.schema.Frequency;
import dev.herald.schema.InteractionKind;
import dev.herald.schema.MessageTag;
import dev.herald.schema.NotificationType;
import dev.herald.schema.Outcome;
import dev.herald.schema.Parsed;
import dev.herald.schema.PlatformError;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.SendRequest;
import dev.herald.schema.SkipReason;
import dev.herald.schema.SubscriptionChange;
import dev.herald.schema.Template;
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
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hand-written serializer of the job: values survive a round trip, {@code copy} of the binary
 * form reproduces it byte for byte, a snapshot written and read back restores a serializer that is
 * compatible as is, and the key lands in the same key group on every JVM.
 */
class SerializersTest {

  // ------------------------------------------------------------------ values

  private static final UserKey U1 = new UserKey(Channel.MESSENGER, "page-1", "u-1");
  private static final UserKey IG = new UserKey(Channel.INSTAGRAM, "ig-Ünïcødé", "用户-🙂");
  private static final UserKey WA = new UserKey(Channel.WHATSAPP, "", "");

  private static final Instant T0 = Instant.parse("2024-03-01T10:15:30.123Z");
  private static final Instant T1 = Instant.parse("2024-03-02T00:00:00.001Z");
  private static final Instant T2 = Instant.parse("1969-12-31T23:59:59.999Z"); // negative millis
  private static final Instant EPOCH = Instant.EPOCH;

  /** A string longer than 65535 chars (and bytes), with characters of 1 to 4 bytes of UTF-8. */
  private static final String LONG = "aé€🙂".repeat(20_000);

  private static final String UNICODE = "Grüße, 世界! 🙂 \u0000 \t\n \"quoted\" \\";

  private static final List<String> MANY =
      IntStream.range(0, 1_000).mapToObj(i -> "tag-" + i).collect(Collectors.toList());

  static List<UserKey> keys() {
    return List.of(
        U1,
        IG,
        WA,
        new UserKey(Channel.MESSENGER, LONG, UNICODE),
        new UserKey(Channel.WHATSAPP, "+4915112345678", "4915112345678"));
  }

  static List<UserEvent> userEvents() {
    List<UserEvent> events = new ArrayList<>();
    for (InteractionKind kind : InteractionKind.values()) {
      events.add(new Interaction(U1, T0, "evt-" + kind, kind, "/lead/" + kind, true));
    }
    events.add(new Interaction(IG, T1, null, InteractionKind.MESSAGE, null, false));
    events.add(new Interaction(WA, T2, UNICODE, null, UNICODE, false));
    events.add(new Interaction(U1, EPOCH, "long", InteractionKind.POSTBACK, LONG, true));
    events.add(new Tag(U1, T0, null, List.of(), List.of()));
    events.add(new Tag(IG, T1, "tag-1", List.of("vip", UNICODE), List.of("cold")));
    events.add(new Tag(WA, T0, null, MANY, MANY.subList(0, 300)));
    events.add(new OtnOptin(U1, T0, null, "restock", "tok-1"));
    events.add(new OtnOptin(IG, T1, "otn-id", UNICODE, LONG));
    for (Frequency f : Frequency.values()) {
      events.add(new RecurringOptin(U1, T0, "r-" + f, "news", "rtok-" + f, f, T1));
    }
    events.add(new RecurringOptin(IG, T1, null, "news", "rtok", Frequency.WEEKLY, null));
    events.add(new RecurringOptin(WA, T2, null, "news", "rtok", null, null));
    for (SubscriptionChange c : SubscriptionChange.values()) {
      events.add(new RecurringStatus(U1, T0, null, "news", c));
    }
    events.add(new RecurringStatus(IG, T1, "rs-1", UNICODE, null));
    events.add(new OptinRequest(U1, T0, null, "news"));
    events.add(new OptinRequest(WA, T1, "or-1", UNICODE));
    events.add(new Consent(U1, T0, null, true, null));
    events.add(new Consent(U1, T0, "c-1", false, null));
    for (Category c : Category.values()) {
      events.add(new Consent(IG, T1, null, true, c));
      events.add(new Consent(IG, T1, null, false, c));
    }
    for (DeliveryStatus s : DeliveryStatus.values()) {
      events.add(new Delivery(U1, T0, "d-" + s, s, "req-1", "restock-42", null));
    }
    events.add(new Delivery(IG, T1, null, DeliveryStatus.SENT, null, null, null));
    events.add(
        new Delivery(
            WA, T0, null, DeliveryStatus.FAILED, "req-2", "camp", new PlatformError(131047, null)));
    events.add(
        new Delivery(
            U1,
            T2,
            null,
            DeliveryStatus.FAILED,
            "req-3",
            UNICODE,
            new PlatformError(Long.MAX_VALUE, Long.MIN_VALUE)));
    events.add(
        new Delivery(
            U1, T0, null, DeliveryStatus.FAILED, null, null, new PlatformError(-1, 2018278L)));
    events.add(new Delivery(U1, T0, null, null, null, null, null));
    events.add(new Erase(U1, T0, null));
    events.add(new Erase(WA, T1, "erase-" + UNICODE));
    return events;
  }

  static List<ControlInput> controlInputs() {
    List<ControlInput> inputs = new ArrayList<>();
    inputs.add(
        new ControlInput(
            control(
                "{'type':'campaign','id':'minimal','at':'2024-03-01T10:00:00Z',"
                    + "'channel':'messenger','account':'page-1','message':{'text':'Hi'}}"),
            "input.jsonl:1"));
    inputs.add(
        new ControlInput(
            control(
                "{'type':'campaign','id':'restock-42','at':'2024-03-01T10:00:00.123Z',"
                    + "'channel':'messenger','account':'page-1',"
                    + "'startAt':'2024-03-03T10:00:00.5Z','endAt':'2024-03-04T10:00:00Z',"
                    + "'promotional':true,"
                    + "'audience':{'allTags':['started'],'anyTags':['a','b'],'noneTags':['finished'],"
                    + "'interactedWithin':'P7D','inactiveFor':'PT30M','users':['u-1','u-2']},"
                    + "'outsideWindow':'OTN','topic':'restock',"
                    + "'message':{'text':'Zurück auf Lager! 🙂','resumeAt':'BREADCRUMB',"
                    + "'variants':[{'name':'red','whenTags':['red-wine'],'text':'Your red is back'},"
                    + "{'name':'all','whenTags':[],'text':'Everyone'}]},"
                    + "'notificationType':'SILENT_PUSH','rate':2.5,'dryRun':true}"),
            "campaigns/0/17"));
    inputs.add(
        new ControlInput(
            control(
                "{'type':'campaign','id':'tagged','at':'2024-03-01T10:00:00Z',"
                    + "'channel':'instagram','account':'ig-1','promotional':false,"
                    + "'outsideWindow':'MESSAGE_TAG','tag':'HUMAN_AGENT',"
                    // more than 65535 bytes of JSON: an audience of 1,000 long user ids
                    + "'audience':{'users':["
                    + String.join(
                        ",", java.util.Collections.nCopies(1_000, "'" + "u".repeat(80) + "'"))
                    + "]},'message':{'text':'"
                    + "x🙂".repeat(2_000)
                    + "'},'notificationType':'NO_PUSH'}"),
            null));
    inputs.add(
        new ControlInput(
            control(
                "{'type':'campaign','id':'wa-template','at':'2024-03-01T10:00:00Z',"
                    + "'channel':'whatsapp','account':'+4915112345678','promotional':true,"
                    + "'outsideWindow':'TEMPLATE',"
                    + "'template':{'name':'promo_1','language':'de_DE','category':'MARKETING'}}"),
            UNICODE));
    inputs.add(
        new ControlInput(
            control(
                "{'type':'campaign','id':'ask','kind':'optin_request','at':'2024-03-01T10:00:00Z',"
                    + "'channel':'messenger','account':'page-1','topic':'news',"
                    + "'frequency':'WEEKLY','message':{'text':'Subscribe?'}}"),
            "input.jsonl:5"));
    inputs.add(
        new ControlInput(
            control(
                "{'type':'reminder','id':'finish-signup','at':'2024-03-01T00:00:00Z',"
                    + "'channel':'messenger','account':'page-1','afterInactivity':'PT30M',"
                    + "'audience':{'allTags':['started'],'noneTags':['finished']},"
                    + "'message':{'text':'Shall we finish?','resumeAt':'BREADCRUMB'},"
                    + "'promotional':false}"),
            "input.jsonl:6"));
    inputs.add(new ControlInput(new Cancel("restock-42", T1), "input.jsonl:7"));
    // As written, with spaces, an offset and an unknown field: kept for the dead letter.
    String written =
        "{ \"campaign\": \"restock-42\", \"type\": \"cancel\","
            + " \"at\": \"2024-03-02T01:00:00.001+01:00\", \"by\": \"ops\" }";
    inputs.add(new ControlInput(RecordCodec.parseControl(written).value(), "c/1/9", written));
    for (AccountState s : AccountState.values()) {
      inputs.add(new ControlInput(new AccountStatus(T0, Channel.WHATSAPP, "acc", s), "x"));
    }
    return inputs;
  }

  private static ControlRecord control(String singleQuoted) {
    Parsed<ControlRecord> p = RecordCodec.parseControl(singleQuoted.replace('\'', '"'));
    assertThat(p.reason()).as(singleQuoted).isNull();
    return p.value();
  }

  static List<Decision> decisions() {
    List<Decision> decisions = new ArrayList<>();
    for (Basis b : Basis.values()) {
      decisions.add(
          new Decision(
              "restock-42", U1, T0, Outcome.SEND, b, "tok-1", "red", "/lead", null, false));
    }
    for (SkipReason r : SkipReason.values()) {
      decisions.add(Decision.skip("restock-42", IG, T1, r, r.ordinal() % 2 == 0));
    }
    decisions.add(
        new Decision(
            UNICODE, WA, T2, Outcome.SEND, Basis.TEMPLATE, LONG, UNICODE, null, null, true));
    decisions.add(new Decision(null, U1, null, null, null, null, null, null, null, false));
    return decisions;
  }

  static List<SendRequest> sendRequests() {
    List<SendRequest> requests = new ArrayList<>();
    requests.add(
        new SendRequest(
            "req-1",
            "restock-42",
            U1,
            Basis.OTN,
            null,
            "tok-1",
            null,
            "Back in stock!",
            "/lead/ask-phone",
            NotificationType.REGULAR,
            T0,
            T1,
            null,
            null));
    for (MessageTag tag : MessageTag.values()) {
      requests.add(
          new SendRequest(
              "req-" + tag,
              "tagged",
              IG,
              Basis.MESSAGE_TAG,
              tag,
              null,
              null,
              UNICODE,
              null,
              NotificationType.NO_PUSH,
              T1,
              T1.plusMillis(1),
              null,
              null));
    }
    for (Category c : Category.values()) {
      requests.add(
          new SendRequest(
              "req-wa-" + c,
              "wa-template",
              WA,
              Basis.TEMPLATE,
              null,
              null,
              new Template("promo_1", "de_DE", c),
              null,
              null,
              NotificationType.SILENT_PUSH,
              T2,
              null,
              null,
              null));
    }
    requests.add(
        new SendRequest(
            "req-tpl-null-cat",
            "wa",
            WA,
            Basis.TEMPLATE,
            null,
            null,
            new Template(UNICODE, null, null),
            null,
            null,
            null,
            null,
            null,
            null,
            null));
    for (Frequency f : Frequency.values()) {
      requests.add(
          new SendRequest(
              "req-ask-" + f,
              "ask",
              U1,
              Basis.STANDARD_WINDOW,
              null,
              null,
              null,
              "Subscribe?",
              null,
              NotificationType.REGULAR,
              T0,
              T1,
              "news",
              f));
    }
    requests.add(
        new SendRequest(
            LONG, null, U1, null, null, null, null, LONG, null, null, null, null, UNICODE, null));
    requests.add(
        new SendRequest(
            null, null, IG, null, null, null, null, null, null, null, null, null, null, null));
    return requests;
  }

  static List<DeadLetter> deadLetters() {
    return List.of(
        new DeadLetter(T0, "input.jsonl:7", "missing required field 'user'", "{\"type\":\"tag\"}"),
        new DeadLetter(null, "user-events/3/1042", "not JSON", UNICODE),
        new DeadLetter(T2, null, null, null),
        new DeadLetter(T1, UNICODE, LONG, LONG),
        new DeadLetter(EPOCH, "", "", ""));
  }

  static List<DeliveryOutcome> deliveryOutcomes() {
    List<DeliveryOutcome> outcomes = new ArrayList<>();
    SendRequest r = sendRequests().get(0);
    outcomes.add(DeliveryOutcome.sent(r, T0, "wamid.HBgL"));
    outcomes.add(DeliveryOutcome.failed(r, T1, new PlatformError(131047, null), null));
    outcomes.add(DeliveryOutcome.failed(r, T2, new PlatformError(10, 2018278L), UNICODE));
    outcomes.add(
        DeliveryOutcome.failed(
            r, T0, new PlatformError(Long.MIN_VALUE, Long.MAX_VALUE), "connection reset"));
    outcomes.add(DeliveryOutcome.failed(r, T0, null, "no answer"));
    outcomes.add(DeliveryOutcome.expired(r, EPOCH, "pair"));
    for (DeliveryStatus s : DeliveryStatus.values()) {
      outcomes.add(new DeliveryOutcome(IG, T1, s, LONG, UNICODE, UNICODE, null, LONG));
    }
    outcomes.add(new DeliveryOutcome(WA, T2, DeliveryStatus.SENT, null, null, null, null, null));
    return outcomes;
  }

  static List<AccountStatus> accountStatuses() {
    List<AccountStatus> statuses = new ArrayList<>();
    for (Channel c : Channel.values()) {
      for (AccountState s : AccountState.values()) {
        statuses.add(new AccountStatus(T0, c, "acc-" + c, s));
      }
    }
    statuses.add(new AccountStatus(T2, Channel.WHATSAPP, UNICODE, AccountState.PAUSED));
    statuses.add(new AccountStatus(T1, Channel.MESSENGER, LONG, AccountState.ACTIVE));
    statuses.add(new AccountStatus(null, null, null, null));
    return statuses;
  }

  static List<UserRecord> userRecords() {
    UserState rich =
        new UserState(
            T0,
            T1,
            "/lead/ask-phone",
            T0,
            T2,
            List.of("started", "vip", UNICODE),
            new ConsentMark(true, T0),
            new ConsentMark(false, T1),
            List.of(new OtnToken("restock", "tok-1", T0), new OtnToken(UNICODE, LONG, T1)),
            List.of("restock", UNICODE),
            List.of(
                new Subscription("news", "rtok-1", Frequency.DAILY, T0, T1, false, T0, T1),
                new Subscription("offers", "rtok-2", Frequency.MONTHLY, T0, null, true, T1, null)),
            List.of(new OptinRequestMark("news", T0), new OptinRequestMark("offers", T1)),
            List.of(T0, T1));
    List<UserRecord> records = new ArrayList<>();
    records.add(UserRecord.EMPTY);
    records.add(new UserRecord(UserState.EMPTY, List.of(), List.of(), null));
    records.add(new UserRecord(rich, userEvents(), List.of(new PendingDecision(T0, "c-1")), T1));
    records.add(new UserRecord(null, userEvents().subList(0, 3), List.of(), null));
    records.add(new UserRecord(null, List.of(), List.of(), T2));
    records.add(
        new UserRecord(
            null,
            List.of(),
            IntStream.range(0, 500)
                .mapToObj(i -> new PendingDecision(T0.plusMillis(i), "campaign-" + i))
                .toList(),
            null));
    // Each optional part of the state alone, so every bit of the presence mask is used by itself.
    UserState e = UserState.EMPTY;
    records.add(record(e.toBuilder().lastInteractionAt(T0).build()));
    records.add(record(e.toBuilder().lastCtmAdAt(T1).build()));
    records.add(record(e.toBuilder().breadcrumb("/x", T2).build()));
    records.add(record(e.toBuilder().breadcrumb(UNICODE, null).build()));
    records.add(record(e.toBuilder().unreachableSince(EPOCH).build()));
    records.add(record(e.toBuilder().marketing(new ConsentMark(false, T0)).build()));
    records.add(record(e.toBuilder().utility(new ConsentMark(true, T1)).build()));
    records.add(record(e.toBuilder().utility(new ConsentMark(true, null)).build()));
    records.add(
        record(
            e.toBuilder()
                .tags(MANY)
                .otnTopics(MANY)
                .capSends(IntStream.range(0, 300).mapToObj(T0::plusSeconds).toList())
                .optinRequests(
                    IntStream.range(0, 200)
                        .mapToObj(i -> new OptinRequestMark("topic-" + i, T1.plusMillis(i)))
                        .toList())
                .otnTokens(
                    IntStream.range(0, 200)
                        .mapToObj(i -> new OtnToken("t-" + i, "tok-" + i, T0.plusMillis(i)))
                        .toList())
                .subscriptions(
                    IntStream.range(0, 150)
                        .mapToObj(
                            i ->
                                new Subscription(
                                    "topic-" + i,
                                    "rtok-" + i,
                                    Frequency.values()[i % 3],
                                    T0,
                                    i % 2 == 0 ? null : T1,
                                    i % 3 == 0,
                                    T0.plusMillis(i),
                                    i % 5 == 0 ? null : T1))
                        .toList())
                .build()));
    return records;
  }

  private static UserRecord record(UserState s) {
    return new UserRecord(s, List.of(), List.of(), null);
  }

  /** One row per serializer: its name, the serializer, and the values it must carry. */
  static Stream<Arguments> serializers() {
    return Stream.of(
        Arguments.of("UserKeySerializer", UserKeySerializer.INSTANCE, keys()),
        Arguments.of("UserEventSerializer", UserEventSerializer.INSTANCE, userEvents()),
        Arguments.of("ControlInputSerializer", ControlInputSerializer.INSTANCE, controlInputs()),
        Arguments.of("DecisionSerializer", DecisionSerializer.INSTANCE, decisions()),
        Arguments.of("SendRequestSerializer", SendRequestSerializer.INSTANCE, sendRequests()),
        Arguments.of("DeadLetterSerializer", DeadLetterSerializer.INSTANCE, deadLetters()),
        Arguments.of(
            "DeliveryOutcomeSerializer", DeliveryOutcomeSerializer.INSTANCE, deliveryOutcomes()),
        Arguments.of(
            "AccountStatusSerializer", AccountStatusSerializer.INSTANCE, accountStatuses()),
        Arguments.of("UserRecordSerializer", UserRecordSerializer.INSTANCE, userRecords()));
  }

  // ------------------------------------------------------------------ helpers

  private static <T> byte[] bytes(TypeSerializer<T> s, T value) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    s.serialize(value, out);
    return out.getCopyOfBuffer();
  }

  // ------------------------------------------------------------------ round trips

  @ParameterizedTest(name = "{0}")
  @MethodSource("serializers")
  <T> void everyValueSurvivesARoundTrip(String name, TypeSerializer<T> s, List<T> values)
      throws IOException {
    assertThat(values).isNotEmpty();
    for (T value : values) {
      DataInputDeserializer in = new DataInputDeserializer(bytes(s, value));

      T back = s.deserialize(in);

      assertThat(back).as(name).isEqualTo(value);
      assertThat(in.available()).as("%s reads exactly what it wrote", name).isZero();
      assertThat(s.deserialize(s.createInstance(), new DataInputDeserializer(bytes(s, value))))
          .isEqualTo(value);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serializers")
  <T> void valuesWrittenBackToBackReadBackInOrder(String name, TypeSerializer<T> s, List<T> values)
      throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    for (T value : values) {
      s.serialize(value, out);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());

    List<T> back = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      back.add(s.deserialize(in));
    }

    assertThat(back).isEqualTo(values);
    assertThat(in.available()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serializers")
  <T> void copyOfTheBinaryFormPreservesTheBytes(String name, TypeSerializer<T> s, List<T> values)
      throws IOException {
    DataOutputSerializer original = new DataOutputSerializer(64);
    for (T value : values) {
      s.serialize(value, original);
    }
    byte[] written = original.getCopyOfBuffer();
    DataInputDeserializer in = new DataInputDeserializer(written);
    DataOutputSerializer copied = new DataOutputSerializer(64);

    for (int i = 0; i < values.size(); i++) {
      s.copy(in, copied);
    }

    assertThat(copied.getCopyOfBuffer()).isEqualTo(written);
    assertThat(in.available()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serializers")
  <T> void valuesAreImmutableAndCopiedAsThemselves(
      String name, TypeSerializer<T> s, List<T> values) {
    assertThat(s.isImmutableType()).isTrue();
    assertThat(s.getLength()).isEqualTo(-1);
    assertThat(s.duplicate()).isSameAs(s);
    for (T value : values) {
      assertThat(s.copy(value)).isSameAs(value);
    }
  }

  // ------------------------------------------------------------------ snapshots

  @ParameterizedTest(name = "{0}")
  @MethodSource("serializers")
  <T> void aSnapshotReadBackRestoresACompatibleSerializer(
      String name, TypeSerializer<T> s, List<T> values) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, s.snapshotConfiguration());
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());

    TypeSerializerSnapshot<T> restored =
        TypeSerializerSnapshot.readVersionedSnapshot(in, SerializersTest.class.getClassLoader());

    assertThat(in.available()).isZero();
    assertThat(restored).isInstanceOf(s.snapshotConfiguration().getClass());
    assertThat(restored.restoreSerializer()).isInstanceOf(s.getClass()).isEqualTo(s);
    TypeSerializerSchemaCompatibility<T> compatibility =
        s.snapshotConfiguration().resolveSchemaCompatibility(restored);
    assertThat(compatibility.isCompatibleAsIs()).as(name).isTrue();
    // The restored serializer reads what the current one writes.
    TypeSerializer<T> old = restored.restoreSerializer();
    for (T value : values) {
      assertThat(old.deserialize(new DataInputDeserializer(bytes(s, value)))).isEqualTo(value);
    }
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void theSnapshotOfAnotherSerializerIsIncompatible() {
    TypeSerializerSnapshot current = UserRecordSerializer.INSTANCE.snapshotConfiguration();
    TypeSerializerSnapshot other = UserEventSerializer.INSTANCE.snapshotConfiguration();

    TypeSerializerSchemaCompatibility<?> compatibility = current.resolveSchemaCompatibility(other);

    assertThat(compatibility.isIncompatible()).isTrue();
  }

  // ------------------------------------------------------------------ coverage of the values

  @Test
  void theValuesCoverEveryUserEventType() {
    Set<Class<?>> covered = userEvents().stream().map(Object::getClass).collect(Collectors.toSet());

    assertThat(covered).containsExactlyInAnyOrder(UserEvent.class.getPermittedSubclasses());
    assertThat(userEvents().stream().map(UserEvent::type).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(UserEvent.TYPES);
  }

  @Test
  void theValuesCoverEveryCampaignRecordType() {
    Set<String> types = new HashSet<>();
    controlInputs().forEach(c -> types.add(c.record().type()));

    assertThat(types).containsExactlyInAnyOrderElementsOf(ControlRecord.TYPES);
  }

  /**
   * A campaign record in flight when an unaligned checkpoint was taken is read by the version that
   * restores it: a rule tightened since must not make it unreadable.
   */
  @Test
  void aCampaignRecordTodaysCodecRejectsStillCrossesBetweenTasks() throws IOException {
    String json =
        "{\"type\":\"reminder\",\"id\":\"r-1\",\"at\":\"2024-03-01T10:00:00Z\","
            + "\"channel\":\"messenger\",\"account\":\"page-1\",\"afterInactivity\":\"PT30H\","
            + "\"message\":{\"text\":\"Back?\"}}";
    assertThat(RecordCodec.parseControl(json).isOk()).as("today's codec").isFalse();
    ControlInput taken =
        new ControlInput(RecordCodec.readStoredControl(json).value(), "c/0/1", json);

    ControlInput back =
        ControlInputSerializer.INSTANCE.deserialize(
            new DataInputDeserializer(bytes(ControlInputSerializer.INSTANCE, taken)));

    assertThat(back).isEqualTo(taken);
  }

  @Test
  void theLongValuesAreLongerThanAnUnsignedShort() {
    assertThat(LONG.length()).isGreaterThan(65_535);
    assertThat(LONG.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isGreaterThan(65_535);
    assertThat(LONG.codePoints().anyMatch(Character::isSupplementaryCodePoint)).isTrue();
  }

  // ------------------------------------------------------------------ the key

  @Test
  void theKeyHashIsComputedFromStringsNotFromTheEnumIdentity() {
    UserKey key = new UserKey(Channel.MESSENGER, "page-1", "u-1");

    int expected = ("messenger".hashCode() * 31 + "page-1".hashCode()) * 31 + "u-1".hashCode();

    assertThat(key.hashCode()).isEqualTo(expected).isEqualTo(PINNED_HASH);
    assertThat(new UserKey(Channel.MESSENGER, "page-1", "u-1").hashCode())
        .isEqualTo(key.hashCode());
    for (Channel c : Channel.values()) {
      assertThat(new UserKey(c, "a", "b").hashCode())
          .isEqualTo((c.wire().hashCode() * 31 + "a".hashCode()) * 31 + "b".hashCode());
    }
  }

  @Test
  void theKeyLandsInAPinnedKeyGroup() throws IOException {
    UserKey key = new UserKey(Channel.MESSENGER, "page-1", "u-1");

    assertThat(KeyGroupRangeAssignment.assignToKeyGroup(key, 128)).isEqualTo(PINNED_KEY_GROUP);
    // A key read back from its bytes (as after a restore) lands in the same group.
    UserKey back =
        UserKeySerializer.INSTANCE.deserialize(
            new DataInputDeserializer(bytes(UserKeySerializer.INSTANCE, key)));
    assertThat(KeyGroupRangeAssignment.assignToKeyGroup(back, 128)).isEqualTo(PINNED_KEY_GROUP);
  }

  @Test
  void theKeyIsWrittenCompactly() throws IOException {
    byte[] b = bytes(UserKeySerializer.INSTANCE, new UserKey(Channel.WHATSAPP, "a", "b"));

    // channel ordinal, then two strings of one char, each length-prefixed in one byte.
    assertThat(b).hasSize(5);
    assertThat(b[0]).isEqualTo((byte) Channel.WHATSAPP.ordinal());
  }

  /** {@code ("messenger".hashCode() * 31 + "page-1".hashCode()) * 31 + "u-1".hashCode()}. */
  private static final int PINNED_HASH = 2_076_183_833;

  /** The key group of messenger/page-1/u-1 at max parallelism 128. */
  private static final int PINNED_KEY_GROUP = 16;

  @Test
  void enumOrdinalsAreUnchanged() {
    // Enums are written by ordinal: constants may only ever be appended.
    assertThat(Arrays.stream(Channel.values()).map(Enum::name))
        .containsExactly("MESSENGER", "INSTAGRAM", "WHATSAPP");
    assertThat(Arrays.stream(Frequency.values()).map(Enum::name))
        .containsExactly("DAILY", "WEEKLY", "MONTHLY");
    assertThat(Arrays.stream(DeliveryStatus.values()).map(Enum::name))
        .containsExactly("SENT", "DELIVERED", "READ", "FAILED", "EXPIRED");
    assertThat(Arrays.stream(AccountState.values()).map(Enum::name))
        .containsExactly("ACTIVE", "PAUSED");
  }
}
