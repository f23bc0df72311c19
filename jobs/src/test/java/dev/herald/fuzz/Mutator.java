package dev.herald.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.schema.Bounds;
import dev.herald.schema.Wire;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes mutants of valid records: one operator, sometimes two or three, byte-level (a flipped bit,
 * a tricky byte, a range inserted, deleted or duplicated, a cut, a byte-order mark, an invalid or
 * CESU-8 or overlong UTF-8 sequence, a raw control character, a JSON escape, trailing content,
 * another root value) or JSON-level, the record parsed, changed and written back (a field deleted,
 * nulled, given another JSON type, a tricky string, an instant, duration, rate or number at the
 * edges, an instant moved a little, every instant moved to the first or last days of time, an
 * unknown or miscased enum value, a key given twice, deep nesting, an unknown field, another {@code
 * type}, arrays of 100, 101, 10,000 or 10,001 items, a record of about 1 MiB, a field taken from
 * another record). JSON-level operators write lone surrogates as escapes and non-ASCII text raw or
 * escaped ({@link JsonText}).
 *
 * <p>Deterministic: the same seeds and the same random generator give the same mutants.
 */
final class Mutator {

  /** A mutant: its bytes, and what was done to which seed record, for reports. */
  record Mutant(byte[] bytes, String operators, int seed) {
    /** The mutant for a report: the operators, and the bytes (printable, cut at 600). */
    String describe() {
      return operators + " of seed record " + seed + ": " + show(bytes, 600);
    }
  }

  /** Bytes for a report: ASCII as is, other bytes as {@code \xHH}, cut at {@code max}. */
  static String show(byte[] bytes, int max) {
    StringBuilder b = new StringBuilder();
    int n = Math.min(bytes.length, max);
    for (int i = 0; i < n; i++) {
      int c = bytes[i] & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '\\') {
        b.append((char) c);
      } else {
        b.append(String.format("\\x%02X", c));
      }
    }
    if (bytes.length > max) {
      b.append("… (").append(bytes.length).append(" bytes)");
    }
    return b.toString();
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** One mutation operator and how often it is chosen (weights out of their sum). */
  enum Op {
    FLIP_BIT(5, false),
    TRICKY_BYTE(5, false),
    INSERT_RANGE(3, false),
    DELETE_RANGE(3, false),
    DUPLICATE_RANGE(2, false),
    TRUNCATE(3, false),
    INSERT_BOM(2, false),
    INVALID_UTF8(4, false),
    RAW_CONTROL(2, false),
    ESCAPE(4, false),
    DELETE_FIELD(6, true),
    NULL_FIELD(4, true),
    CHANGE_TYPE(5, true),
    TRICKY_STRING(9, true),
    EDGE_INSTANT(8, true),
    SHIFT_INSTANT(6, true),
    TIME_SHIFT(4, true),
    EDGE_DURATION(4, true),
    EDGE_RATE(4, true),
    NUMBER(3, true),
    ENUM_VALUE(6, true),
    DUPLICATE_KEY(4, true),
    DEEP_NESTING(3, true),
    UNKNOWN_FIELD(4, true),
    SWITCH_TYPE(4, true),
    BIG_ARRAY(3, true),
    HUGE_RECORD(1, true),
    CROSSOVER(6, true),
    TRAILING(3, false),
    ROOT_VALUE(2, false);

    final int weight;
    final boolean json;

    Op(int weight, boolean json) {
      this.weight = weight;
      this.json = json;
    }
  }

  private static final Op[] OPS = Op.values();
  private static final int TOTAL_WEIGHT;

  static {
    int w = 0;
    for (Op op : OPS) {
      w += op.weight;
    }
    TOTAL_WEIGHT = w;
  }

  // ------------------------------------------------------------------ the tricky values

  static final int[] TRICKY_BYTES = {
    0x00, 0x80, 0xC0, 0xC3, 0xED, 0xF4, 0xF5, 0xFF, '\r', '"', '\\', '{', '}', ','
  };

