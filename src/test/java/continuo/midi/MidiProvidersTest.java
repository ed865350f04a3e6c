package continuo.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import continuo.metrics.Counters;
import continuo.testkit.LoopbackProvider;
import java.nio.file.Path;
import java.util.List;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MidiProvidersTest {
  @TempDir Path dir;

  @Test
  void jackJavaSoundAndTheFileAreFoundThroughTheServiceLoaderInAutoOrder() {
    List<String> names = new MidiProviders().all().stream().map(MidiProvider::name).toList();
    assertEquals(List.of("jack", "javasound", "file"), names);
  }

  @Test
  void autoTakesTheFirstAvailableBackendAndSaysWhyItPassedTheOthersOver() throws Exception {
    LoopbackProvider frozen = new LoopbackProvider("first", 0, "the server did not answer");
    LoopbackProvider second = new LoopbackProvider("second", 10, null);
    MidiProviders providers = new MidiProviders(List.of(second, frozen));
    MidiProviders.Choice choice = providers.choose("auto");
    assertSame(second, choice.provider());
    assertEquals("the server did not answer", choice.passedOver());
    assertSame(frozen, providers.select("first"), "named, a backend is taken as it is");
    assertNull(new MidiProviders(List.of(second)).choose("auto").passedOver());
  }

  @Test
  void aSourceIsNeverABackendAndIsFoundByTheSchemeOfIn() {
    MidiProviders providers = new MidiProviders();
    MidiBackendException e = assertThrows(MidiBackendException.class,
        () -> providers.select("file"));
    assertTrue(e.getMessage().contains("expected auto, jack or javasound"), e.getMessage());
    assertEquals("file", providers.source("file:phrase.mid").name());
    assertNull(providers.source("Keystation"), "a port name is the backend's");
    assertNull(providers.source(null));
  }

  @Test
  void theFileProviderPlaysTheFileIntoTheInputRing() throws Exception {
    Sequence seq = new Sequence(Sequence.PPQ, 480);
    Track t = seq.createTrack();
    t.add(new MidiEvent(new ShortMessage(0x90, 60, 100), 0));
    t.add(new MidiEvent(new ShortMessage(0x80, 60, 0), 48)); // 50 ms at 120 bpm
    Path file = dir.resolve("two.mid");
    MidiSystem.write(seq, 1, file.toFile());
    Counters counters = new Counters();
    MidiEventRing ring = new MidiEventRing(64, counters.newCounter("file"));
    MidiProvider p = new MidiProviders().source("file:" + file);
    try (MidiConnection c = p.open(new MidiSettings("continuo", "file:" + file, null), ring, null,
        SystemNanoClock.INSTANCE, counters)) {
      assertTrue(c.describe().contains("two.mid") && c.describe().contains("2 messages"),
          c.describe());
      long end = System.nanoTime() + 5_000_000_000L;
      List<Integer> got = new java.util.ArrayList<>();
      while (got.size() < 2 && System.nanoTime() < end) {
        ring.drain((time, m) -> got.add(m));
        Thread.sleep(10);
      }
      assertEquals(List.of(MidiMessage.pack(0x90, 60, 100), MidiMessage.pack(0x80, 60, 0)), got);
      assertTrue(c.isAlive(), "a file played to its end is not a lost device");
    }
  }

  @Test
  void aFileThatIsNotMidiOrEmptyIsOneClearLineNamingIt() throws Exception {
    Path bad = dir.resolve("notes.txt");
    java.nio.file.Files.writeString(bad, "la la la");
    Counters counters = new Counters();
    MidiBackendException e = assertThrows(MidiBackendException.class,
        () -> new FileInputProvider().open(new MidiSettings("continuo", "file:" + bad, null),
            new MidiEventRing(8, counters.newCounter("f")), null, SystemNanoClock.INSTANCE,
            counters));
    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());

    Path empty = dir.resolve("empty.mid");
    java.nio.file.Files.write(empty, new byte[0]);
    MidiBackendException none = assertThrows(MidiBackendException.class,
        () -> new FileInputProvider().open(new MidiSettings("continuo", "file:" + empty, null),
            new MidiEventRing(8, counters.newCounter("g")), null, SystemNanoClock.INSTANCE,
            counters));
    assertTrue(none.getMessage().contains("empty.mid"), none.getMessage());
  }
}
