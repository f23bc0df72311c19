package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.schema.ControlRecord.AccountStatus;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Cancel;
import dev.herald.schema.ControlRecord.Reminder;
import dev.herald.schema.UserEvent.Consent;
import dev.herald.schema.UserEvent.Delivery;
import dev.herald.schema.UserEvent.Interaction;
import dev.herald.schema.UserEvent.RecurringOptin;
import dev.herald.schema.UserEvent.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec against the wire contract: every example of spec/EVENTS.md and of the worked scenarios
 * parses, writing and parsing again gives the same value, the normalizations the contract names
 * happen, and every malformed record of {@link MalformedRecords} is rejected with its reason.
 */
class RecordCodecTest {

  private static final UserKey U1 = new UserKey(Channel.MESSENGER, "page-1", "u-1");

  // ------------------------------------------------------------------ valid records

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.herald.schema.Examples#inputRecords")
  void everyExampleParses(String where, String line) {
    Parsed<InputRecord> parsed = RecordCodec.parse(line);

    assertThat(parsed.reason()).as(where).isNull();
    assertThat(parsed.isOk()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.herald.schema.Examples#inputRecords")
  void writingAndParsingAgainGivesAnEqualValue(String where, String line) {
    InputRecord first = RecordCodec.parse(line).value();

    String written = RecordCodec.write(first);
    Parsed<InputRecord> again = RecordCodec.parse(written);

    assertThat(again.reason()).as(written).isNull();
    assertThat(again.value()).as(where).isEqualTo(first);
    assertThat(RecordCodec.write(again.value())).isEqualTo(written);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.herald.schema.Examples#inputRecords")
  void theTopicEntryPointsAcceptTheirOwnRecords(String where, String line) {
    InputRecord record = RecordCodec.parse(line).value();

    if (record instanceof UserEvent) {
      assertThat(RecordCodec.parseUserEvent(line).value()).as(where).isEqualTo(record);
    } else {
      assertThat(RecordCodec.parseControl(line).value()).as(where).isEqualTo(record);
    }
  }

  @Test
  void theEventsMdExamplesReadAsTheContractDescribes() {
    List<String> lines = Examples.read("events-md.jsonl");

    assertThat(RecordCodec.parse(lines.get(0)).value())
        .isEqualTo(
            new Interaction(
                U1,
                Instant.parse("2021-05-01T09:12:00Z"),
                null,
                InteractionKind.MESSAGE,
                "/lead/ask-phone",
                true));
    Campaign campaign = (Campaign) RecordCodec.parse(lines.get(1)).value();
    assertThat(campaign)
        .isEqualTo(
            new Campaign(
                "restock-42",
                Instant.parse("2021-05-03T08:00:00Z"),
                Channel.MESSENGER,
                "page-1",
                CampaignKind.MESSAGE,
                Instant.parse("2021-05-03T10:00:00Z"),
                Instant.parse("2021-05-04T10:00:00Z"),
                true,
                new Audience(
                    List.of("started"), List.of(), List.of("finished"), null, null, List.of()),
                Fallback.OTN,
                null,
                "restock",
                null,
                null,
                new Message(
                    "Back in stock!",
                    Message.BREADCRUMB,
                    List.of(new Message.Variant("red", List.of("red-wine"), "Your red is back"))),
                NotificationType.REGULAR,
                null,
                false));
    assertThat(campaign.start()).isEqualTo(Instant.parse("2021-05-03T10:00:00Z"));
    assertThat(campaign.category()).isEqualTo(Category.MARKETING);
    Reminder reminder = (Reminder) RecordCodec.parse(lines.get(2)).value();
    assertThat(reminder.afterInactivity()).isEqualTo(Duration.ofMinutes(30));
    assertThat(reminder.promotional()).isTrue();
    assertThat(reminder.message().resumeAt()).isEqualTo(Message.BREADCRUMB);
    assertThat(RecordCodec.parse(lines.get(3)).value())
        .isEqualTo(new Cancel("restock-42", Instant.parse("2021-05-03T11:00:00Z")));
  }

  // ------------------------------------------------------------------ normalization

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "2021-05-01T09:12:00Z,                2021-05-01T09:12:00Z",
    "2021-05-01T11:12:00+02:00,           2021-05-01T09:12:00Z",
    "2021-05-01T00:30:00+05:30,           2021-04-30T19:00:00Z",
    "2021-04-30T23:30:00-10:30,           2021-05-01T10:00:00Z",
    "2021-12-31T23:00:00-01:00,           2022-01-01T00:00:00Z",
    "2021-05-01t09:12:00z,                2021-05-01T09:12:00Z",
    "2021-05-01T09:12:00.5Z,              2021-05-01T09:12:00.500Z",
    "2021-05-01T09:12:00.12Z,             2021-05-01T09:12:00.120Z",
    "2021-05-01T09:12:00.123Z,            2021-05-01T09:12:00.123Z",
    "2021-05-01T09:12:00.123999Z,         2021-05-01T09:12:00.123Z",
    "2021-05-01T09:12:00.999999999+02:00, 2021-05-01T07:12:00.999Z",
    "2021-05-01T09:12:00.0001Z,           2021-05-01T09:12:00Z",
    "2020-02-29T12:00:00Z,                2020-02-29T12:00:00Z",
    "2021-05-01T09:12:00-00:00,           2021-05-01T09:12:00Z",
  })
  void instantsAreNormalizedToUtcAndTruncatedToMilliseconds(String written, String expected) {
    String line =
        "{\"type\":\"interaction\",\"at\":\""
            + written
            + "\",\"channel\":\"messenger\",\"account\":\"page-1\",\"user\":\"u-1\"}";

    InputRecord record = RecordCodec.parse(line).value();

    assertThat(record.at()).isEqualTo(Instant.parse(expected));
    assertThat(RecordCodec.write(record)).contains("\"at\":\"" + Wire.format(record.at()) + "\"");
    assertThat(Wire.format(record.at())).endsWith("Z");
  }

  @Test
  void outputInstantsShowMillisecondsOnlyWhenNotZero() {
    assertThat(Wire.format(Instant.parse("2021-05-01T09:12:00Z")))
        .isEqualTo("2021-05-01T09:12:00Z");
    assertThat(Wire.format(Instant.parse("2021-05-01T09:12:00.100Z")))
        .isEqualTo("2021-05-01T09:12:00.100Z");
    assertThat(Wire.format(Instant.parse("2021-05-01T09:12:00.123456Z")))
        .isEqualTo("2021-05-01T09:12:00.123Z");
  }

  @ParameterizedTest(name = "{0} is {1} s, written {2}")
  @CsvSource({
    "PT30M,           1800,      PT30M",
    "P7D,             604800,    P7D",
    "P1DT12H,         129600,    P1DT12H",
    "PT24H,           86400,     P1D",
    "PT90M,           5400,      PT1H30M",
    "PT1.5S,          1.5,       PT1.500S",
    "PT0.0001S,       0,         PT0S",
    "P0D,             0,         PT0S",
    "PT23H59M59.999S, 86399.999, PT23H59M59.999S",
    "P0DT1H,          3600,      PT1H",
    "P1DT1H1M1S,      90061,     P1DT1H1M1S",
  })
  void durationsReadDaysHoursMinutesAndSeconds(
      String written, java.math.BigDecimal seconds, String formatted) {
    Duration d = Wire.parseDuration(written);

    assertThat(d).isEqualTo(Duration.ofMillis(seconds.movePointRight(3).longValueExact()));
    assertThat(Wire.format(d)).isEqualTo(formatted);
    assertThat(Wire.parseDuration(formatted)).isEqualTo(d);
  }

  @Test
  void aReminderKeepsItsDelayThroughAWrite() {
    String line =
        "{\"type\":\"reminder\",\"id\":\"r\",\"at\":\"2021-05-01T00:00:00Z\",\"channel\":\"messenger\","
            + "\"account\":\"page-1\",\"afterInactivity\":\"PT90M\",\"message\":{\"text\":\"Hi\"}}";

    Reminder reminder = (Reminder) RecordCodec.parse(line).value();

    assertThat(reminder.afterInactivity()).isEqualTo(Duration.ofMinutes(90));
    assertThat(RecordCodec.write(reminder)).contains("\"afterInactivity\":\"PT1H30M\"");
  }

  // ------------------------------------------------------------------ absent, null, unknown

  @Test
  void optionalFieldsGivenAsNullAreAbsent() {
    String withNulls =
        "{\"type\":\"campaign\",\"id\":\"c\",\"at\":\"2021-05-03T08:00:00Z\",\"channel\":\"messenger\","
            + "\"account\":\"page-1\",\"kind\":null,\"startAt\":null,\"endAt\":null,"
            + "\"promotional\":null,\"audience\":null,\"outsideWindow\":null,\"tag\":null,"
            + "\"topic\":null,\"frequency\":null,\"template\":null,"
            + "\"message\":{\"text\":\"Hi\",\"resumeAt\":null,\"variants\":null},"
            + "\"notificationType\":null,\"rate\":null,\"dryRun\":null}";
    String without =
        "{\"type\":\"campaign\",\"id\":\"c\",\"at\":\"2021-05-03T08:00:00Z\",\"channel\":\"messenger\","
            + "\"account\":\"page-1\",\"message\":{\"text\":\"Hi\"}}";

    Campaign campaign = (Campaign) RecordCodec.parse(withNulls).value();

    assertThat(campaign).isEqualTo(RecordCodec.parse(without).value());
    assertThat(campaign.kind()).isEqualTo(CampaignKind.MESSAGE);
    assertThat(campaign.promotional()).isTrue();
    assertThat(campaign.audience()).isEqualTo(Audience.EVERYONE);
    assertThat(campaign.outsideWindow()).isEqualTo(Fallback.SKIP);
    assertThat(campaign.notificationType()).isEqualTo(NotificationType.REGULAR);
    assertThat(campaign.rate()).isNull();
    assertThat(campaign.dryRun()).isFalse();
    assertThat(campaign.start()).isEqualTo(campaign.at());
  }

  @Test
  void nullOptionalFieldsOfUserEventsAreAbsent() {
    Parsed<InputRecord> interaction =
        RecordCodec.parse(
            "{\"type\":\"interaction\",\"at\":\"2021-05-01T09:12:00Z\",\"channel\":\"messenger\","
                + "\"account\":\"page-1\",\"user\":\"u-1\",\"id\":null,\"kind\":null,"
                + "\"interaction\":null,\"breadcrumb\":null}");
    Parsed<InputRecord> tag =
        RecordCodec.parse(
            "{\"type\":\"tag\",\"at\":\"2021-05-01T09:12:00Z\",\"channel\":\"messenger\","
                + "\"account\":\"page-1\",\"user\":\"u-1\",\"add\":null,\"remove\":[\"x\"]}");
    Parsed<InputRecord> delivery =
        RecordCodec.parse(
            "{\"type\":\"delivery\",\"at\":\"2021-05-01T09:12:00Z\",\"channel\":\"messenger\","
                + "\"account\":\"page-1\",\"user\":\"u-1\",\"status\":\"failed\","
                + "\"requestId\":null,\"campaign\":null,\"error\":{\"code\":551,\"subcode\":null}}");
    Parsed<InputRecord> consent =
        RecordCodec.parse(
            "{\"type\":\"optout\",\"at\":\"2021-05-01T09:12:00Z\",\"channel\":\"whatsapp\","
                + "\"account\":\"p\",\"user\":\"u\",\"category\":null}");

    assertThat(interaction.value())
        .isEqualTo(
            new Interaction(
                U1,
                Instant.parse("2021-05-01T09:12:00Z"),
                null,
                InteractionKind.MESSAGE,
                null,
                false));
    assertThat(tag.value())
        .isEqualTo(
            new Tag(U1, Instant.parse("2021-05-01T09:12:00Z"), null, List.of(), List.of("x")));
    assertThat(delivery.value())
        .isEqualTo(
            new Delivery(
                U1,
                Instant.parse("2021-05-01T09:12:00Z"),
                null,
                DeliveryStatus.FAILED,
                null,
                null,
                new PlatformError(551, null)));
    assertThat(((Consent) consent.value()).category()).isNull();
    assertThat(((Consent) consent.value()).optIn()).isFalse();
  }

  @Test
  void unknownFieldsAreIgnored() {
    String plain =
        "{\"type\":\"recurring_optin\",\"at\":\"2021-05-01T09:14:00Z\",\"channel\":\"messenger\","
            + "\"account\":\"page-1\",\"user\":\"u-1\",\"topic\":\"deals\",\"token\":\"rn-1\","
            + "\"frequency\":\"WEEKLY\"}";
    String withUnknown =
        plain.substring(0, plain.length() - 1)
            + ",\"future\":{\"x\":[1,2,{}]},\"kind\":42,\"breadcrumb\":\"not mine\",\"v\":null}";

    assertThat(RecordCodec.parse(withUnknown).value())
        .isEqualTo(RecordCodec.parse(plain).value())
        .isEqualTo(
            new RecurringOptin(
                U1,
                Instant.parse("2021-05-01T09:14:00Z"),
                null,
                "deals",
                "rn-1",
                Frequency.WEEKLY,
                null));
  }

  @Test
  void anIntegralErrorCodeWrittenAsADecimalIsAnInteger() {
    Delivery d =
        (Delivery)
            RecordCodec.parse(
                    "{\"type\":\"delivery\",\"at\":\"2021-05-01T09:12:00Z\",\"channel\":\"whatsapp\","
                        + "\"account\":\"p\",\"user\":\"u\",\"status\":\"failed\","
                        + "\"error\":{\"code\":131026.0,\"subcode\":1e2}}")
                .value();

    assertThat(d.error()).isEqualTo(new PlatformError(131026, 100L));
  }

  @Test
  void theAccountRecordReadsItsStatus() {
    assertThat(
            RecordCodec.parse(
                    "{\"type\":\"account\",\"at\":\"2021-05-03T09:00:00Z\",\"channel\":\"whatsapp\","
                        + "\"account\":\"phone-1\",\"status\":\"PAUSED\"}")
                .value())
        .isEqualTo(
            new AccountStatus(
                Instant.parse("2021-05-03T09:00:00Z"),
                Channel.WHATSAPP,
                "phone-1",
                AccountState.PAUSED));
  }

  // ------------------------------------------------------------------ entry points per topic

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "campaign | {\"type\":\"campaign\",\"id\":\"c\",\"at\":\"2021-05-03T08:00:00Z\","
            + "\"channel\":\"messenger\",\"account\":\"p\",\"message\":{\"text\":\"Hi\"}}",
        "reminder | {\"type\":\"reminder\",\"id\":\"r\",\"at\":\"2021-05-01T00:00:00Z\","
            + "\"channel\":\"messenger\",\"account\":\"p\",\"afterInactivity\":\"PT30M\","
            + "\"message\":{\"text\":\"Hi\"}}",
        "cancel   | {\"type\":\"cancel\",\"campaign\":\"c\",\"at\":\"2021-05-03T11:00:00Z\"}",
        "account  | {\"type\":\"account\",\"at\":\"2021-05-03T09:00:00Z\","
            + "\"channel\":\"messenger\",\"account\":\"p\",\"status\":\"ACTIVE\"}",
      })
  void parseUserEventRejectsCampaignRecords(String type, String line) {
    assertThat(RecordCodec.parse(line).isOk()).isTrue();

    Parsed<UserEvent> parsed = RecordCodec.parseUserEvent(line);

    assertThat(parsed.isOk()).isFalse();
    assertThat(parsed.reason()).isEqualTo("a " + type + " record is not a user event");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "interaction | {\"type\":\"interaction\",\"at\":\"2021-05-01T09:12:00Z\","
            + "\"channel\":\"messenger\",\"account\":\"p\",\"user\":\"u\"}",
        "delivery    | {\"type\":\"delivery\",\"at\":\"2021-05-01T09:12:00Z\","
            + "\"channel\":\"messenger\",\"account\":\"p\",\"user\":\"u\",\"status\":\"sent\"}",
        "erase       | {\"type\":\"erase\",\"at\":\"2021-05-01T09:12:00Z\","
            + "\"channel\":\"messenger\",\"account\":\"p\",\"user\":\"u\"}",
      })
  void parseControlRejectsUserEvents(String type, String line) {
    assertThat(RecordCodec.parse(line).isOk()).isTrue();

    Parsed<ControlRecord> parsed = RecordCodec.parseControl(line);

    assertThat(parsed.isOk()).isFalse();
    assertThat(parsed.reason()).isEqualTo("a user event (" + type + ") is not a campaign record");
  }

  @Test
  void theTopicEntryPointsNameTheirOwnTypesForAnUnknownType() {
    String line = "{\"type\":\"click\",\"at\":\"2021-05-01T09:12:00Z\"}";

    assertThat(RecordCodec.parseUserEvent(line).reason())
        .isEqualTo(
            "unknown user event type 'click' (expected one of interaction, tag, otn_optin,"
                + " recurring_optin, recurring_status, optin_request, optin, optout, delivery,"
                + " erase)");
    assertThat(RecordCodec.parseControl(line).reason())
        .isEqualTo(
            "unknown campaign record type 'click' (expected one of campaign, reminder, cancel,"
                + " account)");
  }

  // ------------------------------------------------------------------ malformed records

  @Test
  void theTableOfMalformedRecordsIsLarge() {
    assertThat(MalformedRecords.all()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(MalformedRecords.all().stream().map(MalformedRecords.Row::what))
        .doesNotHaveDuplicates();
  }

  @Test
  void theRecordsTheRowsBreakAreValid() {
    assertThat(MalformedRecords.bases())
        .allSatisfy(r -> assertThat(RecordCodec.parse(r).reason()).as(r).isNull());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.herald.schema.MalformedRecords#rows")
  void aMalformedRecordIsRejectedWithItsReason(MalformedRecords.Row row) {
    Parsed<InputRecord> parsed = RecordCodec.parse(row.record());

    assertThat(parsed.isOk()).as("accepted: %s", row.record()).isFalse();
    assertThat(row.matches(parsed.reason()))
        .as("reason was <%s>, expected <%s>", parsed.reason(), row.reason())
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.herald.schema.MalformedRecords#rows")
  void theTopicEntryPointsRejectAMalformedRecordToo(MalformedRecords.Row row) {
    assertThat(RecordCodec.parseUserEvent(row.record()).isOk()).isFalse();
    assertThat(RecordCodec.parseControl(row.record()).isOk()).isFalse();
  }

  // ------------------------------------------------------------------ output records

  @Test
  void aDecisionIsWrittenWithEveryFieldAndDryRunOnlyWhenTrue() {
    Decision send =
        new Decision(
            "restock-42",
            U1,
            Instant.parse("2021-05-03T10:00:00.250Z"),
            Outcome.SEND,
            Basis.OTN,
            "tok-1",
            "red",
            "/lead/ask-phone",
            null,
            false);
    Decision skip =
        Decision.skip(
            "restock-42",
            new UserKey(Channel.MESSENGER, "page-1", "u-2"),
            Instant.parse("2021-05-03T10:00:00Z"),
            SkipReason.TOKEN_EXPIRED,
            true);

    assertThat(RecordCodec.write(send))
        .isEqualTo(
            "{\"campaign\":\"restock-42\",\"channel\":\"messenger\",\"account\":\"page-1\","
                + "\"user\":\"u-1\",\"at\":\"2021-05-03T10:00:00.250Z\",\"outcome\":\"SEND\","
                + "\"basis\":\"OTN\",\"token\":\"tok-1\",\"variant\":\"red\","
                + "\"resumeAt\":\"/lead/ask-phone\",\"reason\":null}");
    assertThat(RecordCodec.write(skip))
        .isEqualTo(
            "{\"campaign\":\"restock-42\",\"channel\":\"messenger\",\"account\":\"page-1\","
                + "\"user\":\"u-2\",\"at\":\"2021-05-03T10:00:00Z\",\"outcome\":\"SKIP\","
                + "\"basis\":null,\"token\":null,\"variant\":null,\"resumeAt\":null,"
                + "\"reason\":\"TOKEN_EXPIRED\",\"dryRun\":true}");
  }

  @Test
  void aDeadLetterIsWrittenWithItsInputAsAString() {
    DeadLetter d =
        DeadLetter.of(
            Instant.parse("2021-05-03T08:00:00Z"),
            "input.jsonl:3",
            "campaign c-1: outsideWindow OTN needs a topic",
            "{\"type\":\"campaign\"}");

    assertThat(RecordCodec.write(d))
        .isEqualTo(
            "{\"at\":\"2021-05-03T08:00:00Z\",\"source\":\"input.jsonl:3\","
                + "\"reason\":\"campaign c-1: outsideWindow OTN needs a topic\","
                + "\"input\":\"{\\\"type\\\":\\\"campaign\\\"}\"}");
    assertThat(RecordCodec.write(DeadLetter.of(null, "user-events/0/17", "empty record", "")))
        .isEqualTo(
            "{\"at\":null,\"source\":\"user-events/0/17\",\"reason\":\"empty record\",\"input\":\"\"}");
  }

  @Test
  void aDeadLetterCutsItsInputTo4KiBOnACharacterBoundary() {
    String input = "x" + "ż".repeat(3000); // 1 + 6000 bytes of UTF-8

    DeadLetter d = DeadLetter.of(null, "f:1", "too long", input);

    byte[] utf8 = d.input().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(utf8.length).isLessThanOrEqualTo(DeadLetter.MAX_INPUT_BYTES).isGreaterThan(4090);
    assertThat(input).startsWith(d.input());
  }
}
