package continuo.engine;

import continuo.midi.ClockOut;
import continuo.midi.MidiEventRing;
import continuo.preset.Preset;

/**
 * Clock out ({@code clock_out = true}, {@code run --clock-out}): continuo is the master clock for a
 * drum machine or DAW that follows it. Drives {@link ClockOut} from the engine's tempo: Start on
 * the first whole beat the backend can still place once clock out is on (so the ticks fall on the
 * same beats as continuo's grid), a tick every 1/24 beat at the current tempo, a new tempo from
 * the next tick whenever it changes, and Stop when the session ends (or a preset turns clock out
 * off). Everything goes through the output ring with its due time, handed over one output lead
 * early, as the notes are; a tick the ring refuses is offered again on the next turn.
 *
 * <p>Part of {@link LiveEngine}; engine thread only; allocation free.
 */
final class ClockMaster {
  private static final double NANOS_PER_MINUTE = 60e9;
  /** A change of tempo smaller than this share of it is not sent on (the clock's own noise). */
  private static final double TEMPO_RESOLUTION = 1e-5;

  private final ClockOut clock = new ClockOut();
  private final MidiEventRing output;
  private boolean enabled;

  ClockMaster(MidiEventRing output) {
    this.output = output;
  }

  /** Takes the preset's {@code clock_out}; the next {@link #turn} starts or stops the clock. */
  void use(Preset p) {
    enabled = p.clockOut();
  }

  /**
   * One duty cycle at {@code now}: the tempo is {@code bpm} and the beat position at {@code now}
   * is {@code beat}; everything due before {@code now + lead + margin} goes to the output ring.
   * Returns how many messages went.
   */
  int turn(long now, long lead, double bpm, double beat) {
    if (enabled && !clock.running()) {
      if (!(bpm > 0) || beat != beat) {
        return 0;
      }
      // Start on a whole beat: the ticks then fall on the beats (and grid lines) of the tempo.
      double beatNanos = NANOS_PER_MINUTE / bpm;
      double first = Math.ceil(beat + (lead + OutputGate.RELEASE_MARGIN_NANOS) / beatNanos);
      clock.start(now + Math.round((first - beat) * beatNanos), bpm);
    } else if (!enabled && clock.running()) {
      clock.stop(now + lead + OutputGate.RELEASE_MARGIN_NANOS);
    } else if (clock.running() && bpm > 0) {
      double target = Math.max(ClockOut.MIN_BPM, Math.min(ClockOut.MAX_BPM, bpm));
      if (Math.abs(target - clock.bpm()) > TEMPO_RESOLUTION * target) {
        clock.tempo(target);
      }
    }
    return clock.offerDue(now + lead + OutputGate.RELEASE_MARGIN_NANOS, output);
  }

  /**
   * The session ends: Stop as soon as the backend can place it, after every tick already handed
   * over (and any still due before it).
   */
  void stop(long now, long lead) {
    enabled = false;
    clock.stop(now + lead + OutputGate.RELEASE_MARGIN_NANOS);
    clock.offerDue(Long.MAX_VALUE, output);
  }

  /** Whether the clock is running (Start sent or due, no Stop yet). */
  boolean running() {
    return clock.running();
  }
}
