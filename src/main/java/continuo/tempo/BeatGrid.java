package continuo.tempo;

/**
 * Places note-ons on the beat grid of the current tempo and phase: a grid of eighths, sixteenths or
 * eighth triplets, a quantize strength (0 % leaves a note where it is, 100 % puts it on the grid)
 * and swing.
 *
 * <p>Swing delays every second grid step (the off-beat eighth on a {@code 1/8} grid, the second
 * and fourth sixteenth on {@code 1/16}) by {@code swing / 100 * 2/3} of a step: 50 % is triplet
 * swing, 75 % (the most allowed) is dotted, a hard shuffle. Triplet grids are not swung.
 *
 * <p>Immutable settings; {@link #place} is pure and allocation-free, for the engine thread.
 */
public final class BeatGrid {
  /** The grids a preset may name. */
  public enum Grid {
    OFF("off", 0),
    EIGHTH("1/8", 2),
    SIXTEENTH("1/16", 4),
    EIGHTH_TRIPLET("1/8T", 3);

    private final String label;
    private final int perBeat;

    Grid(String label, int perBeat) {
      this.label = label;
      this.perBeat = perBeat;
    }

    public String label() {
      return label;
    }

    /** Grid steps per beat (quarter note); 0 for {@link #OFF}. */
    public int perBeat() {
      return perBeat;
    }

    /** The grid named {@code label}, or an exception naming the accepted values. */
    public static Grid parse(String label) {
      for (Grid g : values()) {
        if (g.label.equalsIgnoreCase(label)) {
          return g;
        }
      }
      throw new IllegalArgumentException(
          "grid must be one of \"1/8\", \"1/16\", \"1/8T\", \"off\", got \"" + label + "\"");
    }
  }

  private final Grid grid;
  private final double strength;
  private final double swingSteps;

  /**
   * @param quantizePercent 0..100
   * @param swingPercent 0..75
   */
  public BeatGrid(Grid grid, int quantizePercent, int swingPercent) {
    if (quantizePercent < 0 || quantizePercent > 100) {
      throw new IllegalArgumentException("quantize must be 0..100 %, got " + quantizePercent);
    }
    if (swingPercent < 0 || swingPercent > 75) {
      throw new IllegalArgumentException("swing must be 0..75 %, got " + swingPercent);
    }
    this.grid = grid;
    this.strength = quantizePercent / 100.0;
    this.swingSteps = grid == Grid.EIGHTH_TRIPLET ? 0 : swingPercent / 100.0 * 2.0 / 3.0;
  }

  public Grid grid() {
    return grid;
  }

  /**
   * The time to play a note-on meant for {@code nanos}, where the beat position at {@code nanos}
   * is {@code beat} and the tempo is {@code bpm}: moved towards the nearest grid line no earlier
   * than {@code notBeforeNanos} by the quantize strength, and never before {@code notBeforeNanos}.
   */
  public long place(long nanos, double beat, double bpm, long notBeforeNanos) {
    if (grid == Grid.OFF || strength == 0 || !(bpm > 0)) {
      return Math.max(nanos, notBeforeNanos);
    }
    double beatNanos = 60e9 / bpm;
    double earliest = beat + (notBeforeNanos - nanos) / beatNanos;
    double line = nearestLine(beat, earliest);
    long placed = nanos + Math.round(strength * (line - beat) * beatNanos);
    return Math.max(placed, notBeforeNanos);
  }

  /** The grid line (in beats) nearest {@code beat} among those at or after {@code earliest}. */
  double nearestLine(double beat, double earliest) {
    double step = 1.0 / grid.perBeat();
    double pair = 2 * step;
    // The answer is the first line at or after max(beat, earliest), or the one before it.
    long first = (long) Math.floor(Math.max(beat, earliest) / pair) - 1;
    double best = Double.NaN;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (long k = first; k <= first + 2; k++) {
      for (int odd = 0; odd < 2; odd++) {
        double line = k * pair + odd * (step + swingSteps * step);
        if (line < earliest - 1e-9) {
          continue;
        }
        double d = Math.abs(line - beat);
        if (d < bestDistance) {
          bestDistance = d;
          best = line;
        }
      }
    }
    return best;
  }
}
