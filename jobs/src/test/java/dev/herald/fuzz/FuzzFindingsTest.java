package dev.herald.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.policy.CampaignBook;
import dev.herald.policy.Policy;
import dev.herald.policy.PolicyConfig;
import dev.herald.policy.PolicyTimeline;
import dev.herald.reference.ReferenceEngine;
import dev.herald.replay.ScenarioInput;
import dev.herald.schema.Bounds;
import dev.herald.schema.DeadLetter;
import dev.herald.schema.Decision;
import dev.herald.schema.InputRecord;
import dev.herald.schema.Parsed;
import dev.herald.schema.Problem;
import dev.herald.schema.RecordCodec;
import dev.herald.schema.SendRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the mutation fuzzers found, one minimal record each, pinned so that it stays fixed. The
 * fuzzers ({@link MutantRecordsTest}, {@link MutationFuzzITCase}) find these again at random; these
 * tests say exactly what is wrong.
 */
class FuzzFindingsTest {

  private static final String ERASE =
      "{\"type\":\"erase\",\"at\":\"2024-03-01T09:00:00Z\",\"channel\":\"messenger\","
          + "\"account\":\"page-1\",\"user\":\"u-1\"}";

  private static Parsed<InputRecord> parse(byte[] b) {
    return RecordCodec.parse(b);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A slash where a value belongs: the reason quoted the parser's setting ALLOW_COMMENTS. */
  @Test
  void aReasonNeverNamesTheParsersSettings() {
    for (String record : List.of("/", "{\"a\":/}", "{\"a\":1}//")) {
      String reason = parse(utf8(record)).reason();
      assertThat(reason).as(record).isNotNull().doesNotContain("Feature", "ALLOW_", "parser");
    }
    // A record separator (U+001E) between fields: a half-removed hint to enable a setting.
    String reason = parse(utf8("{\"a\":1,\u001e\"b\":2}")).reason();
    assertThat(reason).doesNotContain("consider enabling");
  }

  /**
   * A control character between tokens: the reason named the character after it ('}' for {@code
   * {"a":1<NUL>}}, '"' after a record separator), or none, and no position for a NUL up front.
   */
  @Test
  void aReasonNamesTheControlCharacterItself() {
    assertThat(parse(utf8("{\"a\":1\u0000}")).reason()).contains("U+0000").doesNotContain("U+007D");
    assertThat(parse(utf8("{\"a\":1,\u001e\"b\":2}")).reason())
        .contains("U+001E")
        .doesNotContain("U+0022");
    assertThat(parse(utf8("{\u0000\"a\":1}")).reason())
        .contains("U+0000")
        .doesNotContain("unknown position");
  }

  /**
   * A character outside ASCII where a value belongs, in a record that is valid UTF-8: read from
   * bytes (as the job reads), the reason said "invalid UTF-8 start byte 0xa9" — half of the
   * character, and a false claim about the record's encoding; read as text it named the character.
   * (Later the reason for {@code {"a":é}} named the character after it, '}' at character 7.)
   */
  @Test
  void aRecordOfUtf8IsNeverSaidNotToBeUtf8() {
    for (String[] c :
        new String[][] {
          {"{\"a\":é}", "é"},
          {"{\"a\":🙂}", "🙂"},
          {"{\"a\":[€]}", "€"},
          {"🙂", "🙂"}
        }) {
      Parsed<InputRecord> p = parse(utf8(c[0]));
      assertThat(p.problem()).as(c[0]).isEqualTo(Problem.NOT_JSON);
      // The character itself is named, whole, as a token or as a character.
      assertThat(p.reason()).as(c[0]).doesNotContain("UTF-8").contains("'" + c[1] + "'");
    }
  }

  /** Trailing text after a space: the reason placed it one character past where it starts. */
  @Test
  void trailingTextIsPlacedWhereItStarts() {
    // {"a":1} is 7 characters, a space, then x at character 9
    assertThat(parse(utf8("{\"a\":1} x")).reason()).contains("at character 9:");
  }

  /**
   * Two byte-order marks before a record: the bytes were accepted (the second mark read as a mark
   * too), the same record as text was rejected. A second mark is a character, not a mark.
   */
  @Test
  void twoByteOrderMarksAreNotOne() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    assertThat(parse(concat(bom, utf8(ERASE))).isOk()).isTrue(); // one is ignored
    assertThat(RecordCodec.parse("\uFEFF\uFEFF" + ERASE).isOk()).isFalse();
    assertThat(parse(concat(bom, bom, utf8(ERASE))).isOk())
        .as("the bytes of a record that, as text, is rejected")
        .isFalse();
  }

  /**
   * A line of a valid record of exactly 1 MiB, then a carriage return and more text, is longer than
   * a record may be; the line reader keeps 1 MiB + 1 byte of a long line, and then drops that last
   * byte when it is a carriage return (as if the line ended in CRLF): the line was read as the 1
   * MiB record alone, and accepted.
   */
  @Test
  void aLineLongerThanARecordMayBeIsNeverReadAsAShorterOne() {
    String head =
        "{\"type\":\"erase\",\"at\":\"2024-03-01T09:00:00Z\",\"channel\":\"messenger\","
            + "\"account\":\"page-1\",\"user\":\"u-1\",\"pad\":\"";
    String tail = "\"}";
    String pad = "p".repeat(Bounds.MAX_RECORD_BYTES - head.length() - tail.length());
    byte[] record = utf8(head + pad + tail);
    assertThat(record).hasSize(Bounds.MAX_RECORD_BYTES);
    assertThat(parse(record).isOk()).as("a record of exactly 1 MiB").isTrue();

    byte[] file = concat(record, utf8("\r{\"more\":1}\n"));
    List<byte[]> lines = ScenarioInput.lines(file);
    assertThat(lines).hasSize(1);
    Parsed<InputRecord> p = parse(lines.get(0));
    assertThat(p.isOk()).as("a line of 1 MiB + 12 bytes").isFalse();
    assertThat(p.problem()).isEqualTo(Problem.TOO_LARGE);
  }

