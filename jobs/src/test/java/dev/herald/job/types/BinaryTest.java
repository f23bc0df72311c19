package dev.herald.job.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

/**
 * The shared encodings: strings byte for byte as Flink's {@link StringValue} (keys and every
 * earlier state were written with it), and the varints of format 2.
 */
class BinaryTest {

  static List<String> strings() {
    List<String> s = new ArrayList<>();
    s.add(null);
    s.add("");
    s.add("u-123456");
    s.add("page-1");
    s.add("vip-ü"); // U+00FC: two bytes as a varint char
    s.add("\u007F\u0080\u00FF\u0100\u3FFF\u4000\uFFFF"); // the varint boundaries of a char
    s.add("用户-🙂"); // surrogate pairs are two chars
    s.add("\uD800 lone \uDFFF"); // lone surrogates are chars like any other
    s.add("\u0000\t\n");
    s.add("a".repeat(127)); // the length's varint boundaries: 127 + 1, 16383 + 1
    s.add("b".repeat(128));
    s.add("c".repeat(16_383));
    s.add("aé€🙂".repeat(20_000));
    s.add("é" + "x".repeat(300)); // not ASCII at the first char
    s.add("x".repeat(300) + "é"); // not ASCII at the last char
    return s;
  }

  @Test
  void stringsAreWrittenExactlyAsStringValueWritesThem() throws IOException {
    for (String value : strings()) {
      DataOutputSerializer ours = new DataOutputSerializer(16);
      DataOutputSerializer flinks = new DataOutputSerializer(16);
      Binary.writeString(ours, value);
      StringValue.writeString(value, flinks);

      assertThat(ours.getCopyOfBuffer()).as(describe(value)).isEqualTo(flinks.getCopyOfBuffer());
    }
  }

  @Test
  void stringsWrittenByStringValueReadBack() throws IOException {
    DataOutputSerializer flinks = new DataOutputSerializer(16);
    for (String value : strings()) {
      StringValue.writeString(value, flinks);
    }
    DataInputDeserializer in = new DataInputDeserializer(flinks.getCopyOfBuffer());
    for (String value : strings()) {
      assertThat(Binary.readString(in)).as(describe(value)).isEqualTo(value);
    }
    assertThat(in.available()).isZero();
  }

  @Test
  void instantsAsDistancesFromABase() throws IOException {
    long base = Instant.parse("2026-06-01T10:00:00Z").toEpochMilli();
    Instant[] values = {
      null,
      Instant.ofEpochMilli(base),
      Instant.ofEpochMilli(base + 3),
      Instant.ofEpochMilli(base - 1),
      Instant.ofEpochMilli(base + 86_400_000L),
      Instant.EPOCH,
      Instant.parse("1969-12-31T23:59:59.999Z"),
      Instant.parse("9999-12-31T23:59:59.999Z"),
      Instant.parse("-9999-01-01T00:00:00Z")
    };
    DataOutputSerializer out = new DataOutputSerializer(16);
    for (Instant t : values) {
      Binary.writeInstant(out, t, base);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (Instant t : values) {
      assertThat(Binary.readInstant(in, base)).isEqualTo(t);
    }
    assertThat(in.available()).isZero();
  }

  @Test
  void anInstantNearTheBaseTakesOneByte() throws IOException {
    long base = Instant.parse("2026-06-01T10:00:00Z").toEpochMilli();
    assertThat(instantBytes(Instant.ofEpochMilli(base + 3), base)).isEqualTo(1);
    assertThat(instantBytes(Instant.ofEpochMilli(base - 30), base)).isEqualTo(1);
    assertThat(instantBytes(null, base)).isEqualTo(1);
    assertThat(instantBytes(Instant.ofEpochMilli(base + 86_400_000L), base)).isEqualTo(4);
  }

  @Test
  void varLongsRoundTripAtTheirExtremes() throws IOException {
    long[] values = {0, 1, -1, 63, -64, 64, 1L << 41, Long.MAX_VALUE, Long.MIN_VALUE};
    DataOutputSerializer out = new DataOutputSerializer(16);
    for (long v : values) {
      Binary.writeVarLong(out, v);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (long v : values) {
      assertThat(Binary.readVarLong(in)).isEqualTo(v);
    }
    assertThat(in.available()).isZero();
  }

  private static int instantBytes(Instant t, long base) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(16);
    Binary.writeInstant(out, t, base);
    return out.length();
  }

  private static String describe(String s) {
    return s == null ? "null" : s.length() > 40 ? s.substring(0, 40) + "… (" + s.length() + ")" : s;
  }
}
