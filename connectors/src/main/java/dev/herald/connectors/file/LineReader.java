package dev.herald.connectors.file;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream of bytes into lines, as bytes: a line ends at a line feed, and a carriage return
 * just before it is not part of the line (CRLF files read like LF files); the last line needs no
 * line feed. Nothing is decoded here, so that bytes that are not UTF-8 reach the codec as they are.
 *
 * <p>A line longer than {@code maxBytes} is kept to its first {@code maxBytes + 1} bytes and the
 * rest is skipped, so that a runaway line costs bounded memory and is still seen as too long.
 */
public final class LineReader implements Closeable {

  private static final int BUFFER = 64 * 1024;

  private final InputStream in;
  private final int maxBytes;
  private final byte[] buffer = new byte[BUFFER];
  private int position;
  private int limit;
  private boolean end;
  private long lineNumber;

  public LineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next line's bytes without its terminator, or {@code null} at the end of the stream. */
  public byte[] next() throws IOException {
    ByteArrayOutputStream line = null;
    boolean any = false;
    boolean cut = false;
    int kept = 0;
    while (true) {
      if (position == limit) {
        if (end || !fill()) {
          if (!any) {
            return null;
          }
          lineNumber++;
          return finish(line, cut);
        }
      }
      any = true;
      int start = position;
      int newline = -1;
      for (int i = position; i < limit; i++) {
        if (buffer[i] == '\n') {
          newline = i;
          break;
        }
      }
      int stop = newline < 0 ? limit : newline;
      int room = maxBytes + 1 - kept;
      int take = Math.min(stop - start, Math.max(room, 0));
      if (take > 0) {
        if (line == null) {
          line = new ByteArrayOutputStream(Math.min(take, BUFFER));
        }
        line.write(buffer, start, take);
        kept += take;
      }
      cut |= take < stop - start;
      if (newline >= 0) {
        position = newline + 1;
        lineNumber++;
        return finish(line, cut);
      }
      position = limit;
    }
  }

  /** The number of the line {@link #next} returned last, from 1. */
  public long lineNumber() {
    return lineNumber;
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n < 0) {
      end = true;
      position = limit = 0;
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  /**
   * The line read; a carriage return at its end is dropped if it stood right before the line feed
   * (or the end): not when the line was cut, where it is just the last byte kept of a longer line.
   */
  private static byte[] finish(ByteArrayOutputStream line, boolean cut) {
    if (line == null) {
      return new byte[0];
    }
    byte[] bytes = line.toByteArray();
    int n = bytes.length;
    if (!cut && n > 0 && bytes[n - 1] == '\r') {
      return java.util.Arrays.copyOf(bytes, n - 1);
    }
    return bytes;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
