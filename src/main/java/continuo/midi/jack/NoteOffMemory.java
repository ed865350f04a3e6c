package continuo.midi.jack;

import continuo.midi.MidiMessage;
import java.util.Arrays;

/**
 * The note-offs continuo wrote in the last moments, to write again after an xrun.
 *
 * <p>When a JACK client overruns its period, JACK2 (in its default asynchronous mode) lets the
 * readers of its output run on a buffer it has not finished writing: they get an empty or partial
 * period, and a note-off in it is lost, so a synth holds that note forever. JACK reports the xrun
 * but not which events were lost. A note-off for a note that is not sounding changes nothing, so
 * after an xrun continuo writes again every note-off (and all-notes-off) of the last moments whose
 * note has not been turned on again since. Fixed capacity, no allocation: the JACK callback uses it.
 */
final class NoteOffMemory {
  private static final int KEYS = 16 * 128;

  private final long[] frames;
  private final int[] messages;
  private final boolean[] sounding = new boolean[KEYS];
  private final int[] stamp = new int[KEYS + 16];
  private int generation;
  private int head;
  private int size;

  NoteOffMemory(int capacity) {
    frames = new long[capacity];
    messages = new int[capacity];
  }

  /** Records a message written to the output at {@code frame}. */
  void written(long frame, int msg) {
    if (MidiMessage.isNoteOn(msg)) {
      sounding[key(msg)] = true;
    } else if (MidiMessage.isNoteOff(msg)) {
      sounding[key(msg)] = false;
      remember(frame, msg);
    } else if (isAllNotesOff(msg)) {
      int first = (MidiMessage.channel(msg) - 1) * 128;
      Arrays.fill(sounding, first, first + 128, false);
      remember(frame, msg);
    }
  }

  private static boolean isAllNotesOff(int msg) {
    return MidiMessage.command(msg) == MidiMessage.CONTROL_CHANGE
        && (MidiMessage.data1(msg) == MidiMessage.CC_ALL_NOTES_OFF
            || MidiMessage.data1(msg) == MidiMessage.CC_ALL_SOUND_OFF);
  }

  /**
   * The note a note message is about (channel * 128 + pitch), or for an all-notes-off its channel
   * after all the notes ({@code KEYS + channel}).
   */
  private static int key(int msg) {
    int channel = MidiMessage.channel(msg) - 1;
    return isAllNotesOff(msg) ? KEYS + channel : channel * 128 + MidiMessage.data1(msg);
  }

  private void remember(long frame, int msg) {
    frames[head] = frame;
    messages[head] = msg;
    head = (head + 1) % frames.length;
    size = Math.min(size + 1, frames.length);
  }

  /**
   * Puts into {@code out} (oldest first, each at most once) the note-offs written at or after
   * {@code sinceFrame} whose note is not sounding now, and all-notes-offs of channels with no note
   * sounding now. Returns how many.
   */
  int repeatSince(long sinceFrame, int[] out) {
    if (++generation == 0) {
      Arrays.fill(stamp, 0);
      generation = 1;
    }
    int inWindow = 0;
    while (inWindow < size && frames[slot(inWindow)] >= sinceFrame) {
      inWindow++;
    }
    int n = 0;
    for (int k = inWindow - 1; k >= 0; k--) { // oldest first
      int msg = messages[slot(k)];
      int key = key(msg);
      if (stamp[key] == generation || stillSounding(key)) {
        continue;
      }
      stamp[key] = generation;
      if (n < out.length) {
        out[n++] = msg;
      }
    }
    return n;
  }

  /** The ring index of the message written {@code ago} messages before the newest. */
  private int slot(int ago) {
    return Math.floorMod(head - 1 - ago, frames.length);
  }

  private boolean stillSounding(int key) {
    if (key < KEYS) {
      return sounding[key];
    }
    int channel = key - KEYS;
    for (int p = 0; p < 128; p++) {
      if (sounding[channel * 128 + p]) {
        return true;
      }
    }
    return false;
  }
}
