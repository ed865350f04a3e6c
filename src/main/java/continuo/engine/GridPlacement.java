package continuo.engine;

import continuo.preset.Preset;
import continuo.tempo.BeatGrid;
import java.util.Arrays;

/**
 * Quantise and swing: where on the beat grid each of continuo's notes goes. A note-on meant for a
 * time is moved towards the nearest line of the preset's grid ({@code grid}, {@code quantize},
 * {@code swing}, see {@link BeatGrid}) at the tempo and beat position the engine last told
 * ({@link #keepTime}), never earlier than the backend can still place it; its note-off moves by
 * as much, so every note keeps its length. A note-on also never goes before the note-off of the
 * same pitch placed before it, so a repeated note never overlaps itself.
 *
 * <p>The beat position of a time ahead is extrapolated from the one told at {@code now} at the
 * current tempo, so a note generated a look-ahead early lands where the grid will be. With the
 * grid off, a quantize of 0 or no tempo yet, nothing moves.
 *
 * <p>Part of {@link OutputGate}; engine thread only; allocation free (except a new grid when the
 * preset changes).
 */
final class GridPlacement {
  private static final double NANOS_PER_MINUTE = 60e9;

  private BeatGrid grid = new BeatGrid(BeatGrid.Grid.OFF, 0, 0);
  private int quantize;
  private int swing;
  private boolean gridOn;
  /** How far the latest note-on of each pitch was moved; its note-off moves as far. */
  private final long[] moved = new long[128];
  /** Where the latest note-off of each pitch was placed; the next note-on comes no earlier. */
  private final long[] lastOff = new long[128];
  private long toldNanos;
  private double toldBeat;
  private double bpm;

  GridPlacement() {
    forget();
  }

  /** Takes the preset's grid, quantize strength and swing. */
  void use(Preset p) {
    if (p.grid() != grid.grid() || p.quantize() != quantize || p.swing() != swing) {
      grid = new BeatGrid(p.grid(), p.quantize(), p.swing());
      quantize = p.quantize();
      swing = p.swing();
    }
    gridOn = p.grid() != BeatGrid.Grid.OFF && p.quantize() > 0;
  }

  /**
   * The tempo is {@code bpm} and the beat position at {@code nowNanos} is {@code beat}: grid
   * lines ahead are counted from here at this tempo. Called once per duty cycle.
   */
  void keepTime(long nowNanos, double bpm, double beat) {
    this.toldNanos = nowNanos;
    this.bpm = bpm;
    this.toldBeat = beat;
  }

  /** Whether note-ons are moved at all: a grid, a strength above 0 and a tempo. */
  boolean active() {
    return gridOn && bpm > 0 && toldBeat == toldBeat;
  }

  /**
   * When to play a note-on of {@code pitch} meant for {@code nanos}: on (or towards) its grid
   * line, at or after {@code notBeforeNanos} and the pitch's last note-off.
   */
  long noteOn(long nanos, int pitch, long notBeforeNanos) {
    if (!active()) {
      moved[pitch] = 0;
      return nanos;
    }
    double beat = toldBeat + (nanos - toldNanos) * bpm / NANOS_PER_MINUTE;
    long placed = grid.place(nanos, beat, bpm, Math.max(notBeforeNanos, lastOff[pitch]));
    moved[pitch] = placed - nanos;
    return placed;
  }

  /** When to play the note-off of {@code pitch} meant for {@code nanos}: moved with its note-on. */
  long noteOff(long nanos, int pitch) {
    long placed = nanos + moved[pitch];
    moved[pitch] = 0;
    lastOff[pitch] = placed;
    return placed;
  }

  /** What was scheduled is cancelled: no note-on is waiting for its note-off any more. */
  void forget() {
    Arrays.fill(moved, 0);
    Arrays.fill(lastOff, Long.MIN_VALUE);
  }
}
