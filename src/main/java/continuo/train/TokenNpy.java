package continuo.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One-dimensional NumPy {@code .npy} arrays of little-endian integers, the two kinds a token shard
 * holds: tokens as {@code <i2} and piece start offsets as {@code <i8}. Writes what {@code
 * numpy.save} writes (format 1.0); reads only those two kinds, with the length bounded by the
 * caller. Offline; any thread.
 */
final class TokenNpy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern HEADER = Pattern.compile(
      "\\{'descr': '(<i2|<i8)', 'fortran_order': False, 'shape': \\((\\d+),\\), \\}\\s*");

  private TokenNpy() {}

  static void writeShorts(OutputStream out, int[] values, int from, int to) throws IOException {
    header(out, "<i2", to - from);
    ByteBuffer bb = ByteBuffer.allocate((to - from) * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = from; i < to; i++) {
      bb.putShort((short) values[i]);
    }
    out.write(bb.array());
  }

  static void writeLongs(OutputStream out, long[] values) throws IOException {
    header(out, "<i8", values.length);
    ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      bb.putLong(v);
    }
    out.write(bb.array());
  }

  private static void header(OutputStream out, String descr, int length) throws IOException {
    StringBuilder dict = new StringBuilder("{'descr': '" + descr
        + "', 'fortran_order': False, 'shape': (" + length + ",), }");
    int total = MAGIC.length + 4 + dict.length() + 1;
    dict.append(" ".repeat((64 - total % 64) % 64)).append('\n');
    byte[] h = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
    out.write(MAGIC);
    out.write(new byte[] {1, 0, (byte) h.length, (byte) (h.length >>> 8)});
    out.write(h);
  }

  /** Reads an {@code <i2} array (as ints) or an {@code <i8} array (as longs, in a long[]). */
  static Object read(InputStream in, long maxLength, String name) throws IOException {
    byte[] start = in.readNBytes(10);
    if (start.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(start, 6), MAGIC)
        || start[6] != 1) {
      throw new IOException(name + " is not a version 1 .npy file");
    }
    int headerLength = (start[8] & 0xff) | (start[9] & 0xff) << 8;
    String header = new String(in.readNBytes(headerLength), StandardCharsets.ISO_8859_1);
    Matcher m = HEADER.matcher(header);
    if (!m.matches()) {
      throw new IOException(name + ": expected a 1-D <i2 or <i8 array, found header " + header.strip());
    }
    long length = Long.parseLong(m.group(2));
    if (length > maxLength) {
      throw new IOException(name + " holds " + length + " values, more than the " + maxLength
          + " allowed");
    }
    boolean shorts = m.group(1).equals("<i2");
    int width = shorts ? 2 : 8;
    byte[] data = in.readNBytes((int) length * width);
    if (data.length != length * width) {
      throw new IOException(name + " ends after " + data.length / width + " of " + length + " values");
    }
    ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    if (shorts) {
      int[] out = new int[(int) length];
      for (int i = 0; i < out.length; i++) {
        out[i] = bb.getShort();
      }
      return out;
    }
    long[] out = new long[(int) length];
    for (int i = 0; i < out.length; i++) {
      out[i] = bb.getLong();
    }
    return out;
  }
}
