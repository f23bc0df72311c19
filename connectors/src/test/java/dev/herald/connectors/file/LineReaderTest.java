package dev.herald.connectors.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Splitting bytes into lines: LF and CRLF ends, bounded lines, any bytes. */
class LineReaderTest {

  private static List<String> lines(InputStream in, int max) throws IOException {
    List<String> out = new ArrayList<>();
    try (LineReader r = new LineReader(in, max)) {
      byte[] line;
      while ((line = r.next()) != null) {
        out.add(r.lineNumber() + ":" + new String(line, StandardCharsets.ISO_8859_1));
      }
      assertThat(r.next()).isNull();
    }
    return out;
  }

  private static InputStream bytes(String latin1) {
    return new ByteArrayInputStream(latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A stream that hands out at most {@code chunk} bytes a read, as sockets and pipes do. */
  private static InputStream trickle(String latin1, int chunk) {
    return new ByteArrayInputStream(latin1.getBytes(StandardCharsets.ISO_8859_1)) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  @Test
  void linesEndAtLineFeedsAndACarriageReturnBeforeOneIsDropped() throws IOException {
    assertThat(lines(bytes("a\r\nb\n\r\n\nc"), 100))
        .containsExactly("1:a", "2:b", "3:", "4:", "5:c");
  }

  @Test
  void anyByteIsKept() throws IOException {
    assertThat(lines(bytes("\u00ff\u0000\r\u00c0\n"), 100))
        .containsExactly("1:\u00ff\u0000\r\u00c0");
  }

  @Test
  void aLongLineIsCutToOneByteOverTheLimit() throws IOException {
    assertThat(lines(bytes("0123456789\nab\n"), 4)).containsExactly("1:01234", "2:ab");
  }

  @Test
  void aCarriageReturnThatIsTheLastByteKeptOfALongLineStays() throws IOException {
    // 4 bytes, a CR, then more: cut to 5 bytes, and the CR is part of what is kept, so the line
    // stays one byte over the limit (too long) rather than shrinking to exactly the limit.
    assertThat(lines(bytes("0123\rxyz\nab\r\n"), 4)).containsExactly("1:0123\r", "2:ab");
  }

  @Test
  void readsInPiecesGiveTheSameLines() throws IOException {
    Random random = new Random(7);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      int n = random.nextInt(40);
      for (int k = 0; k < n; k++) {
        b.append((char) (32 + random.nextInt(200)));
      }
      b.append(random.nextInt(5) == 0 ? "\r\n" : "\n");
    }
    String text = b.toString();

    List<String> whole = lines(bytes(text), 1_000);
    for (int chunk : new int[] {1, 2, 3, 7, 64}) {
      assertThat(lines(trickle(text, chunk), 1_000)).as("chunk %d", chunk).isEqualTo(whole);
    }
    assertThat(whole).hasSize(2_000);
  }
}
