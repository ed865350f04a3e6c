package continuo.midi;

/**
 * MIDI clock out, for a drum machine or DAW that follows continuo: timing clock (0xF8) at 24 per
 * quarter note at the current tempo, framed by Start (or Continue) and Stop, handed to an output
 * ring as packed messages with their due times, which the backend plays at those times (JACK at
 * their exact frames). One thread owns it (the engine
 * thread, once clock out is wired into the engine): it calls {@link #start}, {@link #tempo} and
 * {@link #stop} as the transport and tempo change, and {@link #offerDue} every turn of its loop
 * with a horizon of now plus the backend's output lead. Tick times are computed from the last
 * change of tempo (never by adding rounded periods), so they do not drift. Allocates nothing.
 */
public final class ClockOut {
  /** MIDI clock pulses per quarter note. */
  public static final int PPQN = 24;
  /** Tempos are held to this range, the one MIDI clock followers accept. */
  public static final double MIN_BPM = 20;
  public static final double MAX_BPM = 400;

  private static final double NANOS_PER_MINUTE = 60e9;

  private boolean running;
  private double periodNanos;
  /** The due time of tick {@link #anchorTick}; later ticks are whole periods after it. */
  private long anchorNanos;
  private long anchorTick;
  /** Ticks sent since Start: the index of the next tick. */
  private long nextTick;
  /** Start or Continue still to be offered (0 when none), and when. */
  private int transportPending;
  private long transportDue;
  private boolean stopPending;
  private long stopDue;

  /**
   * Starts the clock from the top: Start at {@code nanos} and the first tick with it (Start goes
   * out first), then a tick every 1/24 beat at {@code bpm}.
   */
  public void start(long nanos, double bpm) {
    run(MidiMessage.START, nanos, bpm);
    nextTick = 0;
    anchorTick = 0;
  }

  /** Resumes after {@link #stop} with Continue at {@code nanos}; ticks go on where they were. */
  public void resume(long nanos, double bpm) {
    run(MidiMessage.CONTINUE, nanos, bpm);
    anchorTick = nextTick;
  }

  private void run(int transport, long nanos, double bpm) {
    running = true;
    stopPending = false;
    transportPending = transport;
    transportDue = nanos;
    anchorNanos = nanos;
    periodNanos = periodOf(bpm);
  }

  /**
   * A new tempo from the next tick on (the tick already due keeps its time, so a beat already
   * counted is not moved).
   */
  public void tempo(double bpm) {
    anchorNanos = nextDueNanos();
    anchorTick = nextTick;
    periodNanos = periodOf(bpm);
  }

  /**
   * Stops the clock: ticks due before {@code nanos} still go out, then Stop at {@code nanos}, and
   * no tick after it. Nothing happens when the clock is not running.
   */
  public void stop(long nanos) {
    if (!running) {
      return;
    }
    running = false;
    stopPending = true;
    stopDue = nanos;
  }

  /**
   * Offers to {@code out}, in time order, every message due before {@code horizonNanos}; returns
   * how many. When the ring is full the message stays here and is offered again on the next call,
   * so no tick is lost (a missing tick would move a follower's song position).
   */
  public int offerDue(long horizonNanos, MidiEventRing out) {
    int offered = 0;
    while (true) {
      if (transportPending != 0 && transportDue < horizonNanos) {
        if (!out.offer(transportDue, MidiMessage.pack(transportPending, 0, 0))) {
          return offered;
        }
        transportPending = 0;
        offered++;
        continue;
      }
      long tick = nextDueNanos();
      boolean tickDue = (running || (stopPending && tick < stopDue)) && transportPending == 0;
      if (tickDue && tick < horizonNanos) {
        if (!out.offer(tick, MidiMessage.pack(MidiMessage.CLOCK, 0, 0))) {
          return offered;
        }
        nextTick++;
        offered++;
        continue;
      }
      if (stopPending && !tickDue && stopDue < horizonNanos) {
        if (!out.offer(stopDue, MidiMessage.pack(MidiMessage.STOP, 0, 0))) {
          return offered;
        }
        stopPending = false;
        offered++;
        continue;
      }
      return offered;
    }
  }

  /** The due time of the next tick (meaningful while running or stopping). */
  public long nextDueNanos() {
    return anchorNanos + Math.round((nextTick - anchorTick) * periodNanos);
  }

  /** Whether the clock runs (after start or resume, until stop). */
  public boolean running() {
    return running;
  }

  /** Ticks sent since the last Start: the song position in 1/24 beats. */
  public long ticks() {
    return nextTick;
  }

  /** The tempo, clamped to {@link #MIN_BPM}..{@link #MAX_BPM}; 0 before the first one is set. */
  public double bpm() {
    return periodNanos == 0 ? 0 : NANOS_PER_MINUTE / (PPQN * periodNanos);
  }

  private static double periodOf(double bpm) {
    if (!(bpm == bpm)) {
      throw new IllegalArgumentException("clock tempo is NaN");
    }
    return NANOS_PER_MINUTE / (PPQN * Math.max(MIN_BPM, Math.min(MAX_BPM, bpm)));
  }
}
