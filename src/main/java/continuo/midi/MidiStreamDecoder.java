package continuo.midi;

/**
 * Turns a raw MIDI byte stream (a serial port, a raw device, a fuzzer) into packed messages:
 * running status, system real-time bytes interleaved anywhere (delivered at once, without
 * disturbing the message they interrupt), SysEx of any length (skipped without buffering), and
 * malformed input (stray data bytes, truncated messages, a lone EOX) counted and skipped. Allocation
 * free; owned by the one thread that feeds it.
 */
public final class MidiStreamDecoder {
  private int runningStatus; // 0 = none
  private int needed; // data bytes the current message still needs
  private int data1;
  private int have;
  private boolean inSysEx;
  private long malformed;
  private long sysExSkipped;

  /** Feeds {@code len} bytes; complete messages go to {@code out} stamped {@code timeNanos}. */
  public void feed(long timeNanos, byte[] bytes, int off, int len, MidiHandler out) {
    for (int i = off; i < off + len; i++) {
      feed(timeNanos, bytes[i] & 0xFF, out);
    }
  }

  /** Feeds one byte (0..255). */
  public void feed(long timeNanos, int b, MidiHandler out) {
    if (b >= 0xF8) { // system real-time: may appear anywhere, even inside SysEx
      if (b != 0xF9 && b != 0xFD) {
        out.onMidi(timeNanos, b);
      }
      return;
    }
    if (b >= 0x80) {
      status(timeNanos, b, out);
      return;
    }
    if (inSysEx) {
      return;
    }
    if (runningStatus == 0) {
      malformed++; // a data byte with no status to belong to
      return;
    }
    if (needed == 0) { // running status: a new message of the same kind starts
      needed = MidiMessage.dataLength(runningStatus);
      have = 0;
      partial = true;
    }
    if (have == 0) {
      data1 = b;
    }
    have++;
    needed--;
    if (needed == 0) {
      int d1 = have >= 1 ? data1 : 0;
      int d2 = have >= 2 ? b : 0;
      partial = false;
      out.onMidi(timeNanos, MidiMessage.pack(runningStatus, d1, d2));
      if (runningStatus >= 0xF0) {
        runningStatus = 0; // system common messages do not set running status
      }
    }
  }

  private void status(long timeNanos, int b, MidiHandler out) {
    if (inSysEx) {
      inSysEx = false;
      if (b == 0xF7) {
        return; // the regular end of a SysEx
      }
      malformed++; // a SysEx cut short by a new status
    } else if (partial) {
      malformed++; // the previous message was truncated
    }
    partial = false;
    needed = 0;
    have = 0;
    if (b == 0xF0) {
      inSysEx = true;
      sysExSkipped++;
      runningStatus = 0;
      return;
    }
    if (b == 0xF7) {
      malformed++; // EOX without a SysEx
      runningStatus = 0;
      return;
    }
    runningStatus = b;
    needed = MidiMessage.dataLength(b);
    if (needed == 0) {
      out.onMidi(timeNanos, MidiMessage.pack(b, 0, 0));
      runningStatus = b >= 0xF0 ? 0 : b;
      return;
    }
    partial = true;
  }

  private boolean partial;

  /** Bytes or messages skipped as malformed so far. */
  public long malformed() {
    return malformed;
  }

  /** SysEx messages skipped so far. */
  public long sysExSkipped() {
    return sysExSkipped;
  }

  /**
   * The packet the bytes came in has ended, and packets are whole messages (a JACK event): a
   * message still waiting for data bytes was truncated, and is counted as malformed and forgotten;
   * running status and an unterminated SysEx end with the packet.
   */
  public void endOfPacket() {
    if (partial) {
      malformed++;
    }
    reset();
  }

  /** Forgets any partial message (e.g. after a device reconnects). */
  public void reset() {
    runningStatus = 0;
    needed = 0;
    have = 0;
    inSysEx = false;
    partial = false;
  }
}
