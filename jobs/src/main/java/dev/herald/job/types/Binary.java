package dev.herald.job.types;

import dev.herald.schema.Channel;
import dev.herald.schema.UserKey;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.types.StringValue;

/**
 * The primitive encodings the serializers share. Enums are written by ordinal: their constants are
 * only ever appended to, never reordered (state written today must read tomorrow).
 */
final class Binary {

  private static final long NO_INSTANT = Long.MIN_VALUE;
  private static final Channel[] CHANNELS = Channel.values();

  private Binary() {}

  static void writeString(DataOutput out, String s) throws IOException {
    StringValue.writeString(s, out); // null-safe, length-prefixed
  }

  static String readString(DataInput in) throws IOException {
    return StringValue.readString(in);
  }

  static void writeInstant(DataOutput out, Instant t) throws IOException {
    out.writeLong(t == null ? NO_INSTANT : t.toEpochMilli());
  }

  static Instant readInstant(DataInput in) throws IOException {
    long millis = in.readLong();
    return millis == NO_INSTANT ? null : Instant.ofEpochMilli(millis);
  }

  /** An unsigned variable-length int: 7 bits a byte. */
  static void writeCount(DataOutput out, int n) throws IOException {
    while ((n & ~0x7F) != 0) {
      out.writeByte((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    out.writeByte(n);
  }

  static int readCount(DataInput in) throws IOException {
    int n = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.readUnsignedByte();
      n |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return n;
      }
    }
    throw new IOException("malformed count");
  }

  static void writeEnum(DataOutput out, Enum<?> e) throws IOException {
    out.writeByte(e == null ? -1 : e.ordinal());
  }

  static <E extends Enum<E>> E readEnum(DataInput in, E[] values) throws IOException {
    int ordinal = in.readByte();
    return ordinal < 0 ? null : values[ordinal];
  }

  static void writeKey(DataOutput out, UserKey key) throws IOException {
    out.writeByte(key.channel().ordinal());
    writeString(out, key.account());
    writeString(out, key.user());
  }

  static UserKey readKey(DataInput in) throws IOException {
    Channel channel = CHANNELS[in.readByte()];
    return new UserKey(channel, readString(in), readString(in));
  }
}
