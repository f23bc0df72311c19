package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SchemaLocation;
import dev.herald.schema.MalformedRecords.Row;
import dev.herald.schema.MalformedRecords.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON Schemas of {@code schemas/} against the codec, which is the reference behaviour: they
 * accept every record the codec accepts, reject every malformed record it rejects except the
 * cross-field checks no schema can express (pinned here: the schema accepts, the codec rejects),
 * and describe the records the pipeline writes.
 */
class SchemaAgreementTest {

  private static final String INPUT = "input-record.schema.json";
  private static final UserKey U1 = new UserKey(Channel.MESSENGER, "page-1", "u-1");
  private static final Instant T = Instant.parse("2021-05-03T10:00:00Z");

  // ------------------------------------------------------------------ the schema files

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaFiles")
  void everySchemaIsADraft202012SchemaWithItsIdTitleAndDescription(String file) throws Exception {
    JsonNode schema = readResource("/schemas/" + file);
    JsonSchema metaSchema =
        Schemas.FACTORY.getSchema(
            SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"), Schemas.CONFIG);

    assertThat(metaSchema.validate(schema)).as(file).isEmpty();
    assertThat(schema.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.path("$id").asText()).isEqualTo(Schemas.BASE + file);
    assertThat(schema.path("title").asText()).isNotBlank();
    assertThat(schema.path("description").asText()).isNotBlank();
    assertThat(Schemas.get(file)).isNotNull(); // every $ref resolves
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaFiles")
  void everyFieldIsDescribed(String file) throws Exception {
    Set<String> declared = new TreeSet<>();
    collectProperties(readResource("/schemas/" + file), declared, new TreeSet<>());
    // A conditional may restate a field of a shared type (message.text, template.category)
    // whose description is in wire-types.schema.json.
    Set<String> described = new TreeSet<>();
    for (String f : Schemas.FILES) {
      collectProperties(readResource("/schemas/" + f), new TreeSet<>(), described);
    }

    assertThat(declared).isNotEmpty();
    assertThat(described).as("fields without a description").containsAll(declared);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaFiles")
  void noSchemaForbidsUnknownFields(String file) throws Exception {
    assertThat(readResource("/schemas/" + file).toString())
        .doesNotContain("\"additionalProperties\":false")
        .doesNotContain("\"unevaluatedProperties\":false");
  }

  static Stream<String> schemaFiles() {
    return Schemas.FILES.stream();
  }

  // ------------------------------------------------------------------ valid input records

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.herald.schema.Examples#inputRecords")
  void theSchemaAcceptsEveryValidRecord(String where, String line) {
    assertThat(RecordCodec.parse(line).isOk()).as(where).isTrue();

    assertThat(Schemas.errors(INPUT, line)).as(where).isEmpty();
    assertThat(Schemas.errors(schemaOf(line), line)).as(where).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.herald.schema.Examples#inputRecords")
  void theSchemaAcceptsEveryRecordTheCodecWrites(String where, String line) {
    String written = RecordCodec.write(RecordCodec.parse(line).value());

    assertThat(Schemas.errors(INPUT, written)).as(written).isEmpty();
  }

  @Test
  void theTopicSchemasRejectEachOthersRecords() {
    String interaction = Examples.read("events-md.jsonl").get(0);
    String campaign = Examples.read("events-md.jsonl").get(1);
    String reminder = Examples.read("events-md.jsonl").get(2);
    String cancel = Examples.read("events-md.jsonl").get(3);

    assertThat(Schemas.errors("user-event.schema.json", campaign)).isNotEmpty();
    assertThat(Schemas.errors("user-event.schema.json", cancel)).isNotEmpty();
    assertThat(Schemas.errors("campaign.schema.json", interaction)).isNotEmpty();
    assertThat(Schemas.errors("campaign.schema.json", reminder)).isNotEmpty();
    assertThat(Schemas.errors("reminder.schema.json", campaign)).isNotEmpty();
    assertThat(Schemas.errors("cancel.schema.json", campaign)).isNotEmpty();
    assertThat(Schemas.errors("account.schema.json", cancel)).isNotEmpty();
  }

  // ------------------------------------------------------------------ malformed input records

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.herald.schema.MalformedRecords#rows")
  void theSchemaRejectsWhatTheCodecRejectsExceptTheCodecOnlyChecks(Row row) {
    Parsed<InputRecord> parsed = RecordCodec.parse(row.record());
    Set<String> errors = Schemas.errors(INPUT, row.record());

    assertThat(parsed.isOk()).as("the codec accepted it").isFalse();
    if (row.scope() == Scope.BOTH) {
      assertThat(errors).as("the schema accepted: %s", row.record()).isNotEmpty();
    } else {
      // The boundary: structurally valid, so the schema accepts, and only the codec rejects.
      assertThat(errors).as("the schema should leave this to the codec").isEmpty();
      assertThat(row.matches(parsed.reason())).as(parsed.reason()).isTrue();
    }
  }

  @Test
  void theSchemaAcceptsTheRecordsTheRowsBreak() {
    assertThat(MalformedRecords.bases())
        .allSatisfy(r -> assertThat(Schemas.errors(INPUT, r)).as(r).isEmpty());
  }

  @Test
  void theCodecOnlyChecksAreTheEndAfterTheStartAndTheReminderDelay() {
    assertThat(MalformedRecords.all().stream().filter(r -> r.scope() == Scope.CODEC_ONLY))
        .isNotEmpty()
        .allSatisfy(
            r ->
                assertThat(r.reason())
                    .containsAnyOf(
                        "must be after the start", "afterInactivity must be less than PT24H"));
  }

  // ------------------------------------------------------------------ the wire types alone

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "PT30M",
        "P7D",
        "P1DT12H",
        "PT1.5S",
        "P0D",
        "PT0S",
        "P0DT1H",
        "PT1H30M",
        "PT1H1S",
        "PT1M1S",
        "P1DT1M",
        "P1DT1S",
        "P10DT10H10M10.010S",
        "PT23H59M59.999S",
        "P1W",
        "P1M",
        "P1Y",
        "P1Y2M",
        "-PT1H",
        "PT-1H",
        "PT",
        "P",
        "",
        "P1DT",
        "PT1",
        "P1",
        "P1H",
        "PT1D",
        "PT1M1H",
        "PT1S1M",
        "PT.5S",
        "PT1.S",
        "PT1.5H",
        "pt30m",
        "P1dT1h",
        " PT30M",
        "PT30M ",
        "PT30MX",
        "T30M",
        "P1D1D",
        "PT1H1H",
        "P1,5D",
        "PT1,5S",
        "+PT1H",
        "PT1e3S"
      })
  void theDurationPatternAcceptsExactlyWhatTheCodecReads(String text) {
    boolean codec = Wire.parseDuration(text) != null;
    Set<String> schema = errorsOfDef("duration", text);

    assertThat(schema.isEmpty()).as("schema %s, codec %s", schema, codec).isEqualTo(codec);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "2021-05-01T09:12:00Z",
        "2021-05-01t09:12:00z",
        "2021-05-01T09:12:00.5+02:00",
        "2021-05-01T09:12:00.123456789-10:30",
        "2020-02-29T23:59:59Z",
        "2021-12-31T23:59:59+23:59",
        "2021-05-01T09:12:00",
        "2021-05-01T09:12Z",
        "2021-05-01 09:12:00Z",
        "2021-13-01T00:00:00Z",
        "2021-00-01T00:00:00Z",
        "2021-02-30T00:00:00Z",
        "2021-02-29T00:00:00Z",
        "2021-04-31T00:00:00Z",
        "2021-05-00T00:00:00Z",
        "2021-05-32T00:00:00Z",
        "2021-05-01T24:00:00Z",
        "2021-05-01T09:60:00Z",
        "2021-05-01T23:59:60Z",
        "2021-05-01T09:12:00+24:00",
        "2021-05-01T09:12:00+02:60",
        "2021-05-01T09:12:00+0200",
        "2021-05-01T09:12:00+02",
        "2021-05-01T09:12:00.Z",
        "21-05-01T09:12:00Z",
        "2021-5-1T09:12:00Z",
        "2021-05-01T9:12:00Z",
        "20210501T091200Z",
        "2021-05-01",
        "yesterday",
        "",
        " 2021-05-01T09:12:00Z",
        "2021-05-01T09:12:00Z "
      })
  void theInstantTypeAcceptsExactlyWhatTheCodecReads(String text) {
    boolean codec = Wire.parseInstant(text) != null;
    Set<String> schema = errorsOfDef("instant", text);

    assertThat(schema.isEmpty()).as("schema %s, codec %s", schema, codec).isEqualTo(codec);
  }

  /**
   * Where this validator's checks of the same schema part from the codec, below any record a system
   * would write: they are pinned so that a change of either side shows up here. The codec's reading
   * is the contract's (RFC 3339 allows any number of fraction digits and the offset -00:00; the
   * codec reads a whole string, so no line terminator may follow).
   */
  @Test
  void theValidatorsOwnDeviationsFromTheCodecAreKnown() {
    // The date-time format check of the validator allows at most nine fraction digits...
    assertThat(Wire.parseInstant("2021-05-01T09:12:00.1234567891Z"))
        .isEqualTo(Instant.parse("2021-05-01T09:12:00.123Z"));
    assertThat(errorsOfDef("instant", "2021-05-01T09:12:00.1234567891Z")).isNotEmpty();
    // ...rejects the offset -00:00 (UTC, local offset unknown)...
    assertThat(Wire.parseInstant("2021-05-01T09:12:00-00:00"))
        .isEqualTo(Instant.parse("2021-05-01T09:12:00Z"));
    assertThat(errorsOfDef("instant", "2021-05-01T09:12:00-00:00")).isNotEmpty();
    // ...and the JDK regex engine lets $ match before a final line terminator (ECMA-262 does not).
    assertThat(Wire.parseInstant("2021-05-01T09:12:00Z\n")).isNull();
    assertThat(errorsOfDef("instant", "2021-05-01T09:12:00Z\n")).isEmpty();
    assertThat(Wire.parseDuration("PT30M\n")).isNull();
    assertThat(errorsOfDef("duration", "PT30M\n")).isEmpty();
  }

  private static Set<String> errorsOfDef(String def, String text) {
    JsonSchema schema =
        Schemas.FACTORY.getSchema(
            SchemaLocation.of(Schemas.BASE + "wire-types.schema.json#/$defs/" + def),
            Schemas.CONFIG);
    return Schemas.errors(schema, Schemas.MAPPER.getNodeFactory().textNode(text));
  }

  // ------------------------------------------------------------------ records the pipeline writes

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.herald.schema.Examples#decisions")
  void theExpectedDecisionsOfTheExamplesAreValidDecisions(String where, String line) {
    assertThat(Schemas.errors("decision.schema.json", line)).as(where).isEmpty();
  }

  static Stream<Arguments> decisions() {
    return Stream.of(
        Arguments.of(
            "SEND on OTN with a variant",
            new Decision(
                "restock-42",
                U1,
                T,
                Outcome.SEND,
                Basis.OTN,
                "tok-1",
                "red",
                "/lead",
                null,
                false)),
        Arguments.of(
            "SEND on the window, nothing else",
            new Decision(
                "c", U1, T, Outcome.SEND, Basis.STANDARD_WINDOW, null, null, null, null, false)),
        Arguments.of(
            "SEND in a dry run",
            new Decision(
                "c", U1, T, Outcome.SEND, Basis.RECURRING, "rn-1", null, null, null, true)),
        Arguments.of(
            "SEND on a template at a millisecond",
            new Decision(
                "c",
                new UserKey(Channel.WHATSAPP, "phone-1", "48600100200"),
                Instant.parse("2021-05-03T10:00:00.004Z"),
                Outcome.SEND,
                Basis.TEMPLATE,
                null,
                "v2",
                null,
                null,
                false)),
        Arguments.of("SKIP", Decision.skip("c", U1, T, SkipReason.OUTSIDE_WINDOW, false)),
        Arguments.of(
            "SKIP in a dry run", Decision.skip("c", U1, T, SkipReason.FREQUENCY_CAPPED, true)),
        Arguments.of(
            "SKIP on Instagram",
            Decision.skip(
                "r-1",
                new UserKey(Channel.INSTAGRAM, "ig-1", "u"),
                T,
                SkipReason.REQUEST_LIMIT,
                false)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void decisionsTheCodecWritesAreValid(String what, Decision decision) {
    String json = RecordCodec.write(decision);

    assertThat(Schemas.errors("decision.schema.json", json)).as(json).isEmpty();
  }

  @Test
  void everySkipReasonIsADecisionReason() {
    for (SkipReason reason : SkipReason.values()) {
      String json = RecordCodec.write(Decision.skip("c", U1, T, reason, false));
      assertThat(Schemas.errors("decision.schema.json", json)).as(json).isEmpty();
    }
  }

  static Stream<Arguments> sendRequests() {
    Template template = new Template("restock_v2", "en_US", Category.MARKETING);
    UserKey wa = new UserKey(Channel.WHATSAPP, "phone-1", "48600100200");
    return Stream.of(
        Arguments.of(
            "standard window, text only",
            new SendRequest(
                "c/messenger/page-1/u-1",
                "c",
                U1,
                Basis.STANDARD_WINDOW,
                null,
                null,
                null,
                "Hi",
                null,
                NotificationType.REGULAR,
                T,
                T.plusSeconds(3600),
                null,
                null)),
        Arguments.of(
            "OTN with a token and a resume point",
            new SendRequest(
                "restock-42/messenger/page-1/u-1",
                "restock-42",
                U1,
                Basis.OTN,
                null,
                "tok-1",
                null,
                "Your red is back",
                "/lead/ask-phone",
                NotificationType.SILENT_PUSH,
                T,
                T.plusSeconds(86400),
                null,
                null)),
        Arguments.of(
            "message tag",
            new SendRequest(
                "c/messenger/page-1/u-1",
                "c",
                U1,
                Basis.MESSAGE_TAG,
                MessageTag.HUMAN_AGENT,
                null,
                null,
                "An agent answered",
                null,
                NotificationType.NO_PUSH,
                T,
                T.plusSeconds(600),
                null,
                null)),
        Arguments.of(
            "WhatsApp template without text",
            new SendRequest(
                "c/whatsapp/phone-1/48600100200",
                "c",
                wa,
                Basis.TEMPLATE,
                null,
                null,
                template,
                null,
                null,
                NotificationType.REGULAR,
                T,
                T.plusSeconds(86400),
                null,
                null)),
        Arguments.of(
            "reminder, with its decision instant in the request id",
            new SendRequest(
                "r-1/messenger/page-1/u-1/2021-05-03T10:36:00Z",
                "r-1",
                U1,
                Basis.STANDARD_WINDOW,
                null,
                null,
                null,
                "Shall we finish?",
                "/lead/ask-name",
                NotificationType.REGULAR,
                Instant.parse("2021-05-03T10:36:00.120Z"),
                Instant.parse("2021-05-04T10:06:00Z"),
                null,
                null)),
        Arguments.of(
            "opt-in request with topic and frequency",
            new SendRequest(
                "ask/messenger/page-1/u-1",
                "ask",
                U1,
                Basis.STANDARD_WINDOW,
                null,
                null,
                null,
                "Want weekly deals?",
                null,
                NotificationType.REGULAR,
                T,
                T.plusSeconds(7200),
                "deals",
                Frequency.WEEKLY)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sendRequests")
  void sendRequestsTheCodecWritesAreValid(String what, SendRequest request) {
    String json = RecordCodec.write(request);

    assertThat(Schemas.errors("send-request.schema.json", json)).as(json).isEmpty();
  }

  @Test
  void aSendRequestWritesTopicAndFrequencyOnlyForAnOptinRequest() {
    SendRequest plain = (SendRequest) sendRequests().toList().get(0).get()[1];
    SendRequest optin = (SendRequest) sendRequests().toList().get(5).get()[1];

    assertThat(RecordCodec.write(plain)).doesNotContain("topic").doesNotContain("frequency");
    assertThat(RecordCodec.write(optin)).endsWith(",\"topic\":\"deals\",\"frequency\":\"WEEKLY\"}");
  }

  @Test
  void deadLettersTheCodecWritesAreValid() {
    String record = "{\"type\":\"campaign\",\"id\":\"c-1\"}";
    Parsed<InputRecord> rejected = RecordCodec.parse(record);

    assertThat(
            Schemas.errors(
                "dead-letter.schema.json",
                RecordCodec.write(
                    DeadLetter.of(
                        Instant.parse("2021-05-03T08:00:00Z"),
                        "campaigns/0/42",
                        rejected.reason(),
                        record))))
        .isEmpty();
    assertThat(
            Schemas.errors(
                "dead-letter.schema.json",
                RecordCodec.write(DeadLetter.of(null, "input.jsonl:7", "empty record", ""))))
        .isEmpty();
    assertThat(
            Schemas.errors(
                "dead-letter.schema.json",
                RecordCodec.write(
                    DeadLetter.of(T, "input.jsonl:8", "too long", "x".repeat(10_000)))))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidOutputs")
  void theOutputSchemasRejectRecordsThatBreakTheContract(String schema, String what, String json) {
    assertThat(Schemas.errors(schema, json)).as(json).isNotEmpty();
  }

  static Stream<Arguments> invalidOutputs() {
    String send =
        "{'campaign':'c','channel':'messenger','account':'page-1','user':'u-1',"
            + "'at':'2021-05-03T10:00:00Z','outcome':'SEND','basis':'OTN','token':'tok-1',"
            + "'variant':null,'resumeAt':null,'reason':null";
    String request =
        "{'requestId':'c/messenger/page-1/u-1','campaign':'c','channel':'messenger',"
            + "'account':'page-1','user':'u-1','notificationType':'REGULAR',"
            + "'decidedAt':'2021-05-03T10:00:00Z','notAfter':'2021-05-03T11:00:00Z'";
    return Stream.of(
            Arguments.of(
                "decision.schema.json", "SEND with a reason", send + ",'reason':'NO_TOKEN'}"),
            Arguments.of(
                "decision.schema.json",
                "SEND without basis",
                send.replace("'basis':'OTN'", "'basis':null") + "}"),
            Arguments.of(
                "decision.schema.json",
                "SKIP without reason",
                send.replace("'SEND'", "'SKIP'").replace("'basis':'OTN'", "'basis':null") + "}"),
            Arguments.of("decision.schema.json", "dryRun false", send + ",'dryRun':false}"),
            Arguments.of(
                "decision.schema.json", "unknown outcome", send.replace("'SEND'", "'MAYBE'") + "}"),
            Arguments.of(
                "decision.schema.json",
                "unknown skip reason",
                send.replace("'SEND'", "'SKIP'").replace("'basis':'OTN'", "'basis':null")
                    + ",'reason':'BORED'}"),
            Arguments.of(
                "decision.schema.json",
                "at without offset",
                send.replace("10:00:00Z", "10:00:00") + "}"),
            Arguments.of("decision.schema.json", "empty token", send.replace("tok-1", "") + "}"),
            Arguments.of(
                "send-request.schema.json",
                "nothing to send",
                request + ",'basis':'STANDARD_WINDOW','text':null,'template':null}"),
            Arguments.of(
                "send-request.schema.json",
                "MESSAGE_TAG without tag",
                request + ",'basis':'MESSAGE_TAG','tag':null,'text':'Hi'}"),
            Arguments.of(
                "send-request.schema.json",
                "OTN without token",
                request + ",'basis':'OTN','token':null,'text':'Hi'}"),
            Arguments.of(
                "send-request.schema.json",
                "TEMPLATE without template",
                request + ",'basis':'TEMPLATE','template':null,'text':'Hi'}"),
            Arguments.of(
                "send-request.schema.json",
                "without basis",
                request + ",'basis':null,'text':'Hi'}"),
            Arguments.of(
                "send-request.schema.json",
                "without notAfter",
                request.replace(",'notAfter':'2021-05-03T11:00:00Z'", "")
                    + ",'basis':'STANDARD_WINDOW','text':'Hi'}"),
            Arguments.of(
                "dead-letter.schema.json",
                "without reason",
                "{'at':null,'source':'f:1','input':'x'}"),
            Arguments.of(
                "dead-letter.schema.json",
                "input as an object",
                "{'at':null,'source':'f:1','reason':'r','input':{}}"))
        .map(a -> Arguments.of(a.get()[0], a.get()[1], ((String) a.get()[2]).replace('\'', '"')));
  }

  // ------------------------------------------------------------------ helpers

  /** The schema of one record type. */
  private static String schemaOf(String line) {
    String type = RecordCodec.parse(line).value().type();
    return switch (type) {
      case "campaign", "reminder", "cancel", "account" -> type + ".schema.json";
      default -> "user-event.schema.json";
    };
  }

  private static JsonNode readResource(String path) throws IOException {
    try (InputStream in = SchemaAgreementTest.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return Schemas.MAPPER.readTree(in);
    }
  }

  /**
   * Every property name declared anywhere in {@code node} (under a {@code properties} keyword), and
   * those declared at least once with a description. Conditionals restate a property's type without
   * describing it again; the description is the one of its declaration.
   */
  private static void collectProperties(
      JsonNode node, Set<String> declared, Set<String> described) {
    if (node.isArray()) {
      node.forEach(n -> collectProperties(n, declared, described));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    JsonNode properties = node.get("properties");
    if (properties instanceof ObjectNode props) {
      for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        declared.add(field.getKey());
        if (field.getValue().path("description").isTextual()) {
          described.add(field.getKey());
        }
      }
    }
    node.forEach(n -> collectProperties(n, declared, described));
  }
}