  /** Sequences that are not UTF-8: CESU-8 surrogates, overlong forms, cut ones, above U+10FFFF. */
  static final byte[][] INVALID_SEQUENCES = {
    bytes(0xED, 0xA0, 0x80), // CESU-8 of U+D800, a high surrogate
    bytes(0xED, 0xB0, 0x80), // a low surrogate
    bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x82), // CESU-8 of U+1F642, a pair of surrogates
    bytes(0xC0, 0xAF), // overlong '/'
    bytes(0xC0, 0x80), // overlong NUL (modified UTF-8)
    bytes(0xE0, 0x80, 0xAF), // overlong, 3 bytes
    bytes(0xF0, 0x80, 0x80, 0xAF), // overlong, 4 bytes
    bytes(0xF4, 0x90, 0x80, 0x80), // above U+10FFFF
    bytes(0xF5, 0x80, 0x80, 0x80),
    bytes(0x80), // a lone continuation byte
    bytes(0xBF),
    bytes(0xC3), // a lead byte without its continuation
    bytes(0xE2, 0x82), // cut in the middle
    bytes(0xF0, 0x9F, 0x99), // the first three bytes of 🙂
    bytes(0xFE),
    bytes(0xFF),
    bytes(0xC3, 0x28), // a lead byte followed by ASCII
  };

  /** JSON escapes inserted into strings: lone and reversed surrogates, controls, broken ones. */
  static final String[] ESCAPES = {
    "\\ud800",
    "\\udc00",
    "\\udfff",
    "\\udc00\\ud800",
    "\\ud83d",
    "\\ud83d\\ude42",
    "\\uD83D\\uDE42",
    "\\u0000",
    "\\u0007",
    "\\u001f",
    "\\u007f",
    "\\u0085",
    "\\u2028",
    "\\ufeff",
    "\\uffff",
    "\\u00e9",
    "\\x41",
    "\\u12",
    "\\u12G4",
    "\\",
    "\\'",
    "\\/",
    "\\b\\f",
  };

  static String repeat(String s, int n) {
    return s.repeat(n);
  }

  /** Strings at and beyond the bounds, and strings no text field may hold. */
  static String trickyString(SplittableRandom r) {
    return switch (r.nextInt(40)) {
      case 0 -> "";
      case 1 -> " ";
      case 2 -> repeat("n", 256); // a NAME at its bound
      case 3 -> repeat("n", 257);
      case 4 -> repeat("r", 1024);
      case 5 -> repeat("r", 1025);
      case 6 -> repeat("t", 4096);
      case 7 -> repeat("t", 4097);
      case 8 -> repeat("x", 100_000);
      case 9 -> "\ud800";
      case 10 -> "\udc00";
      case 11 -> "a\udc00\ud800b"; // a reversed pair
      case 12 -> "tok-\ud83d"; // half of 🙂
      case 13 -> "\u0000";
      case 14 -> "a\u0007b";
      case 15 -> "\u001f";
      case 16 -> "\u007f";
      case 17 -> "x\u0085y";
      case 18 -> "🙂";
      case 19 -> repeat("🙂", 256); // 512 chars, 256 characters: a NAME at its bound
      case 20 -> repeat("🙂", 257);
      case 21 -> "line\u2028separator";
      case 22 -> "\u2029";
      case 23 -> repeat("y", Bounds.MAX_RECORD_BYTES); // 1 MiB
      case 24 -> "tab\there";
      case 25 -> "two\nlines";
      case 26 -> "cr\rhere";
      case 27 -> "\"quoted\"";
      case 28 -> "back\\slash";
      case 29 -> "BREADCRUMB";
      case 30 -> "\ufeffbom";
      case 31 -> "\uffff";
      case 32 -> "e\u0301"; // a combining accent
      case 33 -> "\u202eevil";
      case 34 -> "${jndi:ldap://example.invalid/a}";
      case 35 -> "%s%n%d";
      case 36 -> repeat("é", 257);
      case 37 -> repeat("é", 4096) + "\t";
      case 38 -> "null";
      default -> "u-" + Integer.toHexString(0x100 + r.nextInt(0xF00));
    };
  }

  static final String[] EDGE_INSTANTS = {
    "1969-12-31T23:59:59.999Z",
    "1970-01-01T00:00:00Z",
    "1970-01-01T00:00:00.000Z",
    "1970-01-01T01:00:00+01:00",
    "1970-01-01T00:59:59.999+01:00",
    "1969-12-31T23:00:00-01:00",
    "9999-12-31T23:59:59.999Z",
    "9999-12-31T23:59:59.9999999Z",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:30:00-01:00",
    "9999-12-31T23:59:59.999-00:01",
    "10000-01-01T00:00:00Z",
    "0000-01-01T00:00:00+01:00",
    "0000-01-01T00:00:00Z",
    "-0001-01-01T00:00:00Z",
    "2021-05-01T09:12:00+23:59",
    "2021-05-01T09:12:00-23:59",
    "2021-05-01T09:12:00+24:00",
    "2021-05-01T09:12:00+18:01",
    "2021-05-01T09:12:00+00:60",
    "2021-02-29T00:00:00Z",
    "2020-02-29T23:59:59.9999999Z",
    "2021-05-01T09:12:00",
    "2021-05-01 09:12:00Z",
    "2021-05-01t09:12:00z",
    "2021-05-01T24:00:00Z",
    "2021-05-01T23:59:60Z",
    "2021-13-01T00:00:00Z",
    "2021-05-01T09:12:00.Z",
    "2021-05-01T09:12:00+0100",
    "2021-05-01T09:12:00.123456789123456789Z",
    "2021-05-01",
    "1620000000",
    "",
    " 2021-05-01T09:12:00Z",
  };

  static final String[] EDGE_DURATIONS = {
    "PT0S",
    "PT0.001S",
    "PT0.0001S",
    "P0D",
    "PT23H59M59.999S",
    "PT23H59M59.9999S",
    "PT24H",
    "P1D",
    "PT1440M",
    "P36500D",
    "P36501D",
    "P99999999999D",
    "P106751991167301D",
    "PT9223372036854775807S",
    "PT99999999999999999999S",
    "P1W",
    "P1M",
    "P1Y",
    "-PT1H",
    "PT-1H",
    "P",
    "PT",
    "P1DT",
    "pt30m",
    "PT1.5S",
    "P1DT12H",
    "PT30M",
  };

  static final String[] RATES = {
    "0", "-1", "1e-300", "0.00001", "1e-5", "0.0000099", "1e9", "1000000000", "1e10", "1e400",
    "-1e400", "1e-400", "\"5\"", "0.5", "2", "1000", "-0.0", "1.0000000000000002e9", "true", "[]",
    "{}", "null", "5", "0.001", "3.5", "100"
  };

  static final String[] NUMBERS = {
    "0",
    "-0",
    "-1",
    "1.5",
    "551",
    "551.0",
    "551.5",
    "131026",
    "131050",
    "2018108",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "123456789012345678901234567890",
    "1e400",
    "1E2",
    "5.51e2",
    "1e-400",
    "\"551\"",
    "01",
    "0x10",
    "NaN",
    "Infinity",
    "+1",
    ".5",
    "1.",
  };

  /** Every enum value of the contract, by the fields that carry them. */
  static final Map<String, String[]> ENUMS =
      Map.ofEntries(
          Map.entry(
              "type",
              new String[] {
                "interaction",
                "tag",
                "otn_optin",
                "recurring_optin",
                "recurring_status",
                "optin_request",
                "optin",
                "optout",
                "delivery",
                "erase",
                "campaign",
                "reminder",
                "cancel",
                "account"
              }),
          Map.entry("channel", new String[] {"messenger", "instagram", "whatsapp"}),
          Map.entry(
              "kind",
              new String[] {
                "message", "postback", "referral", "reaction", "ctm_ad", "optin_request"
              }),
          Map.entry(
              "status",
              new String[] {
                "sent",
                "delivered",
                "read",
                "failed",
                "expired",
                "STOP",
                "RESUME",
                "ACTIVE",
                "PAUSED"
              }),
          Map.entry("frequency", new String[] {"DAILY", "WEEKLY", "MONTHLY"}),
          Map.entry("category", new String[] {"MARKETING", "UTILITY"}),
          Map.entry(
              "outsideWindow",
              new String[] {"SKIP", "MESSAGE_TAG", "OTN", "RECURRING", "TEMPLATE"}),
          Map.entry(
              "tag",
              new String[] {
                "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE", "HUMAN_AGENT"
              }),
          Map.entry("notificationType", new String[] {"REGULAR", "SILENT_PUSH", "NO_PUSH"}),
          Map.entry("resumeAt", new String[] {"BREADCRUMB", "breadcrumb", "/home"}));

  private static final String[] INSTANT_FIELDS = {"at", "startAt", "endAt", "expiresAt"};
  private static final String[] DURATION_FIELDS = {
    "afterInactivity", "interactedWithin", "inactiveFor"
  };
  private static final String[] LIST_FIELDS = {
    "add", "remove", "allTags", "anyTags", "noneTags", "users", "whenTags", "variants"
  };

  // ------------------------------------------------------------------ state

  private final List<byte[]> seeds;

  Mutator(List<byte[]> seeds) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("no seed records");
    }
    this.seeds = List.copyOf(seeds);
  }

  /** A mutant of a seed record chosen at random. */
  Mutant next(SplittableRandom r) {
    int i = r.nextInt(seeds.size());
    return mutate(seeds.get(i), i, r);
  }

  /** A mutant of {@code seed}: one operator, sometimes two or three. */
  Mutant mutate(byte[] seed, int seedIndex, SplittableRandom r) {
    int n = r.nextInt(10) < 8 ? 1 : 2 + r.nextInt(2);
    byte[] b = seed;
    StringBuilder ops = new StringBuilder();
    for (int k = 0; k < n; k++) {
      Op op = pick(r);
      StringBuilder note = new StringBuilder();
      byte[] out = null;
      if (op.json) {
        ObjectNode root = parse(b);
        if (root != null) {
          out = op == Op.CROSSOVER ? crossover(root, r, note) : json(op, root, r, note);
        }
      }
      if (out == null) {
        if (op.json) {
          op = byteOp(r);
        }
        out = bytes(op, b, r, note);
      }
      b = out;
      if (ops.length() > 0) {
        ops.append(" + ");
      }
      ops.append(op).append(note.length() > 0 ? "(" + note + ")" : "");
    }
    return new Mutant(b, ops.toString(), seedIndex);
  }

  private static Op pick(SplittableRandom r) {
    int w = r.nextInt(TOTAL_WEIGHT);
    for (Op op : OPS) {
      w -= op.weight;
      if (w < 0) {
        return op;
      }
    }
    throw new AssertionError();
  }

  private static Op byteOp(SplittableRandom r) {
    while (true) {
      Op op = pick(r);
      if (!op.json) {
        return op;
      }
    }
  }

  private static ObjectNode parse(byte[] b) {
    try {
      JsonNode n = JSON.readTree(b);
      return n instanceof ObjectNode o ? o : null;
    } catch (Exception e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ byte-level operators

  private static byte[] bytes(Op op, byte[] b, SplittableRandom r, StringBuilder note) {
    int len = b.length;
    switch (op) {
      case FLIP_BIT -> {
        if (len == 0) {
          return bytes(0x80);
        }
        byte[] out = b.clone();
        int i = r.nextInt(len);
        int bit = r.nextInt(8);
        out[i] ^= (byte) (1 << bit);
        note.append("byte ").append(i).append(" bit ").append(bit);
        return out;
      }
      case TRICKY_BYTE -> {
        int v = TRICKY_BYTES[r.nextInt(TRICKY_BYTES.length)];
        note.append(String.format("0x%02X", v));
        if (len == 0) {
          return bytes(v);
        }
        byte[] out = b.clone();
        out[r.nextInt(len)] = (byte) v;
        return out;
      }
      case INSERT_RANGE -> {
        int at = r.nextInt(len + 1);
        byte[] piece;
        if (len > 0 && r.nextBoolean()) {
          int from = r.nextInt(len);
          piece =
              java.util.Arrays.copyOfRange(b, from, from + r.nextInt(Math.min(32, len - from)) + 1);
        } else {
          piece = new byte[1 + r.nextInt(8)];
          for (int i = 0; i < piece.length; i++) {
            piece[i] = (byte) r.nextInt(256);
          }
        }
        note.append(piece.length).append(" bytes at ").append(at);
        return splice(b, at, 0, piece);
      }
      case DELETE_RANGE -> {
        if (len == 0) {
          return b;
        }
        int at = r.nextInt(len);
        int n = 1 + r.nextInt(Math.min(len - at, r.nextBoolean() ? 4 : 64));
        note.append(n).append(" bytes at ").append(at);
        return splice(b, at, n, new byte[0]);
      }
      case DUPLICATE_RANGE -> {
        if (len == 0) {
          return b;
        }
        int at = r.nextInt(len);
        int n = 1 + r.nextInt(Math.min(len - at, 64));
        note.append(n).append(" bytes at ").append(at);
        return splice(b, at + n, 0, java.util.Arrays.copyOfRange(b, at, at + n));
      }
      case TRUNCATE -> {
        int to = len == 0 ? 0 : r.nextInt(len);
        note.append("to ").append(to);
        return java.util.Arrays.copyOf(b, to);
      }
      case INSERT_BOM -> {
        int at = r.nextInt(3) == 0 ? r.nextInt(len + 1) : 0;
        note.append("at ").append(at);
        byte[] bom = bytes(0xEF, 0xBB, 0xBF);
        return splice(b, at, 0, r.nextInt(5) == 0 ? concat(bom, bom) : bom);
      }
      case INVALID_UTF8 -> {
        byte[] seq = INVALID_SEQUENCES[r.nextInt(INVALID_SEQUENCES.length)];
        int at = insideString(b, r);
        note.append(show(seq, 20)).append(" at ").append(at);
        return splice(b, at, 0, seq);
      }
      case RAW_CONTROL -> {
        int c = r.nextInt(4) == 0 ? 0x7F : r.nextInt(0x20);
        if (c == '\n') {
          c = 0; // a line feed would end the record: a file's business, not the record's
        }
        int at = insideString(b, r);
        note.append(String.format("0x%02X at %d", c, at));
        return splice(b, at, 0, bytes(c));
      }
      case ESCAPE -> {
        String e = ESCAPES[r.nextInt(ESCAPES.length)];
        int at = insideString(b, r);
        note.append(e).append(" at ").append(at);
        return splice(b, at, 0, e.getBytes(StandardCharsets.US_ASCII));
      }
      case TRAILING -> {
        String[] tails = {
          " ", "\t", "\r", ",", "}", "]", " {}", "x", "//", "\u0000", "{\"type\":\"erase\"}", "null"
        };
        if (r.nextInt(4) == 0) {
          note.append("the record again");
          return concat(b, b);
        }
        String tail = tails[r.nextInt(tails.length)];
        note.append(show(tail.getBytes(StandardCharsets.UTF_8), 20));
        return concat(b, tail.getBytes(StandardCharsets.UTF_8));
      }
      case ROOT_VALUE -> {
        String[] roots = {
          "[" + new String(b, StandardCharsets.UTF_8) + "]",
          "\"a string\"",
          "null",
          "42",
          "true",
          "[]",
          "{}",
          "{\"type\":null}",
          "{\"type\":\"campaign\"}",
          "{\"type\":\"interaction\"}",
          "{\"\":\"\"}",
          "{\"type\":\"erase\",\"at\":\"2021-05-01T00:00:00Z\"}",
          "\ufeff",
          "   ",
          "",
        };
        int i = r.nextInt(roots.length);
        note.append(i);
        return i == 0
            ? concat(concat(bytes('['), b), bytes(']'))
            : roots[i].getBytes(StandardCharsets.UTF_8);
      }
      default -> throw new IllegalArgumentException("not a byte operator: " + op);
    }
  }

  /** A position just inside a string of {@code b} (after a quote), or anywhere if it has none. */
  private static int insideString(byte[] b, SplittableRandom r) {
    List<Integer> quotes = new ArrayList<>();
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '"') {
        quotes.add(i + 1);
      }
    }
    if (quotes.isEmpty() || r.nextInt(5) == 0) {
      return r.nextInt(b.length + 1);
    }
    int q = quotes.get(r.nextInt(quotes.size()));
    // Somewhere in the string that starts there: its start, or a few characters in.
    int k = r.nextInt(4);
    while (k-- > 0 && q < b.length && b[q] != '"' && (b[q] & 0x80) == 0) {
      q++;
    }
    return q;
  }

  // ------------------------------------------------------------------ JSON-level operators

  /** Where a value sits: a field of an object or an item of an array, and how deep. */
  private record Slot(JsonNode parent, String field, int index, JsonNode value, int depth) {
    /** The name the value goes by: its field's name, or its array's. */
    String name() {
      return field;
    }

    void set(JsonNode v) {
      if (parent instanceof ObjectNode o) {
        o.set(field, v);
      } else {
        ((ArrayNode) parent).set(index, v);
      }
    }

    void remove() {
      if (parent instanceof ObjectNode o) {
        o.remove(field);
      } else {
        ((ArrayNode) parent).remove(index);
      }
    }
  }

  /** Every value under {@code node}, depth first; {@code depth} is the nesting of {@code node}. */
  private static void slots(JsonNode node, String name, int depth, List<Slot> out) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.add(new Slot(o, e.getKey(), -1, e.getValue(), depth));
        slots(e.getValue(), e.getKey(), depth + 1, out);
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        out.add(new Slot(a, name, i, a.get(i), depth));
        slots(a.get(i), name, depth + 1, out);
      }
    }
  }

  /** Every object in the tree (the root first) with its depth (the root's is 1). */
  private static void objects(JsonNode node, int depth, List<Slot> out) {
    if (node instanceof ObjectNode o) {
      out.add(new Slot(null, null, -1, o, depth));
    }
    for (JsonNode child : node) {
      objects(child, depth + 1, out);
    }
  }

  private static List<Slot> slots(ObjectNode root) {
    List<Slot> out = new ArrayList<>();
    slots(root, null, 2, out);
    return out;
  }

  private static <T> T any(List<T> list, SplittableRandom r) {
    return list.get(r.nextInt(list.size()));
  }

  private static String any(String[] values, SplittableRandom r) {
    return values[r.nextInt(values.length)];
  }

  private static Slot pickSlot(
      ObjectNode root, SplittableRandom r, java.util.function.Predicate<Slot> which) {
    List<Slot> all = slots(root);
    List<Slot> fit = new ArrayList<>();
    for (Slot s : all) {
      if (which.test(s)) {
        fit.add(s);
      }
    }
    return fit.isEmpty() ? null : any(fit, r);
  }

  private static boolean named(Slot s, String... names) {
    if (s.field() == null || s.index() >= 0) {
      return false;
    }
    for (String n : names) {
      if (n.equals(s.field())) {
        return true;
      }
    }
    return false;
  }

  /** The mutant of {@code root} by {@code op}, or {@code null} if the operator does not apply. */
  private static byte[] json(Op op, ObjectNode root, SplittableRandom r, StringBuilder note) {
    boolean escape = r.nextInt(8) == 0;
    switch (op) {
      case DELETE_FIELD -> {
        Slot s = pickSlot(root, r, x -> x.index() < 0 && (x.depth() == 2 || r.nextInt(3) == 0));
        if (s == null) {
          return null;
        }
        note.append(s.name());
        s.remove();
      }
      case NULL_FIELD -> {
        Slot s = pickSlot(root, r, x -> true);
        if (s == null) {
          return null;
        }
        note.append(s.name());
        s.set(NODES.nullNode());
      }
      case CHANGE_TYPE -> {
        Slot s = pickSlot(root, r, x -> true);
        if (s == null) {
          return null;
        }
        JsonNode v = otherType(s.value(), r);
        note.append(s.name()).append('=').append(cut(v.toString()));
        s.set(v);
      }
      case TRICKY_STRING -> {
        Slot s = pickSlot(root, r, x -> x.value().isTextual() || r.nextInt(6) == 0);
        if (s == null) {
          return null;
        }
        String t = trickyString(r);
        note.append(s.name()).append('=').append(cut(t));
        s.set(NODES.textNode(t));
      }
      case EDGE_INSTANT -> {
        String value = any(EDGE_INSTANTS, r);
        Slot s = pickSlot(root, r, x -> named(x, INSTANT_FIELDS));
        if (s == null || r.nextInt(5) == 0) {
          String field = any(INSTANT_FIELDS, r);
          note.append(field).append('=').append(value);
          root.put(field, value);
        } else {
          note.append(s.name()).append('=').append(value);
          s.set(NODES.textNode(value));
        }
      }
      case SHIFT_INSTANT -> {
        Slot s = pickSlot(root, r, x -> named(x, INSTANT_FIELDS) && x.value().isTextual());
        if (s == null) {
          return null;
        }
        Instant t = Wire.parseInstant(s.value().textValue());
        if (t == null) {
          return null;
        }
        long[] deltas = {
          1, 999, 1000, 60_000, 3_600_000, 86_400_000, 7 * 86_400_000L, 365 * 86_400_000L
        };
        long d = deltas[r.nextInt(deltas.length)] * (r.nextBoolean() ? 1 : -1);
        if (r.nextInt(10) == 0) {
          d += r.nextBoolean() ? 1 : -1;
        }
        Instant shifted = t.plusMillis(d);
        String text = withOffset(shifted, r);
        note.append(s.name()).append(d >= 0 ? "+" : "").append(d).append("ms=").append(text);
        s.set(NODES.textNode(text));
      }
      case TIME_SHIFT -> {
        // Every instant of the record moved by the same amount, to the first or the last days
        // of time; sometimes the longest reminder delay or the lowest rate as well.
        JsonNode at = root.get("at");
        Instant t = at != null && at.isTextual() ? Wire.parseInstant(at.textValue()) : null;
        if (t == null) {
          return null;
        }
        long day = 86_400_000L;
        Instant target =
            r.nextBoolean()
                ? Bounds.LATEST.minusMillis(r.nextLong(3 * day))
                : Bounds.EARLIEST.plusMillis(r.nextLong(3 * day));
        long delta = target.toEpochMilli() - t.toEpochMilli();
        note.append(delta > 0 ? "to the end of time" : "to the start of time");
        for (String f : INSTANT_FIELDS) {
          JsonNode v = root.get(f);
          Instant i = v != null && v.isTextual() ? Wire.parseInstant(v.textValue()) : null;
          if (i != null) {
            Instant moved = Instant.ofEpochMilli(i.toEpochMilli() + delta);
            root.put(
                f,
                Bounds.isWithin(moved) || r.nextInt(4) == 0
                    ? withOffset(moved, r)
                    : Wire.format(
                        moved.isBefore(Bounds.EARLIEST) ? Bounds.EARLIEST : Bounds.LATEST));
          }
        }
        if (root.has("afterInactivity") && r.nextBoolean()) {
          root.put("afterInactivity", "PT23H59M59.999S");
          note.append(", longest delay");
        }
        if ("campaign".equals(root.path("type").asText()) && r.nextInt(3) == 0) {
          root.set("rate", JsonText.raw("0.00001"));
          note.append(", lowest rate");
        }
      }
      case EDGE_DURATION -> {
        String value = any(EDGE_DURATIONS, r);
        Slot s = pickSlot(root, r, x -> named(x, DURATION_FIELDS));
        if (s == null || r.nextInt(4) == 0) {
          JsonNode a = root.get("audience");
          ObjectNode audience = a instanceof ObjectNode o ? o : root.putObject("audience");
          String field = r.nextBoolean() ? "interactedWithin" : "inactiveFor";
          note.append("audience.").append(field).append('=').append(value);
          audience.put(field, value);
        } else {
          note.append(s.name()).append('=').append(value);
          s.set(NODES.textNode(value));
        }
      }
      case EDGE_RATE -> {
        String v = any(RATES, r);
        note.append("rate=").append(v);
        root.set("rate", JsonText.raw(v));
      }
      case NUMBER -> {
        Slot s =
            pickSlot(
                root,
                r,
                x ->
                    x.value().isNumber()
                        || named(x, "code", "subcode", "rate")
                        || r.nextInt(8) == 0);
        String v = any(NUMBERS, r);
        if (s == null) {
          JsonNode error = root.get("error");
          if (error instanceof ObjectNode e) {
            e.set("code", JsonText.raw(v));
            note.append("error.code=").append(v);
          } else {
            root.set("rate", JsonText.raw(v));
            note.append("rate=").append(v);
          }
        } else {
          note.append(s.name()).append('=').append(v);
          s.set(JsonText.raw(v));
        }
      }
      case ENUM_VALUE -> {
        Slot s = pickSlot(root, r, x -> x.field() != null && ENUMS.containsKey(x.field()));
        if (s == null) {
          return null;
        }
        String v = enumValue(s.field(), s.value().isTextual() ? s.value().textValue() : "", r);
        note.append(s.name()).append('=').append(cut(v));
        s.set(NODES.textNode(v));
      }
      case DUPLICATE_KEY -> {
        List<Slot> objects = new ArrayList<>();
        objects(root, 1, objects);
        ObjectNode o = (ObjectNode) any(objects, r).value();
        if (o.isEmpty()) {
          return null;
        }
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        String name = r.nextInt(3) == 0 && o.has("type") ? "type" : any(names, r);
        JsonNode again;
        switch (r.nextInt(3)) {
          case 0 -> again = o.get(name);
          case 1 -> again = otherValueLike(name, o.get(name), r);
          default -> again = NODES.nullNode();
        }
        note.append(name).append(" again=").append(cut(String.valueOf(again)));
        boolean first = r.nextBoolean();
        StringBuilder b = new StringBuilder("{");
        if (first) {
          JsonText.string(b, name, escape);
          b.append(':');
          JsonText.write(b, again, escape);
          b.append(',');
        }
        StringBuilder rest = new StringBuilder();
        JsonText.write(rest, o, escape);
        b.append(rest, 1, rest.length() - 1);
        if (!first) {
          b.append(',');
          JsonText.string(b, name, escape);
          b.append(':');
          JsonText.write(b, again, escape);
        }
        b.append('}');
        if (o == root) {
          return JsonText.utf8(b);
        }
        replace(root, o, JsonText.raw(b.toString()));
      }
      case DEEP_NESTING -> {
        List<Slot> objects = new ArrayList<>();
        objects(root, 1, objects);
        Slot where = r.nextInt(3) == 0 ? any(objects, r) : objects.get(0);
        int[] depths = {63, 64, 65, 5000};
        int total = r.nextInt(4) == 0 ? 2 + r.nextInt(70) : depths[r.nextInt(depths.length)];
        int levels = total - where.depth();
        if (levels < 1) {
          return null;
        }
        note.append("to depth ").append(total).append(" at depth ").append(where.depth());
        StringBuilder b = new StringBuilder();
        int style = r.nextInt(3);
        for (int i = 0; i < levels; i++) {
          boolean array = style == 0 || (style == 2 && i % 2 == 0);
          b.append(array ? "[" : "{\"d\":");
        }
        b.append(r.nextBoolean() ? "1" : "\"deep\"");
        for (int i = levels - 1; i >= 0; i--) {
          boolean array = style == 0 || (style == 2 && i % 2 == 0);
          b.append(array ? "]" : "}");
        }
        ((ObjectNode) where.value()).set("nested", JsonText.raw(b.toString()));
      }
      case UNKNOWN_FIELD -> {
        List<Slot> objects = new ArrayList<>();
        objects(root, 1, objects);
        ObjectNode o = (ObjectNode) (r.nextInt(3) == 0 ? any(objects, r) : objects.get(0)).value();
        String[] names = {
          "utmSource",
          "",
          "Type",
          "type ",
          "\u0000",
          "🙂",
          "a.b",
          "$ref",
          "x".repeat(1000),
          "\ud800",
          "__proto__",
          "AT",
          "User"
        };
        String name = any(names, r);
        JsonNode v = randomValue(r);
        note.append(cut(name)).append('=').append(cut(String.valueOf(v)));
        if (o.has(name)) {
          return null;
        }
        o.set(name, v);
      }
      case SWITCH_TYPE -> {
        String t = any(ENUMS.get("type"), r);
        note.append(t);
        root.put("type", t);
      }
      case BIG_ARRAY -> {
        Slot s = pickSlot(root, r, x -> named(x, LIST_FIELDS));
        String field;
        ObjectNode in;
        if (s == null || r.nextInt(4) == 0) {
          field = any(LIST_FIELDS, r);
          in = root;
          if (!field.equals("add") && !field.equals("remove")) {
            JsonNode a =
                root.get(
                    field.equals("variants") || field.equals("whenTags") ? "message" : "audience");
            in =
                a instanceof ObjectNode o
                    ? o
                    : root.putObject(
                        field.equals("variants") || field.equals("whenTags")
                            ? "message"
                            : "audience");
          }
        } else {
          field = s.field();
          if (!(s.parent() instanceof ObjectNode o)) {
            return null;
          }
          in = o;
        }
        int limit =
            field.equals("users")
                ? Bounds.MAX_USERS
                : field.equals("variants") ? Bounds.MAX_VARIANTS : Bounds.MAX_TAGS;
        int n =
            r.nextBoolean()
                ? limit + r.nextInt(2)
                : (r.nextBoolean() ? 100 : 10_000) + r.nextInt(2);
        ArrayNode items = NODES.arrayNode(n);
        for (int i = 0; i < n; i++) {
          if (field.equals("variants")) {
            ObjectNode v = items.addObject();
            v.put("name", "v" + i);
            v.putArray("whenTags").add("t" + i);
            v.put("text", "variant " + i);
          } else {
            items.add((field.equals("users") ? "u-" : "t") + i);
          }
        }
        note.append(field).append(" of ").append(n);
        in.set(field, items);
      }
      case HUGE_RECORD -> {
        int kind = r.nextInt(4);
        root.put("padding", "");
        byte[] base = JsonText.write(root, false);
        int target = Bounds.MAX_RECORD_BYTES + (kind == 0 ? 0 : kind == 1 ? 1 : -1);
        int fill = Math.max(0, target - base.length);
        root.put("padding", "p".repeat(fill));
        byte[] b = JsonText.write(root, false);
        if (kind == 3) {
          // exactly 1 MiB, then a carriage return and more: still one line, and too long
          note.append("1 MiB + CR + junk");
          return concat(b, "\r{\"junk\":1}".getBytes(StandardCharsets.US_ASCII));
        }
        note.append(b.length).append(" bytes");
        return b;
      }
      case CROSSOVER -> {
        return null; // handled by the caller, which knows the other seeds
      }
      default -> throw new IllegalArgumentException("not a JSON operator: " + op);
    }
    return JsonText.write(root, escape);
  }

  /** {@code root} with a field of another seed record, its own replaced if it has one. */
  private byte[] crossover(ObjectNode root, SplittableRandom r, StringBuilder note) {
    int i = r.nextInt(seeds.size());
    ObjectNode other = parse(seeds.get(i));
    if (other == null || other.isEmpty()) {
      return null;
    }
    List<String> names = new ArrayList<>();
    other.fieldNames().forEachRemaining(names::add);
    String name = any(names, r);
    note.append(name).append(" of seed record ").append(i);
    root.set(name, other.get(name));
    return JsonText.write(root, r.nextInt(8) == 0);
  }

  /** Replaces the object {@code target} wherever it is under {@code node}. */
  private static boolean replace(JsonNode node, JsonNode target, JsonNode with) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue() == target) {
          e.setValue(with);
          return true;
        }
        if (replace(e.getValue(), target, with)) {
          return true;
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i) == target) {
          a.set(i, with);
          return true;
        }
        if (replace(a.get(i), target, with)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String cut(String s) {
    String shown = s.length() > 40 ? s.substring(0, 40) + "…(" + s.length() + ")" : s;
    StringBuilder b = new StringBuilder();
    for (char c : shown.toCharArray()) {
      if (c < 0x20 || c == 0x7F || Character.isSurrogate(c) || c == 0x85 || c == 0x2028) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** An instant written with a random offset (±23:59 at most), or with {@code Z}. */
  private static String withOffset(Instant t, SplittableRandom r) {
    if (r.nextInt(3) != 0) {
      return Wire.format(t);
    }
    int minutes =
        r.nextInt(3) == 0
            ? (r.nextBoolean() ? 23 * 60 + 59 : -(23 * 60 + 59))
            : (r.nextInt(49) - 24) * 30;
    LocalDateTime local =
        LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC)
            .plusMinutes(minutes);
    if (local.getYear() < 0 || local.getYear() > 9999) {
      return Wire.format(t);
    }
    String sign = minutes < 0 ? "-" : "+";
    int m = Math.abs(minutes);
    String date =
        String.format(
            Locale.ROOT,
            "%04d-%02d-%02dT%02d:%02d:%02d",
            local.getYear(),
            local.getMonthValue(),
            local.getDayOfMonth(),
            local.getHour(),
            local.getMinute(),
            local.getSecond());
    int millis = local.getNano() / 1_000_000;
    return date
        + (millis == 0 ? "" : String.format(Locale.ROOT, ".%03d", millis))
        + String.format(Locale.ROOT, "%s%02d:%02d", sign, m / 60, m % 60);
  }

  /** A value of another JSON type than {@code v}. */
  private static JsonNode otherType(JsonNode v, SplittableRandom r) {
    while (true) {
      JsonNode n =
          switch (r.nextInt(8)) {
            case 0 -> NODES.numberNode(r.nextBoolean() ? 0 : 1.5);
            case 1 -> NODES.booleanNode(r.nextBoolean());
            case 2 -> NODES.textNode(v == null ? "x" : v.toString());
            case 3 -> NODES.arrayNode();
            case 4 -> NODES.objectNode();
            case 5 -> NODES.arrayNode().add(v == null ? NODES.nullNode() : v.deepCopy());
            case 6 -> NODES.objectNode().set("value", v == null ? NODES.nullNode() : v.deepCopy());
            default -> NODES.textNode("1");
          };
      if (v == null || n.getNodeType() != v.getNodeType()) {
        return n;
      }
    }
  }

  /** Another value for the field {@code name}, of the same kind when it can. */
  private static JsonNode otherValueLike(String name, JsonNode v, SplittableRandom r) {
    if (ENUMS.containsKey(name)) {
      return NODES.textNode(any(ENUMS.get(name), r));
    }
    for (String f : INSTANT_FIELDS) {
      if (f.equals(name)) {
        return NODES.textNode(
            Wire.format(
                Instant.parse("2021-05-01T09:12:00Z").plus(Duration.ofHours(r.nextInt(20_000)))));
      }
    }
    if (v != null && v.isTextual()) {
      return NODES.textNode(v.textValue() + "-2");
    }
    return otherType(v, r);
  }

  /** A wire enum value spelled another way, an unknown one, or another valid one. */
  private static String enumValue(String field, String current, SplittableRandom r) {
    String[] valid = ENUMS.get(field);
    return switch (r.nextInt(9)) {
      case 0 -> current.toUpperCase(Locale.ROOT);
      case 1 -> current.toLowerCase(Locale.ROOT);
      case 2 ->
          current.isEmpty()
              ? "X"
              : Character.toUpperCase(current.charAt(0))
                  + current.substring(1).toLowerCase(Locale.ROOT);
      case 3 -> current + " ";
      case 4 -> " " + current;
      case 5 -> "wave";
      case 6 -> current.replace('I', '\u0130').replace('i', '\u0131'); // Turkish I
      default -> any(valid, r);
    };
  }

  /** A random value for an unknown field. */
  private static JsonNode randomValue(SplittableRandom r) {
    return switch (r.nextInt(7)) {
      case 0 -> NODES.textNode(trickyString(r));
      case 1 -> NODES.numberNode(r.nextLong());
      case 2 -> NODES.booleanNode(true);
      case 3 -> NODES.nullNode();
      case 4 -> NODES.arrayNode().add(1).add("two").addNull();
      case 5 -> JsonText.raw(any(NUMBERS, r));
      default -> NODES.objectNode().put("inner", trickyString(r));
    };
  }

  // ------------------------------------------------------------------ bytes

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** {@code b} with {@code remove} bytes at {@code at} replaced by {@code insert}. */
  static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + insert.length);
    out.write(b, 0, at);
    out.write(insert, 0, insert.length);
    out.write(b, at + remove, b.length - at - remove);
    return out.toByteArray();
  }
}
