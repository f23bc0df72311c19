package dev.herald.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.connectors.file.SourceLine;
import dev.herald.job.ParseRecords.Accepts;
import dev.herald.schema.Channel;
import dev.herald.schema.ControlRecord.Campaign;
import dev.herald.schema.ControlRecord.Cancel;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.InteractionKind;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.UserEvent;
import dev.herald.schema.UserEvent.Interaction;
import dev.herald.schema.UserKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Parsing input lines: user events to the main output, campaign records to the control side output
 * with where they were read, anything else to the dead letters with the codec's reason.
 */
class ParseRecordsTest {

  private static final String EVENT =
      "{\"type\":\"interaction\",\"at\":\"2024-03-01T10:00:00.250Z\",\"channel\":\"messenger\","
          + "\"account\":\"page-1\",\"user\":\"u-1\",\"interaction\":\"/lead/ask-phone\","
          + "\"breadcrumb\":true}";

  private static final String CAMPAIGN =
      "{\"type\":\"campaign\",\"id\":\"restock-42\",\"at\":\"2024-03-01T08:00:00Z\","
          + "\"channel\":\"messenger\",\"account\":\"page-1\",\"message\":{\"text\":\"Hi\"}}";

  private static final String CANCEL =
      "{\"type\":\"cancel\",\"campaign\":\"restock-42\",\"at\":\"2024-03-01T11:00:00Z\"}";

  /** A user event without its user: the codec rejects it, its {@code at} is readable. */
  private static final String NO_USER =
      "{\"type\":\"tag\",\"at\":\"2024-03-01T12:00:00+02:00\",\"channel\":\"messenger\","
          + "\"account\":\"page-1\",\"add\":[\"vip\"]}";

  private static final long PROCESSING_TIME = 1_700_000_000_123L;

  private OneInputStreamOperatorTestHarness<SourceLine, UserEvent> harness;

