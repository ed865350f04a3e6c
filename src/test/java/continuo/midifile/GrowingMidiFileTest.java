package continuo.midifile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.midi.MidiSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowingMidiFileTest {
  @TempDir Path dir;

  @Test
  void eventsAddedInTimeOrderGiveTheBytesTheSortingWriterGives() throws Exception {
    GrowingMidiFile g = new GrowingMidiFile(480, "player", "continuo");
    MidiFileWriter w = new MidiFileWriter(480);
    MidiFileWriter.Track p = w.track().name("player");
    MidiFileWriter.Track c = w.track().name("continuo");
    g.tempo(0, 0, 500_000);
    p.tempo(0, 500_000);
    long[] ticks = {0, 100, 200, 5_000, 200_000_000L};
    for (int i = 0; i < ticks.length; i++) {
      int on = 0x90 | (60 + i) << 8 | 100 << 16;
      g.add(0, ticks[i], on);
      p.add(ticks[i], on);
      g.add(1, ticks[i] + 7, 0xC1 | i << 8);
      c.add(ticks[i] + 7, 0xC1 | i << 8);
      g.add(0, ticks[i] + 50, on & 0xFFFF);
      p.add(ticks[i] + 50, on & 0xFFFF);
    }
    g.tempo(1, 200_000_100L, 250_000);
    c.tempo(200_000_100L, 250_000);
    assertArrayEquals(w.toBytes(), bytes(g, 0), "a snapshot at the last event's tick");
  }

  @Test
  void aSnapshotEndsTheSoundingNotesWithoutEndingThemInTheFileThatGoesOn() throws Exception {
    GrowingMidiFile g = new GrowingMidiFile(480, "one");
    g.add(0, 0, 0x90 | 60 << 8 | 100 << 16);
    g.add(0, 10, 0x92 | 64 << 8 | 100 << 16);
    g.add(0, 20, 0x90 | 60 << 8 | 100 << 16); // struck again while sounding
    TimedMessages first = MidiFileReader.parse(bytes(g, 960), "first.mid");
    assertEquals(6, first.size(), "three notes, three note-offs");
    for (int i = 3; i < 6; i++) {
      assertEquals(960, first.tick(i));
      assertEquals(0x80, first.status(i) & 0xF0);
    }
    g.add(0, 1_000, 0x80 | 60 << 8);
    TimedMessages second = MidiFileReader.parse(bytes(g, 1_100), "second.mid");
    assertEquals(6, second.size(), "one off played, two left to end");
    assertEquals(1_000, second.tick(3));
    assertEquals(1_100, second.tick(5));
  }

  @Test
  void anEventEarlierThanItsTracksLastIsMovedUpToIt() throws Exception {
    GrowingMidiFile g = new GrowingMidiFile(96, "t");
    g.add(0, 50, 0xB0 | 1 << 8 | 2 << 16);
    g.add(0, 40, 0xB0 | 3 << 8 | 4 << 16);
    assertEquals(50, MidiFileReader.parse(bytes(g, 0), "x.mid").tick(1));
  }

  @Test
  void writtenAtomicallyItReplacesTheFileAndLeavesNoTemporaryFile() throws Exception {
    Path out = dir.resolve("jam.mid");
    Files.writeString(out, "an older jam");
    GrowingMidiFile g = new GrowingMidiFile(480, "player", "continuo");
    g.add(1, 480, 0x90 | 62 << 8 | 80 << 16);
    long n = g.writeAtomically(out, GrowingMidiFile.temporaryFor(out), 960);
    assertEquals(n, Files.size(out));
    assertEquals(2, MidiSystem.getSequence(out.toFile()).getTracks().length);
    assertEquals(2, MidiFileReader.read(out).size());
    assertTrue(Files.list(dir).allMatch(out::equals));
  }

  @Test
  void aSnapshotOfATwoHourJamAllocatesNothingAndWritesOnlyItsBytes() throws Exception {
    GrowingMidiFile g = new GrowingMidiFile(480, "player", "continuo");
    long tick = 0;
    for (int i = 0; i < 72_000; i++) { // ten notes a second for two hours, at 120 bpm
      tick = i * 96L;
      g.add(i % 2, tick, 0x90 | (40 + i % 50) << 8 | 90 << 16);
      g.add(i % 2, tick + 77, 0x80 | (40 + i % 50) << 8);
    }
    g.add(0, tick + 100, 0x90 | 60 << 8 | 90 << 16); // sounding at the snapshot
    long[] written = new long[1];
    java.nio.channels.GatheringByteChannel counting = new java.nio.channels.GatheringByteChannel() {
      @Override
      public long write(java.nio.ByteBuffer[] srcs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
          n += srcs[i].remaining();
          srcs[i].position(srcs[i].limit());
        }
        written[0] += n;
        return n;
      }

      @Override
      public long write(java.nio.ByteBuffer[] srcs) {
        return write(srcs, 0, srcs.length);
      }

      @Override
      public int write(java.nio.ByteBuffer src) {
        return (int) write(new java.nio.ByteBuffer[] {src});
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {}
    };
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    for (int warm = 0; warm < 3; warm++) {
      g.writeTo(counting, tick + 200);
    }
    written[0] = 0;
    long before = mx.getThreadAllocatedBytes(id);
    long size = g.writeTo(counting, tick + 200);
    long allocated = mx.getThreadAllocatedBytes(id) - before;
    assertEquals(0, allocated, "bytes allocated by a snapshot");
    assertEquals(size, written[0]);
    assertTrue(size > 500_000 && size < 700_000, size + " bytes for 144,001 events");
  }

  private static byte[] bytes(GrowingMidiFile g, long tick) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    g.writeTo(new java.nio.channels.GatheringByteChannel() {
      final java.nio.channels.WritableByteChannel c = Channels.newChannel(out);

      @Override
      public long write(java.nio.ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
          n += c.write(srcs[i]);
        }
        return n;
      }

      @Override
      public long write(java.nio.ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
      }

      @Override
      public int write(java.nio.ByteBuffer src) throws IOException {
        return c.write(src);
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {}
    }, tick);
    return out.toByteArray();
  }
}
