package continuo.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.metrics.Counters;
import continuo.midifile.MidiFileWriter;
import continuo.testkit.FakeClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file input's playing agent, stepped with a fake clock. */
class FilePlayerTest {
  @TempDir Path dir;

  @Test
  void offersEachMessageOnceItIsDueStampedWithItsOwnTime() throws Exception {
    Path f = dir.resolve("three.mid");
    MidiFileWriter w = new MidiFileWriter(480);
    w.track().add(0, 0x90 | 60 << 8 | 100 << 16).add(96, 0x80 | 60 << 8)
        .add(480, 0x90 | 62 << 8 | 90 << 16);
    w.write(f);
    FakeClock clock = new FakeClock();
    MidiEventRing ring = new MidiEventRing(16, new Counters().newCounter("d"));
    try (FileInput in = new FileInput(f, ring, clock)) {
      long start = clock.nanoTime() + 50_000_000L;
      FileInput.Player player = in.player(50_000_000L);
      assertEquals(0, player.doWork(), "nothing is due during the delay");
      assertEquals(start, player.dueNanos());
      clock.advanceMillis(150); // 100 ms into the file: two messages due
      assertEquals(2, player.doWork());
      assertFalse(player.isFinished());
      assertEquals(start + 500_000_000L, player.dueNanos());
      clock.advanceMillis(1000);
      assertEquals(1, player.doWork());
      assertTrue(player.isFinished());
      assertEquals(Long.MAX_VALUE, player.dueNanos());
      assertEquals(0, player.doWork());
      List<Long> times = new ArrayList<>();
      ring.drain((time, m) -> times.add(time));
      assertEquals(List.of(start, start + 100_000_000L, start + 500_000_000L), times);
    }
  }

  @Test
  void closingBeforeTheEndStopsTheRunnerPromptly() throws Exception {
    Path f = dir.resolve("long.mid");
    MidiFileWriter w = new MidiFileWriter(480);
    w.track().add(0, 0x90 | 60 << 8 | 100 << 16).add(480 * 120, 0x80 | 60 << 8); // one minute
    w.write(f);
    MidiEventRing ring = new MidiEventRing(16, new Counters().newCounter("d"));
    FileInput in = new FileInput(f, ring, org.agrona.concurrent.SystemNanoClock.INSTANCE);
    in.start(0);
    Thread.sleep(50);
    long t0 = System.nanoTime();
    in.close();
    assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "closed within a second");
    assertFalse(in.isFinished());
    assertEquals(1, ring.drain((time, m) -> { }), "the first note was played, the second not");
  }
}
