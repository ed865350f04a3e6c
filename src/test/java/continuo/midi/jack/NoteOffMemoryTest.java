package continuo.midi.jack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import continuo.midi.MidiMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoteOffMemoryTest {
  private static int on(int channel, int pitch) {
    return MidiMessage.pack(0x90 | channel, pitch, 100);
  }

  private static int off(int channel, int pitch) {
    return MidiMessage.pack(0x80 | channel, pitch, 0);
  }

  private static List<Integer> repeat(NoteOffMemory m, long since, int room) {
    int[] out = new int[room];
    int n = m.repeatSince(since, out);
    return Arrays.stream(out, 0, n).boxed().toList();
  }

  @Test
  void repeatsTheNoteOffsOfTheWindowOldestFirst() {
    NoteOffMemory m = new NoteOffMemory(16);
    m.written(100, on(0, 60));
    m.written(110, on(0, 64));
    m.written(200, off(0, 60));
    m.written(300, MidiMessage.pack(0x90, 64, 0)); // a note-on of velocity 0 ends a note too
    assertEquals(List.of(off(0, 60), MidiMessage.pack(0x90, 64, 0)), repeat(m, 150, 8));
    assertEquals(List.of(MidiMessage.pack(0x90, 64, 0)), repeat(m, 250, 8));
    assertEquals(List.of(), repeat(m, 301, 8), "nothing ended after the window began");
  }

  @Test
  void aNoteTurnedOnAgainIsNotCutShort() {
    NoteOffMemory m = new NoteOffMemory(16);
    m.written(100, on(2, 60));
    m.written(200, off(2, 60));
    m.written(300, on(2, 60)); // playing again: repeating the old note-off would cut it
    m.written(310, on(3, 60));
    m.written(320, off(3, 60));
    assertEquals(List.of(off(3, 60)), repeat(m, 0, 8), "same pitch, other channel is repeated");
  }

  @Test
  void eachNoteOnceAndAllNotesOffOnlyOnASilentChannel() {
    NoteOffMemory m = new NoteOffMemory(16);
    int allOff = MidiMessage.pack(0xB0, 123, 0);
    m.written(100, on(0, 60));
    m.written(110, off(0, 60));
    m.written(120, on(0, 60));
    m.written(130, allOff);
    m.written(140, off(0, 60));
    assertEquals(List.of(off(0, 60), allOff), repeat(m, 0, 8));
    m.written(150, on(0, 67));
    assertEquals(List.of(off(0, 60)), repeat(m, 0, 8), "all-notes-off would end the new note");
  }

  @Test
  void keepsOnlyTheNewestAndFillsNoMoreThanTheRoomGiven() {
    NoteOffMemory m = new NoteOffMemory(4);
    for (int p = 0; p < 10; p++) {
      m.written(p * 10, on(0, p));
      m.written(p * 10 + 5, off(0, p));
    }
    assertEquals(List.of(off(0, 6), off(0, 7), off(0, 8), off(0, 9)), repeat(m, 0, 8));
    assertEquals(List.of(off(0, 6), off(0, 7)), repeat(m, 0, 2));
  }
}
