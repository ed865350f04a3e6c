package continuo.encoding;

import static continuo.encoding.PerformanceEncoding.binOfVelocity;
import static continuo.encoding.PerformanceEncoding.noteOff;
import static continuo.encoding.PerformanceEncoding.noteOn;
import static continuo.encoding.PerformanceEncoding.timeShift;
import static continuo.encoding.PerformanceEncoding.velocity;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.testkit.Corpora;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

class IncrementalEncoderTest {
  private static final long MS = 1_000_000L;
  private static final int LOUD = velocity(binOfVelocity(100));

  private final List<Integer> told = new ArrayList<>();
  private final IncrementalEncoder encoder = new IncrementalEncoder(told::add, 300);

  private int[] told() {
    return told.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void roundsAbsoluteTimesSoNotesFourteenMillisecondsApartAreTenTwentyTenApart() {
    for (int i = 0; i < 4; i++) {
      encoder.noteOn(0, 60 + i, 100, i * 14 * MS);
    }
    encoder.flush();
    // 0, 14, 28, 42 ms round to 0, 10, 30, 40 ms; rounding each gap on its own gave 10/10/10.
    assertArrayEquals(new int[] {LOUD, noteOn(60), timeShift(1), noteOn(61), timeShift(2),
        noteOn(62), timeShift(1), noteOn(63)}, told());
  }

  @Test
  void inAStepNoteOffsComeFirstThenNoteOnsEachByAscendingPitchWhateverTheOrderTheyCameIn() {
    encoder.noteOn(0, 64, 100, 0);
    encoder.noteOn(0, 60, 100, 0);
    encoder.noteOn(1, 72, 100, 97 * MS);
    encoder.noteOff(0, 64, 98 * MS);
    encoder.noteOn(0, 62, 100, 101 * MS);
    encoder.noteOff(0, 60, 104 * MS);
    encoder.flush();
    assertArrayEquals(new int[] {LOUD, noteOn(60), noteOn(64), timeShift(10), noteOff(60),
        noteOff(64), noteOn(62), noteOn(72)}, told());
  }

  @Test
  void aStepIsToldOnlyOnceNoLaterEventCanFallIntoIt() {
    encoder.noteOn(0, 60, 100, 0);
    encoder.advance(4 * MS);
    assertEquals(0, told.size(), "an event at 4 ms still rounds to 0");
    encoder.advance(5 * MS);
    assertArrayEquals(new int[] {LOUD, noteOn(60)}, told());
  }

  @Test
  void aNoteLastsAtLeastOneStepAndTwoStartsOfAPitchInOneStepAreOneNote() {
    encoder.noteOn(0, 60, 100, 0);
    encoder.noteOff(0, 60, 2 * MS);
    encoder.noteOn(1, 60, 20, 3 * MS); // the same step: joins the first note, keeps its velocity
    encoder.noteOff(1, 60, 31 * MS);
    encoder.noteOn(0, 67, 100, 50 * MS);
    encoder.noteOff(0, 67, 51 * MS);
    encoder.flush();
    assertArrayEquals(new int[] {LOUD, noteOn(60), timeShift(3), noteOff(60), timeShift(2),
        noteOn(67), timeShift(1), noteOff(67)}, told());
  }

  @Test
  void aPitchStruckAgainOnAnotherChannelEndsTheSoundingNoteAndItsOwnOffIsThenIgnored() {
    encoder.noteOn(0, 60, 100, 0);
    encoder.noteOn(1, 60, 100, 100 * MS);
    assertTrue(encoder.noteOff(0, 60, 150 * MS), "channel 0 held the key");
    assertTrue(encoder.noteOff(1, 60, 200 * MS));
    assertFalse(encoder.noteOff(1, 60, 210 * MS), "never held twice");
    encoder.flush();
    assertArrayEquals(new int[] {LOUD, noteOn(60), timeShift(10), noteOff(60), noteOn(60),
        timeShift(10), noteOff(60)}, told());
  }

  @Test
  void shiftsAreAtMostOneSecondAndSilenceIsCappedAtTheEncodersCap() {
    encoder.noteOn(0, 60, 100, 0);
    encoder.noteOff(0, 60, 2_500 * MS);
    encoder.noteOn(0, 62, 100, 60_000 * MS);
    encoder.noteOff(0, 62, 60_010 * MS);
    encoder.flush();
    assertArrayEquals(new int[] {LOUD, noteOn(60), timeShift(100), timeShift(100), timeShift(50),
        noteOff(60), timeShift(100), timeShift(100), timeShift(100), noteOn(62), timeShift(1),
        noteOff(62)}, told());
  }

  @Test
  void aNoteHeldLongerThanTheCapIsToldInFullForItIsNotSilence() {
    encoder.noteOn(0, 60, 100, 0);
    encoder.noteOff(0, 60, 3_500 * MS);
    encoder.flush();
    assertArrayEquals(new int[] {LOUD, noteOn(60), timeShift(100), timeShift(100), timeShift(100),
        timeShift(50), noteOff(60)}, told());
  }

  @Test
  void theSustainPedalHoldsReleasedNotesOfItsChannelUntilItLifts() {
    encoder.sustain(2, true, 0);
    encoder.noteOn(2, 60, 100, 0);
    encoder.noteOn(0, 64, 100, 0);
    assertTrue(encoder.noteOff(2, 60, 100 * MS), "the key went up");
    assertFalse(encoder.holds(2, 60));
    assertFalse(encoder.noteOff(2, 60, 110 * MS), "already up");
    encoder.noteOff(0, 64, 100 * MS); // another channel: no pedal
    encoder.noteOn(2, 62, 100, 150 * MS);
    encoder.noteOff(2, 62, 160 * MS);
    encoder.sustain(2, false, 300 * MS);
    encoder.flush();
    assertArrayEquals(new int[] {LOUD, noteOn(60), noteOn(64), timeShift(10), noteOff(64),
        timeShift(5), noteOn(62), timeShift(15), noteOff(60), noteOff(62)}, told());
  }

  @Test
  void releasingEverythingEndsHeldAndSustainedNotesAndLaterKeyUpsSayNothing() {
    encoder.sustain(0, true, 0);
    encoder.noteOn(0, 60, 100, 0);
    encoder.noteOff(0, 60, 50 * MS);
    encoder.noteOn(1, 62, 100, 50 * MS);
    assertTrue(encoder.releaseAll(100 * MS));
    assertFalse(encoder.releaseAll(100 * MS));
    assertFalse(encoder.noteOff(1, 62, 150 * MS));
    encoder.flush();
    assertArrayEquals(new int[] {LOUD, noteOn(60), timeShift(5), noteOn(62), timeShift(5),
        noteOff(60), noteOff(62)}, told());
  }

  @Test
  void velocityIsToldWhenItsBinChangesAndAgainAfterARestartThatDoesNotKnowIt() {
    encoder.noteOn(0, 60, 100, 0);
    encoder.noteOn(0, 62, 99, 0); // same bin
    encoder.noteOn(0, 64, 10, 0);
    encoder.startAt(100 * MS, -1);
    encoder.noteOn(0, 65, 10, 100 * MS);
    encoder.flush();
    int soft = velocity(binOfVelocity(10));
    assertArrayEquals(new int[] {LOUD, noteOn(60), noteOn(62), soft, noteOn(64), soft,
        noteOn(65)}, told());
  }

  @Test
  void aStartedTimelineToldTheTimeFromItsStartAndTellTimeMovesItsClock() {
    encoder.startAt(1_000 * MS, -1);
    encoder.noteOn(0, 60, 100, 1_234 * MS);
    encoder.tellTime(1_244 * MS);
    assertArrayEquals(new int[] {timeShift(23), LOUD, noteOn(60), timeShift(1)}, told());
    assertEquals(1_240 * MS, encoder.toldNanos());
  }

  @Test
  void givesTheTokensOfTheListEncoderOnRealFilesAndChorales() throws Exception {
    String[] files = {"nottingham/midi/ashover10.mid", "nottingham/midi/reelsa-c5.mid",
        "nottingham/midi/waltzes10.mid", "nottingham/midi/jigs107.mid", "pop909/001.mid",
        "pop909/101.mid"};
    for (String name : files) {
      List<Note> notes = MidiFiles.read(Corpora.fixture(name));
      assertArrayEquals(BatchEncoder.encode(notes), EventEncoder.encode(notes), name);
    }
    Map<String, List<List<Note>>> jsb =
        JsbChorales.read(Corpora.fixture("jsb/jsb-chorales-16th.json"));
    for (List<List<Note>> split : jsb.values()) {
      for (List<Note> chorale : split) {
        assertArrayEquals(BatchEncoder.encode(chorale), EventEncoder.encode(chorale));
      }
    }
  }

  @Test
  @EnabledIfEnvironmentVariable(named = Corpora.ENV, matches = ".+")
  void givesTheTokensOfTheListEncoderOnEveryFileOfTheFullCorpora() throws Exception {
    int files = 0;
    for (String corpus : new String[] {"nottingham/midi", "pop909"}) {
      try (var paths = Files.list(Corpora.full().resolve(corpus))) {
        for (Path file : paths.filter(p -> p.toString().endsWith(".mid")).sorted().toList()) {
          List<Note> notes = MidiFiles.read(file);
          assertArrayEquals(BatchEncoder.encode(notes), EventEncoder.encode(notes),
              file.toString());
          files++;
        }
      }
    }
    assertTrue(files > 1_000, files + " files");
  }

  @Test
  void givesTheTokensOfTheListEncoderOnDenseRandomNotes() {
    Random random = new Random(16);
    for (int round = 0; round < 2_000; round++) {
      List<Note> notes = new ArrayList<>();
      int n = 1 + random.nextInt(40);
      for (int i = 0; i < n; i++) {
        long start = random.nextInt(300) * 1_000L + random.nextInt(3) * 5_000L;
        long length = random.nextInt(4) == 0 ? random.nextInt(8_000) : random.nextInt(120_000);
        notes.add(new Note(58 + random.nextInt(6), 1 + random.nextInt(127), start,
            start + length, random.nextInt(3)));
      }
      // As the readers give them: by onset, then pitch, then channel.
      notes.sort(Comparator.comparingLong(Note::startMicros).thenComparingInt(Note::pitch)
          .thenComparingInt(Note::channel));
      assertArrayEquals(BatchEncoder.encode(notes), EventEncoder.encode(notes),
          "round " + round + ": " + notes);
    }
  }

  @Test
  void anEmptyPerformanceHasNoTokens() {
    assertArrayEquals(new int[0], EventEncoder.encode(List.of()));
    encoder.flush();
    assertEquals(0, told.size());
    assertFalse(Arrays.stream(told()).anyMatch(t -> true));
  }
}
