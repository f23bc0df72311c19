package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one-pass reader of user events ({@link UserEventStreamReader}) accepts only what the full
 * reader accepts, with the same value, and gives up on everything else, so that the codec's answer
 * for every record is the full reader's. Both read the records of the codec's tests, every input
 * line of the scenarios and conformance examples, and randomly altered copies of them.
 */
class UserEventStreamReaderTest {

  /**
   * Every record the tests know, valid and not, user events and others, as text; the input files'
   * lines also as bytes ({@code raw}), some of which are not UTF-8.
   */
  static List<String> corpus(List<byte[]> raw) throws IOException {
    List<String> records = new ArrayList<>();
    records.addAll(MalformedRecords.bases());
    records.addAll(MalformedRecords.atTheBounds());
    MalformedRecords.all().forEach(row -> records.add(row.record()));
    Examples.inputRecords().forEach(a -> records.add((String) a.get()[1]));
    for (String root : List.of("../scenarios", "../conformance")) {
      try (Stream<Path> files = Files.walk(Path.of(root))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
          byte[] all = Files.readAllBytes(f);
          int from = 0;
          for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
              byte[] line = Arrays.copyOfRange(all, from, i);
              raw.add(line);
              records.add(new String(line, StandardCharsets.UTF_8));
              from = i + 1;
            }
          }
        }
      }
    }
    records.addAll(plain());
    return records;
  }

  /** Plain events of every type, as producers write them, with the optional fields or without. */
  static List<String> plain() {
    String head =
        "\"at\":\"2026-06-01T10:00:00.123Z\",\"channel\":\"messenger\",\"account\":\"page-1\","
            + "\"user\":\"u-123456\"";
    return List.of(
        "{\"type\":\"interaction\","
            + head
            + ",\"interaction\":\"/shop/red-wine\",\"breadcrumb\":true}",
        "{\"type\":\"interaction\","
            + head
            + ",\"kind\":\"ctm_ad\",\"id\":null,\"breadcrumb\":null}",
        "{\"type\":\"tag\"," + head + ",\"add\":[\"started\",\"red-wine\",\"match\"]}",
        "{\"type\":\"tag\"," + head + ",\"add\":null,\"remove\":[]}",
        "{\"type\":\"otn_optin\"," + head + ",\"topic\":\"restock\",\"token\":\"otn-1e240-AbC\"}",
        "{\"type\":\"recurring_optin\","
            + head
            + ",\"topic\":\"weekly-deals\",\"token\":\"rn-1\",\"frequency\":\"WEEKLY\"}",
        "{\"type\":\"recurring_optin\","
            + head
            + ",\"topic\":\"d\",\"token\":\"rn-1\",\"frequency\":\"DAILY\",\"expiresAt\":\"2026-12-01T00:00:00+01:00\"}",
        "{\"type\":\"recurring_status\"," + head + ",\"topic\":\"d\",\"status\":\"STOP\"}",
        "{\"type\":\"optin_request\"," + head + ",\"topic\":\"d\"}",
        "{\"type\":\"optin\"," + head + ",\"category\":\"UTILITY\"}",
        "{\"type\":\"optout\"," + head + "}",
        "{\"type\":\"delivery\","
            + head
            + ",\"status\":\"failed\",\"requestId\":\"r\","
            + "\"campaign\":\"c\",\"error\":{\"code\":10,\"subcode\":2018278}}",
        "{\"type\":\"delivery\"," + head + ",\"status\":\"failed\",\"error\":{\"code\":10.0}}",
        "{\"type\":\"delivery\","
            + head
            + ",\"status\":\"failed\",\"error\":{\"code\":1,\"subcode\":null}}",
        "{\"type\":\"delivery\"," + head + ",\"status\":\"read\",\"error\":null}",
        "{\"type\":\"erase\"," + head + ",\"id\":\"e-ü-🙂\"}",
        "{\"type\":\"erase\"," + head + ",\"source\":\"crm\"}",
        "  {\"type\":\"erase\"," + head + "}\n",
        "\uFEFF{\"type\":\"erase\"," + head + "}",
        "{\"type\":\"campaign\",\"id\":\"c\"," + head + "}",
        "{\"type\":\"tag\"," + head + ",\"add\":null,\"remove\":null}");
  }

  /** Both readers on raw bytes. */
  private static int compare(byte[] utf8) {
    int fast = 0;
    UserEvent bytes = UserEventStreamReader.read(utf8);
    Parsed<UserEvent> full = RecordCodec.parseUserEventWithTree(utf8);
    String shown = new String(utf8, StandardCharsets.UTF_8);
    if (bytes != null) {
      assertThat(full.reason()).as("the full reader accepts %s", shown).isNull();
      assertThat(bytes).as(shown).isEqualTo(full.value());
      fast++;
    }
    assertThat(RecordCodec.parseUserEvent(utf8)).as(shown).isEqualTo(full);
    return fast;
  }

  /** Both readers on {@code json}, as text and as bytes. */
  private static int compare(String json) {
    int fast = 0;
    UserEvent text = UserEventStreamReader.read(json);
    Parsed<UserEvent> full = RecordCodec.parseUserEventWithTree(json);
    if (text != null) {
      assertThat(full.reason()).as("the full reader accepts %s", json).isNull();
      assertThat(text).as(json).isEqualTo(full.value());
      fast++;
    }
    assertThat(RecordCodec.parseUserEvent(json)).as(json).isEqualTo(full);

    return fast + compare(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyRecordOfTheTestsReadsAsTheFullReaderReadsIt() throws IOException {
    int fast = 0;
    List<byte[]> raw = new ArrayList<>();
    List<String> corpus = corpus(raw);
    for (String json : corpus) {
      fast += compare(json);
    }
    for (byte[] line : raw) {
      fast += compare(line);
    }
    assertThat(corpus).hasSizeGreaterThan(800);
    assertThat(fast).as("records read in one pass").isGreaterThan(200);
  }

  @Test
  void plainEventsAreReadInOnePass() {
    List<String> plain = plain();
    for (String json : plain.subList(0, 12)) {
      assertThat(UserEventStreamReader.read(json)).as(json).isNotNull();
    }
    // Unusual: 10.0 as a code, an unknown field, a byte-order mark, not a user event, invalid.
    for (int i : new int[] {12, 16, 18, 19, 20}) {
      assertThat(UserEventStreamReader.read(plain.get(i))).as(plain.get(i)).isNull();
    }
  }

  @Test
  void alteredRecordsReadAsTheFullReaderReadsThem() throws IOException {
    Random random = new Random(20261130);
    String alphabet = "{}[]:,\" \\0123456789.-+eEtrufalsnTZz\u00e9\u0000ab";
    List<String> bases = new ArrayList<>();
    for (String base : MalformedRecords.bases()) {
      if (base.length() < 2_000) { // the large ones take long and alter into nothing new
        bases.add(base);
      }
    }
    bases.addAll(plain());
    int fast = 0;
    for (int i = 0; i < 4_000; i++) {
      StringBuilder b = new StringBuilder(bases.get(random.nextInt(bases.size())));
      int edits = 1 + random.nextInt(2);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(b.length() + 1);
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(4)) {
          case 0 -> b.insert(at, c);
          case 1 -> {
            if (at < b.length()) {
              b.setCharAt(at, c);
            }
          }
          case 2 -> {
            if (at < b.length()) {
              b.deleteCharAt(at);
            }
          }
          default -> {
            // a field given again, or with another value: copy a stretch of the record
            int from = random.nextInt(b.length());
            int to = Math.min(b.length(), from + 1 + random.nextInt(40));
            b.insert(at, b.substring(from, to));
          }
        }
      }
      fast += compare(b.toString());
    }
    assertThat(fast).as("altered records still read in one pass").isGreaterThan(200);
  }
}
