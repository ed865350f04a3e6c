package continuo.midi;

/**
 * A MIDI message packed into one int, {@code status | data1 << 8 | data2 << 16}, so that rings,
 * heaps and callbacks move primitives only: channel messages, and the system messages of clock and
 * transport (a real-time byte is its status alone). Pure functions; any thread.
 */
public final class MidiMessage {
  private MidiMessage() {}

  public static final int NOTE_OFF = 0x80;
  public static final int NOTE_ON = 0x90;
  public static final int CONTROL_CHANGE = 0xB0;
  public static final int PROGRAM_CHANGE = 0xC0;
  /** The sustain pedal: down at 64 and above. */
  public static final int CC_SUSTAIN = 64;
  public static final int CC_ALL_SOUND_OFF = 120;
  public static final int CC_ALL_NOTES_OFF = 123;
  /** Song Position Pointer: two data bytes, the position in sixteenths (LSB first). */
  public static final int SONG_POSITION = 0xF2;
  /** Timing clock, 24 per quarter note (real-time). */
  public static final int CLOCK = 0xF8;
  /** Start the sequence from its beginning (real-time). */
  public static final int START = 0xFA;
  /** Continue from the current song position (real-time). */
  public static final int CONTINUE = 0xFB;
  /** Stop, keeping the song position (real-time). */
  public static final int STOP = 0xFC;

  public static int pack(int status, int data1, int data2) {
    return (status & 0xFF) | (data1 & 0x7F) << 8 | (data2 & 0x7F) << 16;
  }

  /** A message of {@code command} (0x80..0xE0) on channel 1..16. */
  public static int of(int command, int channel, int data1, int data2) {
    return pack((command & 0xF0) | ((channel - 1) & 0x0F), data1, data2);
  }

  public static int status(int msg) {
    return msg & 0xFF;
  }

  public static int data1(int msg) {
    return (msg >>> 8) & 0x7F;
  }

  public static int data2(int msg) {
    return (msg >>> 16) & 0x7F;
  }

  /** The command nibble 0x80..0xE0 of a channel message. */
  public static int command(int msg) {
    return msg & 0xF0;
  }

  /** The channel 1..16 of a channel message. */
  public static int channel(int msg) {
    return (msg & 0x0F) + 1;
  }

  /** A system real-time message (0xF8..0xFF): one byte, allowed anywhere in a MIDI stream. */
  public static boolean isRealTime(int msg) {
    return status(msg) >= 0xF8;
  }

  /** Clock, Start, Continue, Stop or Song Position: what a MIDI clock master sends. */
  public static boolean isClockOrTransport(int msg) {
    int s = status(msg);
    return s == CLOCK || s == START || s == CONTINUE || s == STOP || s == SONG_POSITION;
  }

  /** A note-on with velocity > 0 (velocity 0 is a note-off by MIDI convention). */
  public static boolean isNoteOn(int msg) {
    return command(msg) == NOTE_ON && data2(msg) > 0;
  }

  public static boolean isNoteOff(int msg) {
    return command(msg) == NOTE_OFF || (command(msg) == NOTE_ON && data2(msg) == 0);
  }

  /** Number of data bytes (0..2) that follow a channel or system-common status byte. */
  public static int dataLength(int status) {
    switch (status & 0xF0) {
      case 0xC0:
      case 0xD0:
        return 1;
      case 0xF0:
        switch (status) {
          case 0xF1:
          case 0xF3:
            return 1;
          case 0xF2:
            return 2;
          default:
            return 0;
        }
      default:
        return 2;
    }
  }

  /** Bytes of the packed message on the wire (1..3). */
  public static int length(int msg) {
    return 1 + dataLength(status(msg));
  }

  /** Human-readable form for logs and test failures (allocates; never on the hot path). */
  public static String toString(int msg) {
    return String.format("%02X %d %d", status(msg), data1(msg), data2(msg));
  }
}
