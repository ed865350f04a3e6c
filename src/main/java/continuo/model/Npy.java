package continuo.model;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NumPy {@code .npy} (format 1.0, 2.0 and 3.0) for little-endian float32 arrays in C order: the
 * only kind a {@code .cmodel} holds. Reading parses the header dictionary strictly and reads
 * exactly the number of values the shape declares; writing produces what {@code numpy.save}
 * produces for the same array.
 */
final class Npy {
  private Npy() {}

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  static final int MAX_HEADER = 65_536;

  /** A malformed array; the message says what is wrong, without the file name. */
  static final class NpyException extends Exception {
    NpyException(String message) {
      super(message);
    }
  }

  /**
   * The header of an array: its shape (C order, float32 little-endian checked) and how many bytes
   * the preamble and header took, 0 when parsed from the dictionary text alone.
   */
  record Header(int[] shape, int bytes) {
    long count() {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }

    String shapeText() {
      return Arrays.toString(shape);
    }
  }

  /** Reads and checks the magic, version and header dictionary; leaves the stream at the data. */
  static Header readHeader(InputStream in) throws IOException, NpyException {
    byte[] magic = readFully(in, 8, "the .npy preamble");
    for (int i = 0; i < MAGIC.length; i++) {
      if (magic[i] != MAGIC[i]) {
        throw new NpyException("is not a NumPy .npy array (bad magic bytes)");
      }
    }
    int major = magic[6] & 0xff;
    int minor = magic[7] & 0xff;
    long headerLength;
    if (major == 1 && minor == 0) {
      byte[] b = readFully(in, 2, "the .npy header length");
      headerLength = (b[0] & 0xff) | (b[1] & 0xff) << 8;
    } else if ((major == 2 || major == 3) && minor == 0) {
      byte[] b = readFully(in, 4, "the .npy header length");
      headerLength = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    } else {
      throw new NpyException(
          "has .npy format version " + major + "." + minor + ", expected 1.0, 2.0 or 3.0");
    }
    if (headerLength > MAX_HEADER) {
      throw new NpyException("has a .npy header of " + headerLength + " bytes (limit " + MAX_HEADER + ")");
    }
    byte[] raw = readFully(in, (int) headerLength, "the .npy header");
    String text = new String(raw, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    return new Header(parseDict(text.strip()).shape(), 8 + (major == 1 ? 2 : 4) + (int) headerLength);
  }

  /**
   * Reads exactly {@code header.count()} float32 values. {@code bytesLeft} is how many bytes the
   * container says follow the header (-1 if it does not say): when they cannot hold the values the
   * array is refused before it is allocated, so a few bytes declaring a large shape cost nothing.
   */
  static float[] readData(InputStream in, Header header, long bytesLeft) throws IOException, NpyException {
    long n = header.count();
    if (n > Integer.MAX_VALUE - 8) {
      throw new NpyException("declares " + n + " values, too many for one array");
    }
    if (bytesLeft >= 0 && bytesLeft < n * 4) {
      throw new NpyException("ends after " + bytesLeft / 4 + " of the " + n + " values its shape "
          + header.shapeText() + " declares");
    }
    float[] out = new float[(int) n];
    byte[] chunk = new byte[64 * 1024];
    ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    int done = 0;
    while (done < out.length) {
      int want = Math.min(chunk.length, (out.length - done) * 4);
      int got = 0;
      while (got < want) {
        int r = in.read(chunk, got, want - got);
        if (r < 0) {
          throw new NpyException(
              "ends after " + (done + got / 4) + " of the " + n + " values its shape "
                  + header.shapeText() + " declares");
        }
        got += r;
      }
      bb.clear();
      bb.asFloatBuffer().get(out, done, want / 4);
      done += want / 4;
    }
    if (in.read() >= 0) {
      throw new NpyException("has more data than its shape " + header.shapeText() + " declares");
    }
    return out;
  }

  private static byte[] readFully(InputStream in, int n, String what) throws IOException, NpyException {
    byte[] b = new byte[n];
    try {
      new java.io.DataInputStream(in).readFully(b);
    } catch (EOFException e) {
      throw new NpyException("ends inside " + what);
    }
    return b;
  }

  /** Parses numpy's header, a Python dict literal such as {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }. */
  static Header parseDict(String s) throws NpyException {
    Parser p = new Parser(s);
    String descr = null;
    Boolean fortran = null;
    int[] shape = null;
    p.expect('{');
    while (!p.peek('}')) {
      String key = p.string();
      p.expect(':');
      switch (key) {
        case "descr" -> {
          if (descr != null) throw new NpyException("has a .npy header with 'descr' twice");
          descr = p.string();
        }
        case "fortran_order" -> {
          if (fortran != null) throw new NpyException("has a .npy header with 'fortran_order' twice");
          fortran = p.bool();
        }
        case "shape" -> {
          if (shape != null) throw new NpyException("has a .npy header with 'shape' twice");
          shape = p.tuple();
        }
        default -> throw new NpyException(
            "has an unknown key '" + ModelFile.printable(key) + "' in its .npy header");
      }
      if (!p.peek('}')) {
        p.expect(',');
      }
    }
    p.expect('}');
    p.end();
    if (descr == null || fortran == null || shape == null) {
      throw new NpyException("has a .npy header without 'descr', 'fortran_order' and 'shape'");
    }
    if (!descr.equals("<f4")) {
      throw new NpyException("has dtype '" + ModelFile.printable(descr) + "', expected '<f4' (little-endian float32)");
    }
    if (fortran) {
      throw new NpyException("is stored in Fortran order, expected C order (fortran_order False)");
    }
    return new Header(shape, 0);
  }

  /** Writes {@code data} with the given shape exactly as numpy.save would (format 1.0). */
  static void write(OutputStream out, int[] shape, float[] data) throws IOException {
    StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      dict.append(shape[i]).append(", ");
    }
    if (shape.length > 1) {
      dict.setLength(dict.length() - 2);
    } else if (shape.length == 1) {
      dict.setLength(dict.length() - 1);
    }
    dict.append("), }");
    int total = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    dict.append(" ".repeat(pad)).append('\n');
    byte[] header = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
    out.write(MAGIC);
    out.write(new byte[] {1, 0, (byte) header.length, (byte) (header.length >>> 8)});
    out.write(header);
    byte[] chunk = new byte[64 * 1024];
    ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < data.length; ) {
      int n = Math.min(chunk.length / 4, data.length - i);
      bb.clear();
      bb.asFloatBuffer().put(data, i, n);
      out.write(chunk, 0, n * 4);
      i += n;
    }
  }

  /** A tiny recursive-descent reader for the subset of Python literals numpy writes. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    boolean peek(char c) {
      skip();
      return i < s.length() && s.charAt(i) == c;
    }

    void expect(char c) throws NpyException {
      skip();
      if (i >= s.length() || s.charAt(i) != c) {
        throw new NpyException("has a malformed .npy header (expected '" + c + "' at " + i + ")");
      }
      i++;
    }

    void end() throws NpyException {
      skip();
      if (i != s.length()) {
        throw new NpyException("has trailing text after its .npy header dictionary");
      }
    }

    String string() throws NpyException {
      skip();
      if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) {
        throw new NpyException("has a malformed .npy header (expected a quoted string at " + i + ")");
      }
      char q = s.charAt(i++);
      int start = i;
      while (i < s.length() && s.charAt(i) != q) i++;
      if (i >= s.length()) {
        throw new NpyException("has a malformed .npy header (unterminated string)");
      }
      return s.substring(start, i++);
    }

    boolean bool() throws NpyException {
      skip();
      if (s.startsWith("True", i)) {
        i += 4;
        return true;
      }
      if (s.startsWith("False", i)) {
        i += 5;
        return false;
      }
      throw new NpyException("has a malformed .npy header (fortran_order must be True or False)");
    }

    int[] tuple() throws NpyException {
      expect('(');
      List<Integer> dims = new ArrayList<>();
      while (!peek(')')) {
        skip();
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        if (start == i || i - start > 10) {
          throw new NpyException("has a malformed .npy shape (expected a dimension at " + start + ")");
        }
        long d = Long.parseLong(s.substring(start, i));
        if (d > Integer.MAX_VALUE) {
          throw new NpyException("has a .npy dimension of " + d + ", too large");
        }
        dims.add((int) d);
        if (!peek(')')) {
          expect(',');
        }
      }
      expect(')');
      return dims.stream().mapToInt(Integer::intValue).toArray();
    }
  }
}
