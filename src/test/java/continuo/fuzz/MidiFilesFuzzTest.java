package continuo.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import continuo.encoding.EventEncoder;
import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.midifile.MidiFileReader;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Any bytes given to the Standard MIDI File reader give notes or an IOException naming the file
 * and the problem in one line: never another exception, a hang or a runaway allocation. The notes
 * are encoded as tokens too, whose number the file's length and the reader's duration limit bound.
 */
class MidiFilesFuzzTest {
  private static final String NAME = "fuzzed.mid";

  @FuzzTest(maxDuration = "30s")
  @Timeout(10)
  void anyBytesGiveNotesOrOneClearError(byte[] bytes) {
    List<Note> notes;
    try {
      notes = MidiFiles.parse(bytes, NAME);
    } catch (IOException e) {
      Contract.clearOneLineNaming(e, NAME + ": ");
      return;
    }
    for (int i = 1; i < notes.size(); i++) {
      assertTrue(notes.get(i - 1).startMicros() <= notes.get(i).startMicros(), "notes sorted by onset");
    }
    for (Note n : notes) {
      assertTrue(n.channel() != 9, "drums are skipped");
    }
    int[] tokens = EventEncoder.encode(notes);
    long bound = 3L * notes.size() + MidiFileReader.MAX_DURATION_MICROS / 1_000_000 + 1;
    assertTrue(tokens.length <= bound, tokens.length + " tokens from " + bytes.length + " bytes");
  }
}
