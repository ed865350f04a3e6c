package continuo.tempo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.tempo.BeatGrid.Grid;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BeatGridTest {
  private static final long MS = 1_000_000L;
  private static final double BPM = 120; // a beat is 500 ms

  /** Places a note meant for {@code ms} on a timeline whose beat 0 is at time 0. */
  private static long placeMs(BeatGrid grid, double ms, double notBeforeMs) {
    long t = Math.round(ms * MS);
    return Math.round(grid.place(t, ms / 500, BPM, Math.round(notBeforeMs * MS)) / (double) MS);
  }

  @Test
  void fullStrengthPutsEveryNoteOnTheNearestSixteenth() {
    BeatGrid grid = new BeatGrid(Grid.SIXTEENTH, 100, 0);
    assertEquals(125, placeMs(grid, 140, 0));
    assertEquals(250, placeMs(grid, 230, 0));
    assertEquals(1_000, placeMs(grid, 1_060, 0));
  }

  @Test
  void halfStrengthMovesANoteHalfWay() {
    BeatGrid grid = new BeatGrid(Grid.EIGHTH, 50, 0);
    assertEquals(280, placeMs(grid, 310, 0));
  }

  @Test
  void aNoteIsNeverPlacedBeforeWhatIsAllowed() {
    BeatGrid grid = new BeatGrid(Grid.EIGHTH, 100, 0);
    // The nearest eighth (250) is already past: the next one it is.
    assertEquals(500, placeMs(grid, 260, 255));
    BeatGrid off = new BeatGrid(Grid.OFF, 100, 0);
    assertEquals(300, placeMs(off, 260, 300));
  }

  @Test
  void tripletEighthsDivideTheBeatInThree() {
    BeatGrid grid = new BeatGrid(Grid.EIGHTH_TRIPLET, 100, 60);
    assertEquals(167, placeMs(grid, 180, 0));
    assertEquals(333, placeMs(grid, 320, 0));
  }

  @Test
  void fiftyPercentSwingPlaysTheOffBeatEighthAsATriplet() {
    BeatGrid grid = new BeatGrid(Grid.EIGHTH, 100, 50);
    assertEquals(333, placeMs(grid, 260, 0));
    assertEquals(500, placeMs(grid, 480, 0));
    BeatGrid hard = new BeatGrid(Grid.SIXTEENTH, 100, 75);
    // Seventy-five per cent: the second sixteenth is dotted, at three quarters of the eighth.
    assertEquals(188, placeMs(hard, 170, 0));
  }

  @Test
  void atFullStrengthEveryPlacedNoteIsOnTheGridOfAnyTempoAndPhase() {
    SplittableRandom random = new SplittableRandom(11);
    BeatGrid grid = new BeatGrid(Grid.SIXTEENTH, 100, 0);
    for (int i = 0; i < 10_000; i++) {
      double bpm = 40 + random.nextDouble() * 200;
      double beatNanos = 60e9 / bpm;
      double phase = random.nextDouble() * 100; // beat position at time 0
      long t = random.nextLong(0, 60_000 * MS);
      double beat = phase + t / beatNanos;
      long placed = grid.place(t, beat, bpm, t - 50 * MS);
      double placedBeat = phase + placed / beatNanos;
      double sixteenths = placedBeat * 4;
      assertTrue(Math.abs(sixteenths - Math.rint(sixteenths)) * beatNanos / 4 < 1 * MS,
          "placed off the grid at " + bpm + " bpm");
    }
  }

  @Test
  void gridsParseFromThePresetNamesAndBadValuesAreRefused() {
    assertEquals(Grid.EIGHTH_TRIPLET, Grid.parse("1/8T"));
    assertEquals(Grid.OFF, Grid.parse("off"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Grid.parse("1/32"));
    assertTrue(e.getMessage().contains("\"1/32\""));
    assertThrows(IllegalArgumentException.class, () -> new BeatGrid(Grid.EIGHTH, 101, 0));
    assertThrows(IllegalArgumentException.class, () -> new BeatGrid(Grid.EIGHTH, 100, 80));
  }
}
