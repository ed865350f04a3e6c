package continuo.cli;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;

/**
 * Redraws a terminal's status line in place, as bytes from reused buffers: the line is redrawn
 * five times a second for the whole jam, and a String per redraw (plus the PrintStream's copy) was
 * most of what a jam at a terminal allocated. The caller appends the line to {@link #begin()},
 * then calls {@link #print()}. Control thread only.
 */
final class StatusLinePrinter {
  private final PrintStream out;
  private final CharsetEncoder encoder;
  private final StringBuilder line = new StringBuilder(512);
  private char[] chars = new char[0];
  private CharBuffer charBuffer;
  private byte[] bytes;
  private ByteBuffer byteBuffer;

  /** Writes to {@code out}, whose bytes the terminal reads as {@code charset}. */
  StatusLinePrinter(PrintStream out, Charset charset) {
    this.out = out;
    this.encoder = charset.newEncoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
  }

  /** The charset System.out encodes in (JDK 17: sun.stdout.encoding, else the default). */
  static Charset stdoutCharset() {
    String name = System.getProperty("sun.stdout.encoding");
    try {
      return name == null ? Charset.defaultCharset() : Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return Charset.defaultCharset();
    }
  }

  /** An empty line to append the status to. */
  StringBuilder begin() {
    line.setLength(0);
    return line.append('\r');
  }

  /** Redraws the line: carriage return, the text, then erase to the end of the line. */
  void print() {
    line.append("\u001b[K");
    int n = line.length();
    if (n > chars.length) {
      chars = new char[2 * n];
      charBuffer = CharBuffer.wrap(chars);
      bytes = new byte[(int) Math.ceil(2 * n * encoder.maxBytesPerChar())];
      byteBuffer = ByteBuffer.wrap(bytes);
    }
    line.getChars(0, n, chars, 0);
    charBuffer.clear().limit(n);
    byteBuffer.clear();
    encoder.reset();
    encoder.encode(charBuffer, byteBuffer, true);
    encoder.flush(byteBuffer);
    synchronized (out) {
      out.write(bytes, 0, byteBuffer.position());
      out.flush();
    }
  }

  /** Ends the status line, so that what is printed next starts on a line of its own. */
  void finish() {
    synchronized (out) {
      out.println();
      out.flush();
    }
  }
}
