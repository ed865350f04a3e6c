package continuo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import continuo.metrics.Counters;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.midifile.MidiFileReader;
import continuo.midifile.TimedMessages;
import continuo.testkit.FakeClock;
import continuo.testkit.SmallDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionRecorderTest {
  private static final long MS = 1_000_000L;

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock();
  private final MidiEventRing ring = new MidiEventRing(4096, new Counters().newCounter("d"));
  private final List<String> log = new ArrayList<>();

  private SessionRecorder recorder(Path file) {
    return new SessionRecorder(ring, clock, file, log::add);
  }

  @Test
  void writesThePlayersAndContinuosNotesOnTwoTracksAtTheirTimes() throws Exception {
    Path jam = dir.resolve("jam.mid");
    long start = clock.nanoTime();
    SessionRecorder recorder = recorder(jam);
    ring.offer(start, MidiMessage.of(MidiMessage.NOTE_ON, 1, 60, 100));
    ring.offer(start + 500 * MS, MidiMessage.of(MidiMessage.NOTE_OFF, 1, 60, 0));
    recorder.doWork();
    ring.offer(start + 750 * MS,
        MidiMessage.of(MidiMessage.NOTE_ON, 2, 67, 80) | LiveEngine.RECORD_CONTINUO);
    ring.offer(start + 1_000 * MS,
        MidiMessage.of(MidiMessage.NOTE_OFF, 2, 67, 0) | LiveEngine.RECORD_CONTINUO);
    clock.advanceMillis(1_000);
    recorder.finish();
    assertEquals(2, recorder.notes());
    Sequence seq = MidiSystem.getSequence(jam.toFile());
    assertEquals(2, seq.getTracks().length, "player and continuo tracks");
    TimedMessages m = MidiFileReader.read(jam);
    assertEquals(4, m.size());
    long[] want = {0, 500_000, 750_000, 1_000_000};
    for (int i = 0; i < 4; i++) {
      assertEquals(want[i], m.micros(i), 1_100, "message " + i);
      assertEquals(i < 2 ? 0 : 1, m.track(i));
    }
    assertEquals(120.0, m.tempoMap().bpmAt(0), 1e-9);
  }

  @Test
  void theFileIsRewrittenEverySecondWithTheNotesStillSoundingEndedThere() throws Exception {
    Path jam = dir.resolve("jam.mid");
    long start = clock.nanoTime();
    SessionRecorder recorder = recorder(jam);
    recorder.doWork();
    assertEquals(0, MidiFileReader.read(jam).size(), "an empty jam from the first moment");
    ring.offer(start + 200 * MS, MidiMessage.of(MidiMessage.NOTE_ON, 1, 60, 100));
    clock.advanceMillis(900);
    recorder.doWork();
    assertEquals(0, MidiFileReader.read(jam).size(), "not rewritten before a second has passed");
    clock.advanceMillis(100);
    recorder.doWork();
    TimedMessages first = MidiFileReader.read(jam);
    assertEquals(2, first.size(), "the sounding note is ended in the snapshot");
    assertTrue(MidiMessage.isNoteOff(first.message(1)));
    assertEquals(1_000_000, first.micros(1), 1_100, "at the snapshot's time");

    ring.offer(start + 1_500 * MS, MidiMessage.of(MidiMessage.NOTE_OFF, 1, 60, 0));
    clock.advanceMillis(1_000);
    recorder.doWork();
    TimedMessages second = MidiFileReader.read(jam);
    assertEquals(2, second.size(), "the note stayed open in the session: it ends once, later");
    assertEquals(1_500_000, second.micros(1), 1_100);
    assertEquals(List.of(), log);
    assertFalse(Files.exists(dir.resolve(".jam.mid.tmp")), "no temporary file left");
  }

  @Test
  void tempoChangesAreRecordedAtTheirTimeAndTheNotesAfterThemKeepTheirTimes() throws Exception {
    Path jam = dir.resolve("jam.mid");
    long start = clock.nanoTime();
    SessionRecorder recorder = recorder(jam);
    ring.offer(start + 500 * MS, MidiMessage.of(MidiMessage.NOTE_ON, 1, 60, 100));
    ring.offer(start + 1_000 * MS, 400_000 | LiveEngine.RECORD_TEMPO); // 150 bpm
    ring.offer(start + 2_000 * MS, MidiMessage.of(MidiMessage.NOTE_OFF, 1, 60, 0));
    ring.offer(start + 3_000 * MS, 750_000 | LiveEngine.RECORD_TEMPO); // 80 bpm
    ring.offer(start + 3_600 * MS,
        MidiMessage.of(MidiMessage.NOTE_ON, 1, 64, 90) | LiveEngine.RECORD_CONTINUO);
    ring.offer(start + 4_100 * MS,
        MidiMessage.of(MidiMessage.NOTE_OFF, 1, 64, 0) | LiveEngine.RECORD_CONTINUO);
    clock.advanceMillis(4_200);
    recorder.finish();
    TimedMessages m = MidiFileReader.read(jam);
    long[] want = {500_000, 2_000_000, 3_600_000, 4_100_000};
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], m.micros(i), 2_000, "message " + i);
    }
    assertEquals(120.0, m.tempoMap().bpmAt(999_000), 1e-9);
    assertEquals(150.0, m.tempoMap().bpmAt(1_001_000), 1e-9);
    assertEquals(80.0, m.tempoMap().bpmAt(3_001_000), 1e-9);
    assertEquals(4_200_000, MidiSystem.getSequence(jam.toFile()).getMicrosecondLength(), 2_000,
        "Java Sound reads the same tempo map; the file ends when the jam did");
  }

  @Test
  void theSessionsFirstTempoIsTheFilesTempoFromItsStart() throws Exception {
    Path jam = dir.resolve("jam.mid");
    long start = clock.nanoTime();
    SessionRecorder recorder = recorder(jam);
    ring.offer(start + 300 * MS, 600_000 | LiveEngine.RECORD_TEMPO); // 100 bpm as the engine starts
    ring.offer(start + 1_000 * MS, MidiMessage.of(MidiMessage.NOTE_ON, 1, 60, 100));
    ring.offer(start + 1_600 * MS, MidiMessage.of(MidiMessage.NOTE_OFF, 1, 60, 0));
    clock.advanceMillis(1_600);
    recorder.finish();
    TimedMessages m = MidiFileReader.read(jam);
    assertEquals(100.0, m.tempoMap().bpmAt(0), 1e-9);
    assertEquals(1, m.tempoMap().segments(), "one tempo: the session's");
    assertEquals(1_000_000, m.micros(0), 2_000);
    assertEquals(800, m.tick(0), "480 ticks a quarter, 0.6 s a quarter");
    assertEquals(1_600_000, MidiSystem.getSequence(jam.toFile()).getMicrosecondLength(), 2_000);
  }

  @Test
  void aFileThatCannotBeWrittenIsLoggedOnceAndTriedAgainEachSecond() throws Exception {
    Path jam = dir.resolve("gone").resolve("jam.mid");
    SessionRecorder recorder = recorder(jam);
    recorder.doWork();
    clock.advanceMillis(1_000);
    recorder.doWork();
    assertEquals(1, log.size(), log.toString());
    assertTrue(log.get(0).startsWith("event=record_write_failed file=" + jam), log.get(0));
    Files.createDirectories(jam.getParent());
    clock.advanceMillis(1_000);
    recorder.doWork();
    assertEquals("event=record_resumed file=" + jam, log.get(1));
    assertEquals(0, MidiFileReader.read(jam).size());
  }

  @Test
  void aFullDiskKeepsThePreviousFileWholeAndTheRecordingGoesOnOnceThereIsRoom() throws Exception {
    assumeTrue(SmallDisk.available(dir), "mounting a small tmpfs needs root");
    try (SmallDisk disk = new SmallDisk(dir.resolve("disk"), 64, false)) {
      Path jam = disk.dir().resolve("jam.mid");
      long start = clock.nanoTime();
      SessionRecorder recorder = recorder(jam);
      playNotes(start, 0, 1);
      clock.advanceMillis(1_000);
      recorder.doWork();
      byte[] before = Files.readAllBytes(jam);
      assertEquals(2, MidiFileReader.read(jam).size());

      disk.fill("filler");
      playNotes(start, 1, 40);
      for (int tick = 0; tick < 3; tick++) {
        clock.advanceMillis(1_000);
        recorder.doWork();
      }
      assertArrayEquals(before, Files.readAllBytes(jam), "the previous file is intact");
      assertEquals(2, MidiFileReader.read(jam).size());
      assertFalse(Files.exists(continuo.midifile.GrowingMidiFile.temporaryFor(jam)), "the failed temporary file is removed");
      assertEquals(1, log.size(), "one line for the whole outage: " + log);
      assertTrue(log.get(0).contains("No space left on device"), log.get(0));

      Files.delete(disk.dir().resolve("filler"));
      clock.advanceMillis(1_000);
      recorder.doWork();
      assertEquals("event=record_resumed file=" + jam, log.get(1));
      assertEquals(2 * 40, MidiFileReader.read(jam).size(), "nothing played meanwhile is lost");
    }
  }

  /** Notes {@code from} to {@code to} (exclusive) of a scale, one every 100 ms from the start. */
  private void playNotes(long start, int from, int to) {
    for (int i = from; i < to; i++) {
      ring.offer(start + i * 100 * MS, MidiMessage.of(MidiMessage.NOTE_ON, 1, 40 + i, 90));
      ring.offer(start + i * 100 * MS + 50 * MS, MidiMessage.of(MidiMessage.NOTE_OFF, 1, 40 + i, 0));
    }
  }
}
