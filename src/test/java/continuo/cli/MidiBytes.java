package continuo.cli;

/** A minimal, independent SMF walker for tests: counts note-ons and note-offs per pitch. */
final class MidiBytes {
  private MidiBytes() {}

  /** Note-ons minus note-offs per pitch: all zero when every note is closed. */
  static int[] noteBalance(byte[] smf) {
    int[] ons = new int[128];
    int[] offs = new int[128];
    walk(smf, ons, offs);
    int[] balance = new int[128];
    for (int pitch = 0; pitch < 128; pitch++) {
      balance[pitch] = ons[pitch] - offs[pitch];
    }
    return balance;
  }

  /** Note-ons (velocity above 0) in the whole file. */
  static int noteOnCount(byte[] smf) {
    int[] ons = new int[128];
    walk(smf, ons, new int[128]);
    int n = 0;
    for (int c : ons) {
      n += c;
    }
    return n;
  }

  private static void walk(byte[] smf, int[] ons, int[] offs) {
    int pos = 14; // after MThd
    while (pos + 8 <= smf.length) {
      int len = ((smf[pos + 4] & 0xff) << 24) | ((smf[pos + 5] & 0xff) << 16)
          | ((smf[pos + 6] & 0xff) << 8) | (smf[pos + 7] & 0xff);
      int p = pos + 8;
      int end = p + len;
      int status = 0;
      while (p < end) {
        while ((smf[p++] & 0x80) != 0) {} // delta time
        int b = smf[p] & 0xff;
        if (b == 0xff) {
          p += 2;
          int l = 0;
          int c;
          do {
            c = smf[p++] & 0xff;
            l = (l << 7) | (c & 0x7f);
          } while ((c & 0x80) != 0);
          p += l;
          continue;
        }
        if (b == 0xf0 || b == 0xf7) {
          p++;
          int l = 0;
          int c;
          do {
            c = smf[p++] & 0xff;
            l = (l << 7) | (c & 0x7f);
          } while ((c & 0x80) != 0);
          p += l;
          continue;
        }
        if ((b & 0x80) != 0) {
          status = b;
          p++;
        }
        int type = status & 0xf0;
        int d1 = smf[p++] & 0x7f;
        if (type == 0xc0 || type == 0xd0) {
          continue;
        }
        int d2 = smf[p++] & 0x7f;
        if (type == 0x90 && d2 > 0) {
          ons[d1]++;
        } else if (type == 0x80 || type == 0x90) {
          offs[d1]++;
        }
      }
      pos = end;
    }
  }
}
