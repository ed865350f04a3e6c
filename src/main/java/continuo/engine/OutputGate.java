package continuo.engine;

import static continuo.encoding.PerformanceEncoding.NOTE_ON;

import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.preset.Preset;
import continuo.schedule.EventHeap;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The output gate: everything continuo sends goes through here. Holds the schedule of generated
 * events, releases each to the backend's output ring one output lead before it is due, and turns
 * it away when it is late, over the polyphony limit or a pitch already sounding; ends notes that
 * sound longer than allowed; echoes the player's notes (thru); hands a copy of every note to the
 * recording ring. Owns what is really sounding (continuo's notes and the echoed ones), so every
 * note it turns on it can turn off. Engine thread only, except {@link #setOutputLead}; allocation
 * free.
 *
 * <p>Each scheduled event carries a tag (the look-ahead's snapshot slot); the tag of the latest
 * event, in the order they were scheduled, that has been released is what was heard
 * ({@link #heardSlot}). {@link #schedule} places note-ons on the preset's beat grid and moves
 * their note-offs with them ({@link GridPlacement}), at the tempo and beat {@link #keepTime} last
 * told; transport Stop is {@link #releaseSounding} plus {@link #releaseThru}.
 */
final class OutputGate {
  /** Generation waits while an event is due within this margin. */
  static final long RELEASE_MARGIN_NANOS = 2 * Listener.MS;
  private static final int TAG_MASK = 127;

  private final MidiEventRing output;
  private final MidiEventRing record;
  /** The smallest change of tempo the recording is told of. */
  static final double TEMPO_STEP_BPM = 0.1;
  private double recordedBpm;
  private volatile long outputLead;
  private final EventHeap schedule = new EventHeap(256);
  private final GridPlacement grid = new GridPlacement();
  /** When the engine last told the time ({@link #keepTime}). */
  private long toldNanos;
  /** The order each tag was scheduled in, and the time it was scheduled for (before placing). */
  private final long[] tagOrder = new long[TAG_MASK + 1];
  private final long[] tagNanos = new long[TAG_MASK + 1];
  private long scheduled;
  private long heardOrder = -1;
  private final boolean[] sounding = new boolean[128];
  private final long[] soundingSince = new long[128];
  private int soundingCount;
  private final boolean[] thruOn = new boolean[16 * 128];
  private final long[] lastOffNanos = new long[128];
  /** When the latest of continuo's note-offs goes out; a new answer starts no earlier. */
  private long lastReleaseNanos;
  private int heardSlot = -1;
  private long heardNanos;

  private int outChannel;
  private int maxPolyphony;
  private long maxNoteNanos;
  private long dropLateNanos;
  private boolean thru;

  private final AtomicCounter notesOut;
  private final AtomicCounter droppedLate;
  private final AtomicCounter droppedPolyphony;
  private final AtomicCounter forcedOff;

  /**
   * @param record when not null, receives a copy of every note the player played and continuo
   *     sent (continuo's marked with {@link LiveEngine#RECORD_CONTINUO})
   */
  OutputGate(MidiEventRing output, MidiEventRing record, long outputLead, AtomicCounter notesOut,
      AtomicCounter droppedLate, AtomicCounter droppedPolyphony, AtomicCounter forcedOff) {
    this.output = output;
    this.record = record;
    this.outputLead = outputLead;
    this.notesOut = notesOut;
    this.droppedLate = droppedLate;
    this.droppedPolyphony = droppedPolyphony;
    this.forcedOff = forcedOff;
  }

  /** Takes the preset's limits; echoed notes go off on the old channel before it changes. */
  void use(Preset p, long now) {
    if (outChannel != 0 && outChannel != p.outputChannel()) {
      releaseThru(now);
    }
    outChannel = p.outputChannel();
    maxPolyphony = p.maxPolyphony();
    maxNoteNanos = p.maxNoteLengthMs() * Listener.MS;
    dropLateNanos = p.dropLateMs() * Listener.MS;
    thru = p.thru();
    grid.use(p);
  }

  /**
   * Once per duty cycle: the tempo is {@code bpm} and the beat position at {@code now} is
   * {@code beat}; note-ons scheduled from now on are placed on the grid that makes.
   */
  void keepTime(long now, double bpm, double beat) {
    toldNanos = now;
    grid.keepTime(now, bpm, beat);
  }

  /** Supervisor thread: a reconnected backend may need events earlier (or later) than before. */
  void setOutputLead(long nanos) {
    outputLead = nanos;
  }

  long outputLead() {
    return outputLead;
  }

  int outChannel() {
    return outChannel;
  }

  // ---------------------------------------------------------------- schedule

  /**
   * Schedules {@code msg} (on continuo's channel) for {@code t}, tagged with {@code tag}: a
   * note-on on the beat grid (no earlier than the backend can place it), a note-off moved as far
   * as its note-on was.
   */
  void schedule(long t, int msg, int tag) {
    long at = t;
    if (MidiMessage.isNoteOn(msg)) {
      at = grid.noteOn(t, MidiMessage.data1(msg), toldNanos + outputLead + RELEASE_MARGIN_NANOS);
    } else if (MidiMessage.isNoteOff(msg)) {
      at = grid.noteOff(t, MidiMessage.data1(msg));
    }
    int slot = tag & TAG_MASK;
    tagOrder[slot] = scheduled++;
    tagNanos[slot] = t;
    schedule.add(at, msg | slot << 24);
  }

  /** Events scheduled and not yet released. */
  int pending() {
    return schedule.size();
  }

  /** Forgets every scheduled event that was not released. */
  void cancelPending() {
    schedule.clear();
    grid.forget();
  }

  /** True when a scheduled event must go to the backend now; generation waits for it. */
  boolean releaseDue(long now) {
    return !schedule.isEmpty() && schedule.peekTime() - outputLead <= now + RELEASE_MARGIN_NANOS;
  }

  /** Hands every due event to the backend (or drops it); returns how many. */
  int release(long now) {
    int n = 0;
    while (releaseDue(now)) {
      long t = schedule.peekTime();
      int e = schedule.peekMessage();
      schedule.poll();
      int msg = e & 0xFFFFFF;
      int p = MidiMessage.data1(msg);
      heard((e >>> 24) & TAG_MASK);
      if (MidiMessage.isNoteOn(msg)) {
        if (now - t > dropLateNanos) {
          droppedLate.increment();
        } else if (soundingCount >= maxPolyphony || sounding[p] || echoed(p)) {
          droppedPolyphony.increment();
        } else {
          send(t, msg);
          sounding[p] = true;
          soundingSince[p] = t;
          soundingCount++;
          notesOut.increment();
        }
      } else if (sounding[p]) {
        noteOff(Math.max(t, soundingSince[p]), p);
      }
      n++;
    }
    return n;
  }

  /**
   * What was heard is the event scheduled last among those released: the grid may release a
   * note-on moved later after events scheduled behind it, and what was heard never goes back.
   */
  private void heard(int slot) {
    if (tagOrder[slot] >= heardOrder) {
      heardOrder = tagOrder[slot];
      heardSlot = slot;
      heardNanos = tagNanos[slot];
    }
  }

  /**
   * The tag of the latest event (in the order scheduled) released, or -1 when none since
   * {@link #forgetHeard}.
   */
  int heardSlot() {
    return heardSlot;
  }

  /** When the latest event released was meant for, before the grid placed it. */
  long heardNanos() {
    return heardNanos;
  }

  void forgetHeard() {
    heardSlot = -1;
  }

  // ---------------------------------------------------------------- what sounds

  boolean sounding(int pitch) {
    return sounding[pitch];
  }

  /** Nothing scheduled and nothing of continuo's sounding. */
  boolean idle() {
    return schedule.isEmpty() && soundingCount == 0;
  }

  /** The earliest an answer may start: once the backend can place it and the last answer ended. */
  long earliestAnswer(long now) {
    return Math.max(now + outputLead, lastReleaseNanos);
  }

  /** {@code now}, or the latest onset of continuo's sounding notes if that is later. */
  long latestOnset(long now) {
    long t = now;
    for (int p = 0; p < 128; p++) {
      if (sounding[p]) {
        t = Math.max(t, soundingSince[p]);
      }
    }
    return t;
  }

  /** No NOTE_ON of a pitch the player's echo holds on continuo's channel. */
  void maskEchoed(float[] logits) {
    int base = (outChannel - 1) * 128;
    for (int p = 0; p < 128; p++) {
      if (thruOn[base + p]) {
        logits[NOTE_ON + p] = Float.NEGATIVE_INFINITY;
      }
    }
  }

  private boolean echoed(int pitch) {
    return thruOn[(outChannel - 1) * 128 + pitch];
  }

  /** Ends the notes that sound longer than the length limit allows; returns how many. */
  int enforceNoteLength(long now) {
    if (soundingCount == 0) {
      return 0;
    }
    int n = 0;
    for (int p = 0; p < 128; p++) {
      if (sounding[p] && now - soundingSince[p] > maxNoteNanos + RELEASE_MARGIN_NANOS) {
        noteOff(now + outputLead, p);
        forcedOff.increment();
        n++;
      }
    }
    return n;
  }

  /**
   * Turns off every note continuo has on, as soon as the backend can place it, and never before
   * its note-on (which may have been handed to the backend slightly ahead of time).
   */
  void releaseSounding(long now) {
    for (int p = 0; p < 128; p++) {
      if (sounding[p]) {
        noteOff(Math.max(now + outputLead, soundingSince[p]), p);
      }
    }
  }

  /** Sends All Notes Off on continuo's channel (panic). */
  void allNotesOff(long now) {
    output.offer(now + outputLead, MidiMessage.of(MidiMessage.CONTROL_CHANGE, outChannel,
        MidiMessage.CC_ALL_NOTES_OFF, 0));
  }

  /** Turns {@code p} off at {@code t} (already including any output lead). */
  private void noteOff(long t, int p) {
    send(t, MidiMessage.of(MidiMessage.NOTE_OFF, outChannel, p, 0));
    lastOffNanos[p] = t;
    lastReleaseNanos = Math.max(lastReleaseNanos, t);
    sounding[p] = false;
    soundingCount--;
  }

  private void send(long t, int msg) {
    output.offer(t, msg);
    if (record != null) {
      record.offer(t, msg | LiveEngine.RECORD_CONTINUO);
    }
  }

  // ---------------------------------------------------------------- the player's notes

  /**
   * Hands the session's tempo at {@code t} to the recording ({@code --record}) when it moved by
   * {@link #TEMPO_STEP_BPM} or more since the last one handed over, so that the file carries the
   * session's tempo map without an event for every wobble of a clock or the beat tracker. Nothing
   * allocated. Engine thread, once per duty cycle.
   */
  void recordTempo(long t, double bpm) {
    if (record == null || !(bpm >= 4 && bpm <= 1000)
        || Math.abs(bpm - recordedBpm) < TEMPO_STEP_BPM) {
      return;
    }
    recordedBpm = bpm;
    record.offer(t, (int) Math.round(60e6 / bpm) | LiveEngine.RECORD_TEMPO);
  }

  /** Hands a note the player played to the recording. */
  void recordPlayer(long t, int msg) {
    if (record != null) {
      record.offer(t, msg);
    }
  }

  /** Echoes the player's note when the preset asks for thru. */
  void thru(long t, int msg, boolean on) {
    if (!thru) {
      return;
    }
    int key = (MidiMessage.channel(msg) - 1) * 128 + MidiMessage.data1(msg);
    if (!on && !thruOn[key]) {
      return;
    }
    long at = t + outputLead;
    if (on && thruOn[key]) {
      // Pressed again without a release (its note-off lost): one echo sounds, not two.
      output.offer(at, MidiMessage.pack(MidiMessage.NOTE_OFF | (msg & 0x0F), key & 127, 0));
    }
    thruOn[key] = on;
    if (on && MidiMessage.channel(msg) == outChannel) {
      at = Math.max(at, lastOffNanos[MidiMessage.data1(msg)]);
    }
    output.offer(at, msg);
  }

  /** Ends every echoed note. */
  void releaseThru(long now) {
    for (int key = 0; key < thruOn.length; key++) {
      if (thruOn[key]) {
        thruOn[key] = false;
        output.offer(now + outputLead,
            MidiMessage.pack(MidiMessage.NOTE_OFF | (key >> 7), key & 127, 0));
      }
    }
  }
}
