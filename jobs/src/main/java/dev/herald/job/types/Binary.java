package dev.herald.job.types;

import dev.herald.schema.Channel;
import dev.herald.schema.UserKey;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.flink.types.StringValue;

/**
 * The primitive encodings the serializers share. Enums are written by ordinal: their constants are
 * only ever appended to, never reordered (state written today must read tomorrow).
 */
final class Binary {

  private static final long NO_INSTANT = Long.MIN_VALUE;
  private static final Channel[] CHANNELS = Channel.values();

  private Binary() {}

  /**
   * A string as Flink's {@link StringValue} writes it (null-safe: the length plus one as a varint,
   * {@code 0} for {@code null}; then each UTF-16 char as a varint, one byte for ASCII), byte for
   * byte, so state and keys written with {@code StringValue} read back unchanged. Written here
   * rather than through {@code StringValue}, whose reader looks up a thread-local buffer for every
   * string: with a dozen strings per user record, those lookups took a tenth of the operator's time
   * (benchmarks/PROFILE.md).
   */
  static void writeString(DataOutput out, String s) throws IOException {
    if (s == null) {
      out.write(0);
      return;
    }
    int n = s.length();
    byte[] buf = new byte[5 + n];
    int at = putVarInt(buf, 0, n + 1);
    for (int i = 0; i < n; i++) {
      int c = s.charAt(i);
      if (c >= 0x80) {
        // Not ASCII: a char takes up to 3 bytes; the rest goes through the general path.
        buf = Arrays.copyOf(buf, at + 3 * (n - i));
        for (; i < n; i++) {
          at = putVarInt(buf, at, s.charAt(i));
        }
        break;
      }
      buf[at++] = (byte) c;
    }
    out.write(buf, 0, at);
  }

  static String readString(DataInput in) throws IOException {
    int n = readCount(in) - 1;
    if (n < 0) {
      return null;
    }
    byte[] ascii = new byte[n];
    for (int i = 0; i < n; i++) {
      int b = in.readUnsignedByte();
      if (b >= 0x80) {
        return readChars(in, ascii, i, b, n);
      }
      ascii[i] = (byte) b;
    }
    return new String(ascii, StandardCharsets.ISO_8859_1);
  }

  /** The rest of a string that is not all ASCII: {@code i} chars read, {@code b} the next byte. */
  private static String readChars(DataInput in, byte[] ascii, int i, int b, int n)
      throws IOException {
    char[] chars = new char[n];
    for (int j = 0; j < i; j++) {
      chars[j] = (char) ascii[j];
    }
    for (; i < n; i++) {
      int c = b & 0x7F;
      for (int shift = 7; b >= 0x80; shift += 7) {
        b = in.readUnsignedByte();
        c |= (b & 0x7F) << shift;
      }
      chars[i] = (char) c;
      if (i + 1 < n) {
        b = in.readUnsignedByte();
      }
    }
    return new String(chars);
  }

  private static int putVarInt(byte[] buf, int at, int n) {
    while ((n & ~0x7F) != 0) {
      buf[at++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    buf[at++] = (byte) n;
    return at;
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

  /** A signed long, zigzag-encoded as a varint: small magnitudes take few bytes. */
  static void writeVarLong(DataOutput out, long v) throws IOException {
    long n = (v << 1) ^ (v >> 63);
    while ((n & ~0x7FL) != 0) {
      out.writeByte((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.writeByte((int) n);
  }

  static long readVarLong(DataInput in) throws IOException {
    long n = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = in.readUnsignedByte();
      n |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return (n >>> 1) ^ -(n & 1);
      }
    }
    throw new IOException("malformed varint");
  }

  /**
   * An instant, possibly {@code null}, as its distance in milliseconds from {@code base}: one byte
   * within about a minute of it, four within a day, six within a year, instead of eight.
   */
  static void writeInstant(DataOutput out, Instant t, long base) throws IOException {
    if (t == null) {
      out.writeByte(0);
      return;
    }
    long d = t.toEpochMilli() - base;
    // zigzag, plus one so that 0 stays null; no two instants' millis are 2^63 apart
    long n = ((d << 1) ^ (d >> 63)) + 1;
    while ((n & ~0x7FL) != 0) {
      out.writeByte((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.writeByte((int) n);
  }

  static Instant readInstant(DataInput in, long base) throws IOException {
    long n = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = in.readUnsignedByte();
      n |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (n == 0) {
          return null;
        }
        n--;
        return Instant.ofEpochMilli(base + ((n >>> 1) ^ -(n & 1)));
      }
    }
    throw new IOException("malformed instant");
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
