package continuo.midifile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a Standard MIDI File (formats 0 and 1) into {@link TimedMessages}: every channel message of
 * every track, with running status, tempo changes from any track into one {@link TempoMap}, SysEx
 * and other meta events skipped. Corrupt or unreasonable input gets an {@link IOException} whose
 * one-line message names the file and the problem.
 *
 * <p>What a file may cost is bounded before it is spent: only regular files are opened (a FIFO,
 * a device or a directory is refused unopened), at most {@link #MAX_BYTES} are read, at most
 * {@link #MAX_MESSAGES} channel messages kept, and the music may last at most
 * {@link #MAX_DURATION_MICROS}, so that huge delta times cannot make the reader's users (tokens,
 * notes, playback) allocate without limit. Called from any thread; no shared state.
 */
public final class MidiFileReader {
  /** Larger files are refused rather than read into memory. */
  public static final int MAX_BYTES = 64 * 1024 * 1024;
  /** More channel messages than this are refused (a long piano piece holds about 100,000). */
  public static final int MAX_MESSAGES = 1_000_000;
  /** The longest piece accepted: 6 hours. */
  public static final long MAX_DURATION_MICROS = 6L * 3600 * 1_000_000;

  private MidiFileReader() {}

  /** Reads {@code file}, refusing anything but a regular file of at most {@link #MAX_BYTES}. */
  public static TimedMessages read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(file + ": no such MIDI file");
    }
    if (Files.isDirectory(file)) {
      throw new IOException(file + ": is a directory, not a MIDI file");
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": not a regular file (a device, pipe or socket);"
          + " expected a Standard MIDI File");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      throw new IOException(file + ": larger than the " + MAX_BYTES
          + "-byte limit for a MIDI file");
    }
    return parse(bytes, file.toString());
  }

  /** Parses SMF bytes; {@code name} is used in error messages. */
  public static TimedMessages parse(byte[] bytes, String name) throws IOException {
    return new Parser(bytes, name).parse();
  }

  private static final class Parser {
    private final byte[] b;
    private final String name;
    private int pos;
    private long[] ticks = new long[64];
    private int[] messages = new int[64];
    private int[] tracks = new int[64];
    private int size;
    private long[] tempoTicks = new long[4];
    private int[] tempos = new int[4];
    private int tempoCount;

    Parser(byte[] bytes, String name) {
      this.b = bytes;
      this.name = name;
    }

    TimedMessages parse() throws IOException {
      if (b.length < 14 || !tag(0, "MThd")) {
        throw new IOException(name + ": not a Standard MIDI File (no MThd header)");
      }
      long headerLength = u32(4);
      if (headerLength < 6 || 8 + headerLength > b.length) {
        throw new IOException(name + ": bad header length " + headerLength);
      }
      int format = u16(8);
      int trackCount = u16(10);
      int division = u16(12);
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
      while (pos + 8 <= b.length && track < trackCount) {
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
      if (track < trackCount) {
        throw new IOException(name + ": header promises " + trackCount + " tracks, file holds "
            + track);
      }
      return build(division);
    }

    private void readTrack(int track, int end) throws IOException {
      long tick = 0;
      int running = -1;
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
            int tempo = ((b[pos] & 0xFF) << 16) | ((b[pos + 1] & 0xFF) << 8) | (b[pos + 2] & 0xFF);
            if (tempo > 0) {
              addTempo(tick, tempo);
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
          int length = kind == 0xC0 || kind == 0xD0 ? 1 : 2;
          need(end, length, track);
          int d1 = b[pos] & 0x7F;
          int d2 = length == 2 ? b[pos + 1] & 0x7F : 0;
          pos += length;
          add(tick, status | d1 << 8 | d2 << 16, track);
        }
      }
    }

    private void add(long tick, int message, int track) throws IOException {
      if (size == MAX_MESSAGES) {
        throw new IOException(name + ": more than " + MAX_MESSAGES
            + " channel messages, the limit for a MIDI file");
      }
      if (size == messages.length) {
        int n = Math.min(MAX_MESSAGES, 2 * size);
        ticks = Arrays.copyOf(ticks, n);
        messages = Arrays.copyOf(messages, n);
        tracks = Arrays.copyOf(tracks, n);
      }
      ticks[size] = tick;
      messages[size] = message;
      tracks[size++] = track;
    }

    private void addTempo(long tick, int tempo) {
      if (tempoCount == tempos.length) {
        tempoTicks = Arrays.copyOf(tempoTicks, 2 * tempoCount);
        tempos = Arrays.copyOf(tempos, 2 * tempoCount);
      }
      tempoTicks[tempoCount] = tick;
      tempos[tempoCount++] = tempo;
    }

    /** Orders both lists by tick (stable: track, then the track's own order) and times them. */
    private TimedMessages build(int division) throws IOException {
      int[] tempoOrder = StableOrder.byKey(tempoTicks, tempoCount);
      long[] changeTicks = new long[tempoCount];
      int[] changeTempos = new int[tempoCount];
      for (int i = 0; i < tempoCount; i++) {
        changeTicks[i] = tempoTicks[tempoOrder[i]];
        changeTempos[i] = tempos[tempoOrder[i]];
      }
      TempoMap map = new TempoMap(division, changeTicks, changeTempos);
      int[] order = StableOrder.byKey(ticks, size);
      long[] t = new long[size];
      long[] us = new long[size];
      int[] m = new int[size];
      int[] tr = new int[size];
      for (int i = 0; i < size; i++) {
        int j = order[i];
        t[i] = ticks[j];
        us[i] = map.micros(t[i]);
        m[i] = messages[j];
        tr[i] = tracks[j];
      }
      if (size > 0 && us[size - 1] > MAX_DURATION_MICROS) {
        throw new IOException(name + String.format(Locale.ROOT,
            ": its events span %.1f hours (huge delta times?), longer than the %d-hour limit"
                + " for a MIDI file", us[size - 1] / 3.6e9, MAX_DURATION_MICROS / 3_600_000_000L));
      }
      return new TimedMessages(t, us, m, tr, map);
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
      return new IOException(name + ": track " + (track + 1) + " ends inside an event at byte "
          + pos);
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
      return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16)
          | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
  }
}
