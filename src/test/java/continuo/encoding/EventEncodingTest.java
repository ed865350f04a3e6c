package continuo.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.testkit.Corpora;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

class EventEncodingTest {
  static final Path CORPORA = Corpora.FIXTURES;
  @TempDir Path dir;

  @Test
  void tokensFollowThePerformanceOrder() {
    List<Note> notes = List.of(
        new Note(60, 100, 2_000_000, 2_500_000, 0),
        new Note(64, 100, 2_000_000, 4_800_000, 1),
        new Note(67, 40, 2_500_000, 2_504_000, 0));
    int[] t = EventEncoder.encode(notes);
    int loud = PerformanceEncoding.velocity(PerformanceEncoding.binOfVelocity(100));
    int soft = PerformanceEncoding.velocity(PerformanceEncoding.binOfVelocity(40));
    assertArrayEquals(new int[] {
        loud, 60, 64,                        // leading silence dropped; one velocity for both
        PerformanceEncoding.timeShift(50),   // 500 ms
        128 + 60, soft, 67,                  // note-off first at equal times
        PerformanceEncoding.timeShift(1),    // a 4 ms note lasts one step
        128 + 67,
        PerformanceEncoding.timeShift(100), PerformanceEncoding.timeShift(100),
        PerformanceEncoding.timeShift(29),   // 2.29 s gap in 1 s pieces, largest first
        128 + 64}, t);
  }

  @Test
  void overlappingNotesOfOnePitchFromDifferentChannelsDoNotOverlap() {
    List<Note> notes = List.of(new Note(60, 100, 0, 1_000_000, 0), new Note(60, 100, 500_000, 800_000, 1),
        new Note(60, 100, 500_000, 1_200_000, 2));
    List<Note> back = EventDecoder.decode(EventEncoder.encode(notes));
    assertEquals(List.of(new Note(60, velocity(100), 0, 500_000, 0),
        new Note(60, velocity(100), 500_000, 1_200_000, 0)), back);
  }

  private static int velocity(int v) {
    return PerformanceEncoding.velocityOfBin(PerformanceEncoding.binOfVelocity(v));
  }

  @Test
  void theDecoderClosesEveryNoteAndIgnoresStrayNoteOffs() {
    int[] tokens = {128 + 50, 60, PerformanceEncoding.timeShift(10), 62};
    assertEquals(List.of(new Note(60, 64, 0, 100_000, 0), new Note(62, 64, 100_000, 110_000, 0)),
        EventDecoder.decode(tokens));
  }

  @Test
  void realFilesRoundTripWithinTenMilliseconds() throws Exception {
    String[] files = {"nottingham/midi/ashover10.mid", "nottingham/midi/reelsa-c5.mid",
        "nottingham/midi/waltzes10.mid", "pop909/001.mid", "pop909/101.mid"};
    for (String name : files) {
      Path file = Corpora.fixture(name);
      List<Note> original = MidiFiles.read(file);
      int[] tokens = EventEncoder.encode(original);
      for (int t : tokens) {
        assertTrue(PerformanceEncoding.isValid(t));
      }
      Path out = dir.resolve("rt.mid");
      MidiFiles.write(EventDecoder.decode(tokens), out);
      List<Note> back = MidiFiles.read(out);
      List<Note> expected = mergedOnOneChannel(original);
      assertEquals(expected.size(), back.size(), name);
      long origin = expected.get(0).startMicros();
      // Onsets within one 10 ms step may swap order, so match each note by pitch and time.
      boolean[] used = new boolean[back.size()];
      for (Note a : expected) {
        int match = -1;
        for (int i = 0; i < back.size() && match < 0; i++) {
          Note b = back.get(i);
          if (!used[i] && b.pitch() == a.pitch()
              && Math.abs(b.startMicros() - (a.startMicros() - origin)) <= 10_000) {
            match = i;
          }
        }
        assertTrue(match >= 0, name + ": no note for " + a);
        used[match] = true;
        assertEquals(a.durationMicros(), back.get(match).durationMicros(), 10_000, name + " " + a);
      }
    }
  }

  /**
   * The documented merge rule applied to unquantised notes: on one stream, a pitch re-struck
   * before its note ended cuts that note (same-onset duplicates keep the longer).
   */
  private static List<Note> mergedOnOneChannel(List<Note> notes) {
    List<Note> sorted = new ArrayList<>(notes);
    sorted.sort(Comparator.comparingLong(Note::startMicros).thenComparingInt(Note::pitch));
    Note[] last = new Note[128];
    List<Note> out = new ArrayList<>();
    for (Note n : sorted) {
      Note p = last[n.pitch()];
      if (p != null && p.endMicros() > n.startMicros()) {
        int i = out.indexOf(p);
        if (Math.abs(p.startMicros() - n.startMicros()) < 5_000) {
          Note longer = new Note(p.pitch(), p.velocity(), p.startMicros(),
              Math.max(p.endMicros(), n.endMicros()), 0);
          out.set(i, longer);
          last[n.pitch()] = longer;
          continue;
        }
        out.set(i, new Note(p.pitch(), p.velocity(), p.startMicros(), n.startMicros(), 0));
      }
      last[n.pitch()] = n;
      out.add(n);
    }
    out.sort(Comparator.comparingLong(Note::startMicros).thenComparingInt(Note::pitch));
    return out;
  }

  @Test
  void theChoralesReadWithTheirSplits() throws Exception {
    Map<String, List<List<Note>>> jsb = JsbChorales.read(Corpora.fixture("jsb/jsb-chorales-16th.json"));
    assertEquals(3, jsb.get("train").size());
    assertEquals(2, jsb.get("valid").size());
    assertChoraleOnTheGrid(jsb.get("train").get(0));
  }

  @Test
  @EnabledIfEnvironmentVariable(named = Corpora.ENV, matches = ".+")
  void everyChoraleOfTheFullDataSetReadsWithItsSplit() throws Exception {
    Map<String, List<List<Note>>> jsb =
        JsbChorales.read(Corpora.full().resolve("jsb/jsb-chorales-16th.json"));
    assertEquals(229, jsb.get("train").size());
    assertEquals(76, jsb.get("valid").size());
    for (List<List<Note>> split : jsb.values()) {
      for (List<Note> chorale : split) {
        assertTrue(EventEncoder.encode(chorale).length > 0);
      }
    }
    assertChoraleOnTheGrid(jsb.get("train").get(0));
  }

  private static void assertChoraleOnTheGrid(List<Note> first) {
    assertTrue(first.size() > 20);
    for (Note n : first) {
      assertEquals(0, n.startMicros() % JsbChorales.STEP_MICROS);
      assertTrue(n.durationMicros() >= JsbChorales.STEP_MICROS);
    }
  }
}
