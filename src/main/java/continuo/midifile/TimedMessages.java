package continuo.midifile;

/**
 * The channel messages of a MIDI file in time order, each with its tick, its time in microseconds
 * and its track, and the file's {@link TempoMap}. Messages are packed as {@code status | data1 << 8
 * | data2 << 16} (the layout of {@code continuo.midi.MidiMessage}). At equal ticks, earlier tracks
 * come first, and a track's own order is kept. Immutable once read; safe from any thread.
 */
public final class TimedMessages {
  private final long[] ticks;
  private final long[] micros;
  private final int[] messages;
  private final int[] tracks;
  private final TempoMap tempoMap;

  TimedMessages(long[] ticks, long[] micros, int[] messages, int[] tracks, TempoMap tempoMap) {
    this.ticks = ticks;
    this.micros = micros;
    this.messages = messages;
    this.tracks = tracks;
    this.tempoMap = tempoMap;
  }

  public int size() {
    return messages.length;
  }

  public long tick(int i) {
    return ticks[i];
  }

  /** Microseconds from the start of the piece. */
  public long micros(int i) {
    return micros[i];
  }

  /** The packed message: status, data1 and data2. */
  public int message(int i) {
    return messages[i];
  }

  public int status(int i) {
    return messages[i] & 0xFF;
  }

  public int data1(int i) {
    return (messages[i] >>> 8) & 0x7F;
  }

  public int data2(int i) {
    return (messages[i] >>> 16) & 0x7F;
  }

  /** The track the message came from, counted from 0. */
  public int track(int i) {
    return tracks[i];
  }

  public TempoMap tempoMap() {
    return tempoMap;
  }

  /** The time of the last message (0 when there is none). */
  public long lengthMicros() {
    return micros.length == 0 ? 0 : micros[micros.length - 1];
  }
}
