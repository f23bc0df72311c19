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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON Schemas of {@code schemas/} against the codec, which is the reference behaviour: they
 * accept every record the codec accepts, reject every malformed record it rejects except the checks
 * no schema can express (pinned here: the schema accepts, the codec rejects), state the same bounds
 * as {@link Bounds}, and describe the records the pipeline writes. Where this validator or the
 * schema parts from the codec in ways no record a system writes would meet, the difference is
 * pinned too.
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

  /**
   * The checks only the codec makes, as docs/records.md ("Schema files") and {@link RecordCodec}
   * list them, each with the words of its reason. Well-formed UTF-8 is one too; the rows are text,
   * so {@code PoisonRecordsTest} covers it.
   */
  static final Map<String, String> CODEC_ONLY_CHECKS =
      Map.of(
          "an end after the start", "must be after the start",
          "a reminder delay under 24 hours", "afterInactivity must be less than PT24H",
          "the range of an instant once its offset is applied",
              "outside the instants a record may carry",
          "an audience duration of at most P36500D", ", longer than P36500D, the longest it may be",
          "no lone UTF-16 surrogate", "contains a lone UTF-16 surrogate",
          "no field given twice", "appears twice in the record",
          "the nesting of the whole record", "nests objects and arrays more than 64 levels deep",
          "the size of the whole record", "the record is larger than 1048576 bytes (1 MiB)");

  @Test
  void theCodecOnlyChecksAreTheDocumentedOnesAndEachHasARow() {
    List<Row> codecOnly =
        MalformedRecords.all().stream().filter(r -> r.scope() == Scope.CODEC_ONLY).toList();

    assertThat(codecOnly)
        .isNotEmpty()
        .allSatisfy(
            r ->
                assertThat(
                        CODEC_ONLY_CHECKS.values().stream()
                            .filter(words -> r.reason().contains(words))
                            .count())
                    .as("%s: %s", r.what(), r.reason())
                    .isEqualTo(1));
    assertThat(CODEC_ONLY_CHECKS)
        .allSatisfy(
            (check, words) ->
                assertThat(codecOnly).as(check).anyMatch(r -> r.reason().contains(words)));
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
        "2021-05-01T09:12:00+18:00",
        "2021-05-01T09:12:00-18:00",
        "1970-01-01T00:00:00Z",
        "1970-01-01T00:00:00-00:01",
        "1970-01-01T18:00:00+18:00",
        "1969-12-31T23:59:59.999Z",
        "1900-01-01T00:00:00Z",
        "1000-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z",
        "9999-12-31T23:59:59.999999999Z",
        "9999-12-31T23:59:59+00:01",
        "10000-01-01T00:00:00Z",
        "+2021-05-01T09:12:00Z",
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
  void theInstantTypeAcceptsExactlyWhatTheCodecAccepts(String text) {
    Instant instant = Wire.parseInstant(text);
    boolean codec = instant != null && Bounds.isWithin(instant);
    Set<String> schema = errorsOfDef("instant", text);

    assertThat(schema.isEmpty()).as("schema %s, codec %s", schema, codec).isEqualTo(codec);
  }

  /**
   * An instant written in the years 1970 to 9999 whose offset moves it out of them in UTC: the
   * pattern cannot apply an offset, so the range once it is applied is the codec's to check.
   */
  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "1970-01-01T00:00:00+00:01",
        "1970-01-01T05:29:59.999+05:30",
        "9999-12-31T23:59:59.999-00:01",
        "9999-12-31T23:00:00-01:00",
        "9999-12-31T06:00:00-18:00"
      })
  void anInstantMovedOutOfRangeByItsOffsetIsForTheCodecAlone(String text) {
    Instant instant = Wire.parseInstant(text);

    assertThat(instant).isNotNull();
    assertThat(Bounds.isWithin(instant)).as("%s is %s", text, instant).isFalse();
    assertThat(errorsOfDef("instant", text)).isEmpty();
  }

  /**
   * The one place the schema is stricter than the codec: its pattern reads the years 1970 to 9999
   * as written, so an instant written on the last day of 1969 with a negative offset that puts it
   * in 1970 in UTC is rejected by the schema and accepted by the codec. Pinned, so that moving
   * either shows up here; no system writes such a record.
   */
  @Test
  void anInstantWrittenIn1969ThatIsIn1970InUtcIsRejectedByTheSchemaAlone() {
    for (String text : List.of("1969-12-31T23:00:00-01:00", "1969-12-31T23:59:59.999-00:01")) {
      Instant instant = Wire.parseInstant(text);
      assertThat(Bounds.isWithin(instant)).as(text).isTrue();
      assertThat(errorsOfDef("instant", text))
          .as(text)
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e).contains("regex"));
    }
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
    // ...stops offsets at ±18:00 (java.time's ZoneOffset), where RFC 3339 and the codec go to
    // ±23:59: the schema's pattern accepts them, its date-time format (as this validator checks it)
    // does not...
    for (String beyond18 :
        List.of(
            "2021-12-31T23:59:59+23:59",
            "2021-05-01T09:12:00-23:59",
            "2021-05-01T09:12:00+18:01",
            "1970-01-01T23:59:00+23:59")) {
      Instant instant = Wire.parseInstant(beyond18);
      assertThat(instant).as(beyond18).isNotNull();
      assertThat(Bounds.isWithin(instant)).as(beyond18).isTrue();
      assertThat(errorsOfDef("instant", beyond18))
          .as(beyond18)
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e).contains("date-time").doesNotContain("regex"));
    }
    assertThat(Wire.parseInstant("2021-05-01T09:12:00+23:59"))
        .isEqualTo(Instant.parse("2021-05-01T09:12:00Z").minusSeconds(23 * 3600 + 59 * 60));
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

  // ------------------------------------------------------------------ the bounds

  /** The def of {@code wire-types.schema.json} for a kind of string. */
  private static String defOf(Bounds.Strings kind) {
    return switch (kind) {
      case NAME -> "name";
      case REFERENCE -> "reference";
      case REQUEST_ID -> "requestId";
      case TEXT -> "messageText";
    };
  }

  /**
   * Strings at the edges of every kind: one character either side of the longest length, in ASCII
   * and outside the BMP (a code point is one character), and every character from U+0000 to U+00A0
   * at the start, inside and at the end of a string (the end catches a pattern whose {@code $}
   * matches before a final line terminator).
   */
  private static List<String> edgesOf(Bounds.Strings kind) {
    List<String> samples = new ArrayList<>();
    for (int length : new int[] {kind.maxLength - 1, kind.maxLength, kind.maxLength + 1}) {
      samples.add("x".repeat(length));
      samples.add("\uD83D\uDE00".repeat(length));
      samples.add("é".repeat(length - 1) + "\uD83D\uDE00");
    }
    for (char c = 0; c <= 0xA0; c++) {
      samples.add(c + "x");
      samples.add("x" + c + "x");
      samples.add("x" + c);
      samples.add(String.valueOf(c));
    }
    samples.addAll(List.of("x\u2028x", "x\u2029", "\uFEFFx", "x\uFFFD", "\u00AD", "x\r\n"));
    return samples;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Bounds.Strings.class)
  void eachKindOfStringHasADefThatAcceptsExactlyWhatTheCodecAccepts(Bounds.Strings kind) {
    String def = defOf(kind);
    String optional = "optional" + Character.toUpperCase(def.charAt(0)) + def.substring(1);

    for (String s : edgesOf(kind)) {
      boolean codec = kind.problem(s) == null;
      String shown = Text.quote(s) + " as " + kind;
      assertThat(errorsOfDef(def, s).isEmpty()).as(shown).isEqualTo(codec);
      assertThat(errorsOfDef(optional, s).isEmpty()).as(shown).isEqualTo(codec);
    }
    assertThat(errorsOfDef(def, "")).isNotEmpty(); // the codec: "must not be empty"
    assertThat(errorsOfDef(def, Schemas.MAPPER.nullNode())).isNotEmpty();
    assertThat(errorsOfDef(optional, Schemas.MAPPER.nullNode())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Bounds.Strings.class)
  void aLoneSurrogateIsForTheCodecAlone(Bounds.Strings kind) {
    for (String s : List.of("x\uD800", "\uDC00x", "x\uDE00\uD83Dx", "\uD83D")) {
      assertThat(kind.problem(s)).as(Text.quote(s)).contains("lone UTF-16 surrogate");
      assertThat(errorsOfDef(defOf(kind), s)).as(Text.quote(s)).isEmpty();
    }
    assertThat(kind.problem("x\uD83D\uDE00")).isNull();
  }

  @Test
  void theNumbersOfTheSchemasAreThoseOfBounds() throws IOException {
    JsonNode defs = readResource("/schemas/wire-types.schema.json").get("$defs");
    JsonNode campaign = readResource("/schemas/campaign.schema.json").get("properties");
    JsonNode error = findProperty(readResource("/schemas/user-event.schema.json"), "error");

    for (Bounds.Strings kind : Bounds.Strings.values()) {
      assertThat(defs.at("/" + defOf(kind) + "/maxLength").asInt()).isEqualTo(kind.maxLength);
    }
    assertThat(defs.at("/optionalTags/maxItems").asInt()).isEqualTo(Bounds.MAX_TAGS);
    assertThat(defs.at("/optionalUsers/maxItems").asInt()).isEqualTo(Bounds.MAX_USERS);
    assertThat(defs.at("/message/properties/variants/maxItems").asInt())
        .isEqualTo(Bounds.MAX_VARIANTS);
    assertThat(campaign.at("/rate/minimum").asDouble()).isEqualTo(Bounds.MIN_RATE);
    assertThat(campaign.at("/rate/maximum").asDouble()).isEqualTo(Bounds.MAX_RATE);
    for (String field : List.of("code", "subcode")) {
      assertThat(error.at("/properties/" + field + "/minimum").asLong()).isZero();
      assertThat(error.at("/properties/" + field + "/maximum").asLong())
          .isEqualTo(Bounds.MAX_ERROR_CODE);
    }
  }

  @ParameterizedTest(name = "rate {0}")
  @ValueSource(
      strings = {"0", "1e-300", "0.0000099", "0.00001", "0.5", "1e9", "1000000000.5", "1e10", "-1"})
  void theRateAcceptsExactlyWhatTheCodecAccepts(String rate) {
    String record =
        "{\"type\":\"campaign\",\"id\":\"c\",\"at\":\"2021-05-03T08:00:00Z\","
            + "\"channel\":\"messenger\",\"account\":\"p\",\"message\":{\"text\":\"Hi\"},"
            + "\"rate\":"
            + rate
            + "}";

    assertThat(Schemas.errors(INPUT, record).isEmpty())
        .as(rate)
        .isEqualTo(RecordCodec.parse(record).isOk());
  }

  /** The first property {@code name} declared anywhere in {@code node}. */
  private static JsonNode findProperty(JsonNode node, String name) {
    JsonNode direct = node.path("properties").get(name);
    if (direct != null) {
      return direct;
    }
    for (JsonNode child : node) {
      JsonNode found = findProperty(child, name);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static Set<String> errorsOfDef(String def, String text) {
    return errorsOfDef(def, Schemas.MAPPER.getNodeFactory().textNode(text));
  }

  private static Set<String> errorsOfDef(String def, JsonNode node) {
    JsonSchema schema =
        Schemas.FACTORY.getSchema(
            SchemaLocation.of(Schemas.BASE + "wire-types.schema.json#/$defs/" + def),
            Schemas.CONFIG);
    return Schemas.errors(schema, node);
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
