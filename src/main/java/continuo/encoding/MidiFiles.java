package continuo.encoding;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads and writes Standard MIDI Files as lists of {@link Note}s.
 *
 * <p>Reading: formats 0 and 1, every track and channel except drums (channel 10), tempo changes
 * from any track, running status, SysEx and meta events skipped, note-on with velocity 0 as
 * note-off, the sustain pedal (CC 64) extending released notes until it lifts, a re-struck
 * sounding pitch ending the previous note at the new onset, and notes left sounding closed at the
 * last event. Corrupt input gets an {@link IOException} naming the file and the problem.
 *
 * <p>Writing: format 1, 480 ticks per quarter note at 120 bpm, a tempo track and one track per
 * channel used; at equal ticks note-offs come first. The same notes always give the same bytes.
 */
public final class MidiFiles {
  /** Larger files are refused rather than read into memory. */
  public static final int MAX_BYTES = 64 * 1024 * 1024;
  /** Ticks per quarter note of written files. */
  public static final int PPQ = 480;
  /** Microseconds per quarter note of written files (120 bpm). */
  public static final int TEMPO = 500_000;

  private static final int DRUMS = 9;
  private static final int SUSTAIN = 64;

  private MidiFiles() {}

  /** Reads the notes of a Standard MIDI File, sorted by onset, then pitch. */
  public static List<Note> read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new IOException(file + ": " + size + " bytes is larger than the " + MAX_BYTES
          + "-byte limit for a MIDI file");
    }
    return parse(Files.readAllBytes(file), file.toString());
  }

  /** Parses SMF bytes; {@code name} is used in error messages. */
  public static List<Note> parse(byte[] bytes, String name) throws IOException {
    return new Parser(bytes, name).notes();
  }

  /** Writes {@code notes} as a format-1 file, atomically. */
  public static void write(List<Note> notes, Path out) throws IOException {
    byte[] bytes = toBytes(notes);
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + out.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The bytes {@link #write} writes. */
  public static byte[] toBytes(List<Note> notes) {
    boolean[] used = new boolean[16];
    for (Note n : notes) {
      used[n.channel()] = true;
    }
    int tracks = 1;
    for (boolean u : used) {
      tracks += u ? 1 : 0;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1});
    out.write(tracks >> 8);
    out.write(tracks);
    out.write(PPQ >> 8);
    out.write(PPQ & 0xFF);
    ByteArrayOutputStream tempo = new ByteArrayOutputStream();
    tempo.writeBytes(new byte[] {0, (byte) 0xFF, 0x51, 3,
        (byte) (TEMPO >> 16), (byte) (TEMPO >> 8), (byte) TEMPO, 0, (byte) 0xFF, 0x2F, 0});
    chunk(out, tempo.toByteArray());
    for (int ch = 0; ch < 16; ch++) {
      if (used[ch]) {
        chunk(out, track(notes, ch));
      }
    }
    return out.toByteArray();
  }

  private static byte[] track(List<Note> notes, int channel) {
    List<long[]> events = new ArrayList<>();
    for (Note n : notes) {
      if (n.channel() == channel) {
        long on = ticks(n.startMicros());
        long off = Math.max(on + 1, ticks(n.endMicros()));
        events.add(new long[] {on, 1, n.pitch(), n.velocity()});
        events.add(new long[] {off, 0, n.pitch(), 0});
      }
    }
    events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1])
        .thenComparingLong(e -> e[2]));
    ByteArrayOutputStream t = new ByteArrayOutputStream();
    long now = 0;
    for (long[] e : events) {
      writeVarLen(t, e[0] - now);
      now = e[0];
      t.write((e[1] == 1 ? 0x90 : 0x80) | channel);
      t.write((int) e[2]);
      t.write(e[1] == 1 ? (int) e[3] : 64);
    }
    t.writeBytes(new byte[] {0, (byte) 0xFF, 0x2F, 0});
    return t.toByteArray();
  }

  private static long ticks(long micros) {
    return Math.round(micros * (double) PPQ / TEMPO);
  }

  private static void chunk(ByteArrayOutputStream out, byte[] body) {
    out.writeBytes(new byte[] {'M', 'T', 'r', 'k'});
    int n = body.length;
    out.write(n >>> 24);
    out.write(n >>> 16);
    out.write(n >>> 8);
    out.write(n);
    out.writeBytes(body);
  }

  private static void writeVarLen(ByteArrayOutputStream out, long value) {
    int shift = 28;
    while (shift > 0 && (value >>> shift) == 0) {
      shift -= 7;
    }
    for (; shift > 0; shift -= 7) {
      out.write((int) (((value >>> shift) & 0x7F) | 0x80));
    }
    out.write((int) (value & 0x7F));
  }

  /** One pass over the bytes; collects channel events and tempo changes, then builds notes. */
  private static final class Parser {
    private final byte[] b;
    private final String name;
    private int pos;
    // Channel events as {tick, track, order, status, data1, data2}; tempo as {tick, micros/quarter}.
    private final List<long[]> events = new ArrayList<>();
    private final List<long[]> tempos = new ArrayList<>();
    private int division;

    Parser(byte[] bytes, String name) {
      this.b = bytes;
      this.name = name;
    }

    List<Note> notes() throws IOException {
      if (b.length < 14 || !tag(0, "MThd")) {
        throw new IOException(name + ": not a Standard MIDI File (no MThd header)");
      }
      long headerLength = u32(4);
      if (headerLength < 6 || 8 + headerLength > b.length) {
        throw new IOException(name + ": bad header length " + headerLength);
      }
      int format = u16(8);
      int tracks = u16(10);
      division = u16(12);
      if (format > 2) {
        throw new IOException(name + ": unknown MIDI file format " + format);
      }
      if (format == 2) {
        throw new IOException(name + ": format 2 (independent sequences) is not supported");
      }
      if (division == 0) {
        throw new IOException(name + ": time division is 0");
      }
      pos = 8 + (int) headerLength;
      int track = 0;
      while (pos + 8 <= b.length && track < tracks) {
        long length = u32(pos + 4);
        int start = pos + 8;
        if (length > b.length - start) {
          throw new IOException(name + ": chunk at byte " + pos + " declares " + length
              + " bytes but the file ends after " + (b.length - start));
        }
        boolean isTrack = tag(pos, "MTrk");
        pos = start;
        if (isTrack) {
          readTrack(track++, start + (int) length);
        }
        pos = start + (int) length;
      }
      if (track < tracks) {
        throw new IOException(name + ": header promises " + tracks + " tracks, file holds " + track);
      }
      return build();
    }

    private void readTrack(int track, int end) throws IOException {
      long tick = 0;
      int running = -1;
      long order = 0;
      while (pos < end) {
        tick += varLen(end, track);
        if (pos >= end) {
          throw truncated(track);
        }
        int status = b[pos] & 0xFF;
        if (status >= 0x80) {
          pos++;
        } else if (running >= 0) {
          status = running;
        } else {
          throw new IOException(name + ": track " + (track + 1) + " has a data byte without a"
              + " status at byte " + pos);
        }
        if (status == 0xFF) {
          need(end, 1, track);
          int type = b[pos++] & 0xFF;
          long length = varLen(end, track);
          need(end, length, track);
          if (type == 0x51 && length == 3) {
            long tempo = ((b[pos] & 0xFF) << 16) | ((b[pos + 1] & 0xFF) << 8) | (b[pos + 2] & 0xFF);
            if (tempo > 0) {
              tempos.add(new long[] {tick, tempo, track, order++});
            }
          }
          pos += (int) length;
          if (type == 0x2F) {
            return;
          }
        } else if (status == 0xF0 || status == 0xF7) {
          long length = varLen(end, track);
          need(end, length, track);
          pos += (int) length;
        } else if (status >= 0xF0) {
          throw new IOException(name + ": track " + (track + 1) + " has status byte 0x"
              + Integer.toHexString(status) + " at byte " + (pos - 1)
              + ", which is not allowed in a MIDI file");
        } else {
          running = status;
          int kind = status & 0xF0;
          int size = kind == 0xC0 || kind == 0xD0 ? 1 : 2;
          need(end, size, track);
          int d1 = b[pos] & 0x7F;
          int d2 = size == 2 ? b[pos + 1] & 0x7F : 0;
          pos += size;
          if (kind == 0x80 || kind == 0x90 || kind == 0xB0) {
            events.add(new long[] {tick, track, order++, status, d1, d2});
          }
        }
      }
    }

    private List<Note> build() {
      events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1])
          .thenComparingLong(e -> e[2]));
      tempos.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[2])
          .thenComparingLong(e -> e[3]));
      TempoMap map = new TempoMap(tempos, division);
      long[][] start = new long[16][128];
      int[][] velocity = new int[16][128];
      boolean[][] held = new boolean[16][128];
      boolean[] pedal = new boolean[16];
      for (long[] s : start) {
        Arrays.fill(s, -1);
      }
      List<Note> notes = new ArrayList<>();
      long last = 0;
      for (long[] e : events) {
        long now = map.micros(e[0]);
        last = Math.max(last, now);
        int status = (int) e[3];
        int ch = status & 0x0F;
        int kind = status & 0xF0;
        int d1 = (int) e[4];
        int d2 = (int) e[5];
        if (ch == DRUMS) {
          continue;
        }
        if (kind == 0x90 && d2 > 0) {
          if (start[ch][d1] >= 0) {
            notes.add(new Note(d1, velocity[ch][d1], start[ch][d1], now, ch));
          }
          start[ch][d1] = now;
          velocity[ch][d1] = d2;
          held[ch][d1] = false;
        } else if (kind == 0x80 || kind == 0x90) {
          if (start[ch][d1] >= 0) {
            if (pedal[ch]) {
              held[ch][d1] = true;
            } else {
              notes.add(new Note(d1, velocity[ch][d1], start[ch][d1], now, ch));
              start[ch][d1] = -1;
            }
          }
        } else if (kind == 0xB0 && d1 == SUSTAIN) {
          boolean down = d2 >= 64;
          if (pedal[ch] && !down) {
            for (int p = 0; p < 128; p++) {
              if (held[ch][p]) {
                notes.add(new Note(p, velocity[ch][p], start[ch][p], now, ch));
                start[ch][p] = -1;
                held[ch][p] = false;
              }
            }
          }
          pedal[ch] = down;
        }
      }
      for (int ch = 0; ch < 16; ch++) {
        for (int p = 0; p < 128; p++) {
          if (start[ch][p] >= 0) {
            notes.add(new Note(p, velocity[ch][p], start[ch][p], last, ch));
          }
        }
      }
      notes.sort(Comparator.comparingLong(Note::startMicros).thenComparingInt(Note::pitch)
          .thenComparingInt(Note::channel));
      return notes;
    }

    private long varLen(int end, int track) throws IOException {
      long value = 0;
      for (int i = 0; i < 4; i++) {
        if (pos >= end) {
          throw truncated(track);
        }
        int x = b[pos++] & 0xFF;
        value = (value << 7) | (x & 0x7F);
        if ((x & 0x80) == 0) {
          return value;
        }
      }
      throw new IOException(name + ": track " + (track + 1)
          + " has a variable-length number longer than 4 bytes at byte " + pos);
    }

    private void need(int end, long bytes, int track) throws IOException {
      if (bytes > end - pos) {
        throw truncated(track);
      }
    }

    private IOException truncated(int track) {
      return new IOException(name + ": track " + (track + 1) + " ends inside an event at byte " + pos);
    }

    private boolean tag(int at, String t) {
      for (int i = 0; i < 4; i++) {
        if (at + i >= b.length || b[at + i] != t.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private int u16(int at) {
      return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private long u32(int at) {
      return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8)
          | (b[at + 3] & 0xFF);
    }
  }

  /** Ticks to microseconds through the tempo changes (or SMPTE frames). */
  private static final class TempoMap {
    private final long[] ticks;
    private final long[] tempo;
    private final double[] micros;
    private final int ppq;
    private final double smpteMicrosPerTick;

    TempoMap(List<long[]> changes, int division) {
      if ((division & 0x8000) != 0) {
        int fps = -(byte) (division >> 8);
        int perFrame = division & 0xFF;
        smpteMicrosPerTick = 1e6 / (Math.max(1, fps == 29 ? 29.97 : fps) * Math.max(1, perFrame));
        ppq = 1;
      } else {
        smpteMicrosPerTick = 0;
        ppq = division;
      }
      List<long[]> list = new ArrayList<>();
      list.add(new long[] {0, 500_000});
      for (long[] c : changes) {
        if (c[0] == list.get(list.size() - 1)[0]) {
          list.set(list.size() - 1, new long[] {c[0], c[1]});
        } else {
          list.add(new long[] {c[0], c[1]});
        }
      }
      ticks = new long[list.size()];
      tempo = new long[list.size()];
      micros = new double[list.size()];
      for (int i = 0; i < list.size(); i++) {
        ticks[i] = list.get(i)[0];
        tempo[i] = list.get(i)[1];
        if (i > 0) {
          micros[i] = micros[i - 1] + (ticks[i] - ticks[i - 1]) * (double) tempo[i - 1] / ppq;
        }
      }
    }

    long micros(long tick) {
      if (smpteMicrosPerTick > 0) {
        return Math.round(tick * smpteMicrosPerTick);
      }
      int i = Arrays.binarySearch(ticks, tick);
      if (i < 0) {
        i = -i - 2;
      }
      return Math.round(micros[i] + (tick - ticks[i]) * (double) tempo[i] / ppq);
    }
  }
}
