package continuo.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MidiStreamDecoderTest {
  private final MidiStreamDecoder decoder = new MidiStreamDecoder();
  private final List<String> out = new ArrayList<>();
  private final MidiHandler record = (t, m) -> out.add(MidiMessage.toString(m));

  private void feed(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    decoder.feed(0, b, 0, b.length, record);
  }

  @Test
  void decodesCompleteChannelMessages() {
    feed(0x90, 60, 100, 0x80, 60, 0, 0xC1, 5, 0xB0, 123, 0);
    assertEquals(List.of("90 60 100", "80 60 0", "C1 5 0", "B0 123 0"), out);
    assertEquals(0, decoder.malformed());
  }

  @Test
  void runningStatusRepeatsTheLastStatus() {
    feed(0x90, 60, 100, 62, 90, 60, 0);
    assertEquals(List.of("90 60 100", "90 62 90", "90 60 0"), out);
  }

  @Test
  void realTimeBytesInsideAMessageAreDeliveredWithoutBreakingIt() {
    feed(0x90, 60, 0xF8, 100, 0xFE, 64, 0xFA, 80);
    assertEquals(List.of("F8 0 0", "90 60 100", "FE 0 0", "FA 0 0", "90 64 80"), out);
    assertEquals(0, decoder.malformed());
  }

  @Test
  void sysExOfAnyLengthIsSkipped() {
    int[] bytes = new int[10_005];
    bytes[0] = 0xF0;
    for (int i = 1; i < 10_002; i++) {
      bytes[i] = i % 128;
    }
    bytes[10_002] = 0xF7;
    bytes[10_003] = 0x90;
    bytes[10_004] = 61;
    feed(bytes);
    feed(99);
    assertEquals(List.of("90 61 99"), out);
    assertEquals(1, decoder.sysExSkipped());
    assertEquals(0, decoder.malformed());
  }

  @Test
  void realTimeBytesInsideSysExAreDelivered() {
    feed(0xF0, 1, 2, 0xF8, 3, 0xF7);
    assertEquals(List.of("F8 0 0"), out);
  }

  @Test
  void aTruncatedMessageIsCountedAndSkipped() {
    feed(0x90, 60, 0x80, 60, 0);
    assertEquals(List.of("80 60 0"), out);
    assertEquals(1, decoder.malformed());
  }

  @Test
  void strayDataAndALoneEndOfSysExAreCounted() {
    feed(60, 100, 0xF7, 0x90, 60, 100);
    assertEquals(List.of("90 60 100"), out);
    assertEquals(3, decoder.malformed());
  }

  @Test
  void aSysExCutShortByAStatusIsCountedAndTheStatusKept() {
    feed(0xF0, 1, 2, 0x90, 60, 100);
    assertEquals(List.of("90 60 100"), out);
    assertEquals(1, decoder.malformed());
  }

  @Test
  void systemCommonMessagesCancelRunningStatus() {
    feed(0x90, 60, 100, 0xF2, 1, 2, 61, 100);
    assertEquals(List.of("90 60 100", "F2 1 2"), out);
    assertEquals(2, decoder.malformed());
  }

  @Test
  void randomBytesNeverBreakTheDecoder() {
    Random r = new Random(42);
    byte[] junk = new byte[200_000];
    r.nextBytes(junk);
    decoder.feed(0, junk, 0, junk.length, (t, m) -> {
      int s = MidiMessage.status(m);
      if (s < 0x80) {
        throw new AssertionError("delivered a message without status: " + m);
      }
    });
    out.clear();
    feed(0xF7, 0x90, 1, 2);
    assertEquals(List.of("90 1 2"), out);
  }

  @Test
  void theEndOfAPacketCountsAMessageItCutShortAndEndsRunningStatus() {
    feed(0x90, 60);
    decoder.endOfPacket();
    feed(62, 90);
    assertEquals(List.of(), out, "a packet's data bytes do not complete the last packet's message");
    assertEquals(3, decoder.malformed(), "the cut message and the two stray data bytes");
    feed(0xF0, 1, 0xF8, 2);
    decoder.endOfPacket();
    feed(0xFC);
    decoder.endOfPacket();
    assertEquals(List.of("F8 0 0", "FC 0 0"), out, "the tick inside the SysEx is taken out");
    assertEquals(3, decoder.malformed(), "an unterminated SysEx ends with its packet");
  }
}
