package continuo.encoding;

/**
 * One sounding note of a performance: absolute start and end in microseconds from the start of the
 * piece, MIDI pitch and velocity (1..127), and the MIDI channel it came from (0..15). Immutable.
 */
public record Note(int pitch, int velocity, long startMicros, long endMicros, int channel) {
  public Note {
    if (pitch < 0 || pitch > 127) {
      throw new IllegalArgumentException("pitch must be 0..127, got " + pitch);
    }
    if (velocity < 1 || velocity > 127) {
      throw new IllegalArgumentException("velocity must be 1..127, got " + velocity);
    }
    if (startMicros < 0 || endMicros < startMicros) {
      throw new IllegalArgumentException(
          "note times must satisfy 0 <= start <= end, got " + startMicros + ".." + endMicros);
    }
    if (channel < 0 || channel > 15) {
      throw new IllegalArgumentException("channel must be 0..15, got " + channel);
    }
  }

  public long durationMicros() {
    return endMicros - startMicros;
  }
}