  /**
   * A cancel of an id of 256 characters (the longest an id may be) that is not defined: the
   * campaign book's reason quotes the id twice, whole, and is cut to its first 505 characters
   * before it says what is wrong.
   */
  @Test
  void aCampaignBookReasonKeepsWhatIsWrongWhenTheIdIsLong() {
    String id = "c".repeat(256);
    Parsed<InputRecord> cancel =
        RecordCodec.parse(
            utf8(
                "{\"type\":\"cancel\",\"campaign\":\""
                    + id
                    + "\",\"at\":\"2024-03-01T09:00:00Z\"}"));
    assertThat(cancel.isOk()).isTrue();
    ReferenceEngine.Result r =
        ReferenceEngine.run(
            List.of(cancel.value()), new Policy(PolicyTimeline.standard(), PolicyConfig.DEFAULT));
    assertThat(r.rejections()).hasSize(1);
    CampaignBook.Rejection x = r.rejections().get(0);
    String written = DeadLetter.of(x.record().at(), x.origin(), x.reason(), x.raw()).reason();
    assertThat(written).contains("no campaign or reminder").doesNotEndWith("(cut)");
  }

  /**
   * The reference engine keys its users by {@code channel/account/user} as text: account p with
   * user a/b and account p/a with user b are one user to it (two to the job). So it gave p/a/b's
   * tag to the other and decided nothing for the campaign of account p/a; the job is right.
   */
  @Test
  void theReferenceEngineKeepsApartUsersWhoseKeysReadAlike() {
    List<InputRecord> records =
        records(
            "{\"type\":\"interaction\",\"at\":\"2024-01-01T00:00:00Z\",\"channel\":\"messenger\",\"account\":\"p\",\"user\":\"a/b\"}",
            "{\"type\":\"interaction\",\"at\":\"2024-01-01T00:00:00Z\",\"channel\":\"messenger\",\"account\":\"p/a\",\"user\":\"b\"}",
            "{\"type\":\"tag\",\"at\":\"2024-01-01T00:00:01Z\",\"channel\":\"messenger\",\"account\":\"p/a\",\"user\":\"b\",\"add\":[\"x\"]}",
            "{\"type\":\"campaign\",\"id\":\"tagged\",\"at\":\"2024-01-01T01:00:00Z\",\"channel\":\"messenger\",\"account\":\"p\",\"audience\":{\"allTags\":[\"x\"]},\"message\":{\"text\":\"x\"}}",
            "{\"type\":\"campaign\",\"id\":\"on-p-a\",\"at\":\"2024-01-01T01:00:00Z\",\"channel\":\"messenger\",\"account\":\"p/a\",\"message\":{\"text\":\"x\"}}");
    List<Decision> decisions =
        ReferenceEngine.run(records, new Policy(PolicyTimeline.standard(), PolicyConfig.DEFAULT))
            .decisions();
    List<String> who = new ArrayList<>();
    for (Decision d : decisions) {
      who.add(d.campaign() + " " + d.user().account() + " | " + d.user().user());
    }
    assertThat(who).containsExactly("on-p-a p/a | b");
  }

  /**
   * Send requests are identified by {@code <campaign>:<channel>/<account>/<user>}, and ids,
   * accounts and users may hold ':' and '/': campaign x to user u of account p:messenger/q and
   * campaign x:messenger/p to user u of account q get the same request id, so a sink that drops
   * repeated ids (that is what the id is for) drops one user's message.
   */
  @Test
  void twoSendRequestsNeverShareAnIdempotencyKey() {
    List<InputRecord> records =
        records(
            "{\"type\":\"interaction\",\"at\":\"2024-01-01T00:00:00Z\",\"channel\":\"messenger\",\"account\":\"p:messenger/q\",\"user\":\"u\"}",
            "{\"type\":\"interaction\",\"at\":\"2024-01-01T00:00:00Z\",\"channel\":\"messenger\",\"account\":\"q\",\"user\":\"u\"}",
            "{\"type\":\"campaign\",\"id\":\"x\",\"at\":\"2024-01-01T01:00:00Z\",\"channel\":\"messenger\",\"account\":\"p:messenger/q\",\"message\":{\"text\":\"x\"}}",
            "{\"type\":\"campaign\",\"id\":\"x:messenger/p\",\"at\":\"2024-01-01T01:00:00Z\",\"channel\":\"messenger\",\"account\":\"q\",\"message\":{\"text\":\"x\"}}");
    List<SendRequest> requests =
        ReferenceEngine.run(records, new Policy(PolicyTimeline.standard(), PolicyConfig.DEFAULT))
            .requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).requestId()).isNotEqualTo(requests.get(1).requestId());
  }

  private static List<InputRecord> records(String... lines) {
    List<InputRecord> out = new ArrayList<>();
    for (String l : lines) {
      out.add(RecordCodec.parse(utf8(l)).value());
    }
    return out;
  }
}
