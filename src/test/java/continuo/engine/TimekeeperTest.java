package continuo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.preset.Preset;
import continuo.tempo.TempoSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The time warp follows the beat tracker only at a metrical level chosen from the onset rate. */
class TimekeeperTest {
  private static final long MS = 1_000_000L;

  /**
   * A model at 120 bpm with 2 onsets per beat; the player plays eighths at 180 bpm (6 onsets a
   * second, bass on the beat). The tracker has a beat after 6 onsets and a beat, before the onset
   * rate is measured over 8 gaps; folded to 120's octave its tempo would be 90 (0.75 of the
   * model's), a level the model would hear the opening at for a beat or two. The warp keeps the
   * preset's tempo until the level is chosen, then takes 180 (1.5 of the model's), never 90.
   */
  @Test
  void theWarpWaitsForTheLevelRatherThanTakeAFoldedGuess() {
    Timekeeper tk = new Timekeeper();
    Preset preset = Preset.forModel(Path.of("scripted.cmodel"));
    tk.use(preset, 0);
    tk.useModel(null, 120, 2, 0);
    double before = preset.bpm() / 120;
    boolean trackerBeforeLevel = false;
    int onsets = 0;
    double gapMs = 1000.0 / 6;
    for (long ms = 0; ms < 6_000; ms++) {
      long now = ms * MS;
      if (now >= Math.round(onsets * gapMs * MS)) {
        tk.playerNoteOn(now, 0, onsets % 2 == 0 ? 45 : 69, onsets % 2 == 0 ? 100 : 70);
        onsets++;
      }
      tk.update(now);
      double scale = tk.warpScale();
      assertTrue(Math.abs(scale - before) < 1e-9 || Math.abs(scale / 1.5 - 1) < 0.02,
          "onset " + onsets + ": the model hears the player at " + scale + " of its tempo");
      trackerBeforeLevel |= tk.source() == TempoSource.TRACKER && onsets <= 8;
    }
    assertTrue(trackerBeforeLevel, "the tracker had a beat before 8 gaps were heard");
    assertEquals(TempoSource.TRACKER, tk.source());
    assertEquals(1.5, tk.warpScale(), 0.03);
  }
}