  private OneInputStreamOperatorTestHarness<SourceLine, UserEvent> open(Accepts accepts)
      throws Exception {
    harness = ProcessFunctionTestHarnesses.forProcessFunction(new ParseRecords(accepts, "test"));
    harness.setProcessingTime(PROCESSING_TIME);
    return harness;
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private void process(String origin, String text) throws Exception {
    harness.processElement(SourceLine.of(origin, text), 0L);
  }

  private List<ControlInput> controls() {
    return harness.getSideOutput(ParseRecords.CONTROL) == null
        ? List.of()
        : harness.getSideOutput(ParseRecords.CONTROL).stream().map(StreamRecord::getValue).toList();
  }

  private List<DeadLetter> deadLetters() {
    return harness.getSideOutput(ParseRecords.DEAD_LETTERS) == null
        ? List.of()
        : harness.getSideOutput(ParseRecords.DEAD_LETTERS).stream()
            .map(StreamRecord::getValue)
            .toList();
  }

  // ------------------------------------------------------------------ accepted records

  @Test
  void aUserEventGoesToTheMainOutput() throws Exception {
    open(Accepts.ANY);

    process("input.jsonl:1", EVENT);

    assertThat(harness.extractOutputValues())
        .containsExactly(
            new Interaction(
                new UserKey(Channel.MESSENGER, "page-1", "u-1"),
                Instant.parse("2024-03-01T10:00:00.250Z"),
                null,
                InteractionKind.MESSAGE,
                "/lead/ask-phone",
                true));
    assertThat(controls()).isEmpty();
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void aCampaignRecordGoesToTheControlOutputWithItsOrigin() throws Exception {
    open(Accepts.ANY);

    process("input.jsonl:2", CAMPAIGN);
    process("input.jsonl:3", CANCEL);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(deadLetters()).isEmpty();
    List<ControlInput> controls = controls();
    assertThat(controls).hasSize(2);
    assertThat(controls.get(0).origin()).isEqualTo("input.jsonl:2");
    assertThat(controls.get(0).record()).isInstanceOf(Campaign.class);
    assertThat(controls.get(0).record()).isEqualTo(RecordCodec.parse(CAMPAIGN).value());
    assertThat(((Campaign) controls.get(0).record()).id()).isEqualTo("restock-42");
    assertThat(controls.get(1))
        .isEqualTo(
            new ControlInput(
                new Cancel("restock-42", Instant.parse("2024-03-01T11:00:00Z")),
                "input.jsonl:3",
                CANCEL));
    assertThat(controls.get(0).raw()).as("the line as written").isEqualTo(CAMPAIGN);
  }

  @Test
  void recordsKeepTheirOrderOnEachOutput() throws Exception {
    open(Accepts.ANY);
    String second = EVENT.replace("u-1", "u-2");

    process("f:1", EVENT);
    process("f:2", CAMPAIGN);
    process("f:3", "nonsense");
    process("f:4", second);
    process("f:5", CANCEL);

    assertThat(harness.extractOutputValues().stream().map(e -> e.key().user()))
        .containsExactly("u-1", "u-2");
    assertThat(controls().stream().map(ControlInput::origin)).containsExactly("f:2", "f:5");
    assertThat(deadLetters().stream().map(DeadLetter::source)).containsExactly("f:3");
  }

  // ------------------------------------------------------------------ dead letters

  @Test
  void aBadLineGoesToTheDeadLettersWithTheReasonOriginAndItsOwnAt() throws Exception {
    open(Accepts.ANY);

    process("input.jsonl:7", NO_USER);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(controls()).isEmpty();
    String reason = RecordCodec.parse(NO_USER).reason();
    assertThat(reason).isNotBlank();
    assertThat(deadLetters())
        .containsExactly(
            new DeadLetter(
                Instant.parse("2024-03-01T10:00:00Z"), "input.jsonl:7", reason, NO_USER));
  }

  @Test
  void aLineWithoutAReadableAtIsDeadLetteredAtProcessingTime() throws Exception {
    open(Accepts.ANY);
    String badAt = NO_USER.replace("2024-03-01T12:00:00+02:00", "yesterday");

    process("input.jsonl:8", "not json at all");
    process("input.jsonl:9", badAt);

    List<DeadLetter> dead = deadLetters();
    assertThat(dead).hasSize(2);
    assertThat(dead.get(0))
        .isEqualTo(
            new DeadLetter(
                Instant.ofEpochMilli(PROCESSING_TIME),
                "input.jsonl:8",
                RecordCodec.parse("not json at all").reason(),
                "not json at all"));
    assertThat(dead.get(1).at()).isEqualTo(Instant.ofEpochMilli(PROCESSING_TIME));
    assertThat(dead.get(1).reason()).isEqualTo(RecordCodec.parse(badAt).reason());
    assertThat(dead.get(1).source()).isEqualTo("input.jsonl:9");
  }

  @Test
  void theUserEventsInputDeadLettersACampaignRecord() throws Exception {
    open(Accepts.USER_EVENTS);

    process("user-events/0/41", CAMPAIGN);
    process("user-events/0/42", EVENT);

    assertThat(controls()).isEmpty();
    assertThat(harness.extractOutputValues()).hasSize(1);
    assertThat(deadLetters())
        .containsExactly(
            new DeadLetter(
                Instant.parse("2024-03-01T08:00:00Z"),
                "user-events/0/41",
                "a campaign record is not a user event",
                CAMPAIGN));
  }

  @Test
  void theCampaignsInputDeadLettersAUserEvent() throws Exception {
    open(Accepts.CAMPAIGNS);

    process("campaigns/0/7", EVENT);
    process("campaigns/0/8", CAMPAIGN);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(controls()).extracting(ControlInput::origin).containsExactly("campaigns/0/8");
    assertThat(deadLetters())
        .containsExactly(
            new DeadLetter(
                Instant.parse("2024-03-01T10:00:00.250Z"),
                "campaigns/0/7",
                "a user event (interaction) is not a campaign record",
                EVENT));
  }

  @Test
  void aLongBadLineIsCutTo4096BytesOfUtf8() throws Exception {
    open(Accepts.ANY);
    String ascii =
        "{\"type\":\"nope\",\"at\":\"2024-03-01T10:00:00Z\",\"pad\":\"" + "x".repeat(5000);

    process("input.jsonl:10", ascii);

    DeadLetter d = deadLetters().get(0);
    assertThat(d.input().getBytes(StandardCharsets.UTF_8)).hasSize(DeadLetter.MAX_INPUT_BYTES);
    assertThat(d.input()).isEqualTo(ascii.substring(0, 4096));
    assertThat(d.at()).isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
    assertThat(d.reason()).isEqualTo(RecordCodec.parse(ascii).reason());
    assertThat(d.source()).isEqualTo("input.jsonl:10");
  }

  @Test
  void aLongBadLineIsCutOnACharacterBoundary() throws Exception {
    open(Accepts.ANY);
    // 51 bytes of ASCII head, then characters of 2, 3 and 4 bytes: none of the cuts falls on a
    // boundary by chance for all three.
    String head = "{\"type\":\"interaction\",\"at\":\"2024-03-01T10:00:00Z\",";
    List<String> lines =
        List.of(
            head + "\"x\":\"" + "é".repeat(3000) + "\"}",
            head + "\"x\":\"" + "€".repeat(3000) + "\"}",
            head + "\"x\":\"" + "🙂".repeat(3000) + "\"}");

    for (int i = 0; i < lines.size(); i++) {
      process("big:" + i, lines.get(i));
    }

    List<DeadLetter> dead = deadLetters();
    assertThat(dead).hasSize(3);
    for (int i = 0; i < lines.size(); i++) {
      String input = dead.get(i).input();
      int bytes = input.getBytes(StandardCharsets.UTF_8).length;
      assertThat(bytes).as("line %d", i).isLessThanOrEqualTo(4096).isGreaterThan(4096 - 4);
      assertThat(lines.get(i)).startsWith(input);
      assertThat(input).doesNotContain("\uFFFD");
      assertThat(dead.get(i).at()).isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
    }
  }

  @Test
  void aShortBadLineIsKeptWhole() throws Exception {
    open(Accepts.ANY);
    String line = NO_USER + " ".repeat(100) + "ü".repeat(1000);

    process("input.jsonl:11", line);

    assertThat(deadLetters().get(0).input()).isEqualTo(line);
  }
}
