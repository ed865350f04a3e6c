package continuo.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import continuo.midi.MidiMessage;
import continuo.midi.MidiStreamDecoder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * The live byte-stream decoder against arbitrary and against well-formed streams: it never throws,
 * delivers only whole messages, passes real-time bytes straight through, and decodes any valid
 * stream (running status, SysEx of any length, real-time bytes anywhere) exactly.
 */
class MidiStreamDecoderFuzzTest {
  /** What one decoder produced: messages in order plus its counters. */
  private record Decoded(List<Integer> messages, long malformed, long sysEx) {
    List<Integer> realTime() {
      return messages.stream().filter(m -> MidiMessage.status(m) >= 0xF8).toList();
    }

    List<Integer> other() {
      return messages.stream().filter(m -> MidiMessage.status(m) < 0xF8).toList();
    }
  }

  private static Decoded decode(byte[] bytes, int[] cuts) {
    MidiStreamDecoder d = new MidiStreamDecoder();
    List<Integer> out = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      d.feed(0, bytes, from, cut - from, (t, m) -> out.add(m));
      from = cut;
    }
    d.feed(0, bytes, from, bytes.length - from, (t, m) -> out.add(m));
    return new Decoded(out, d.malformed(), d.sysExSkipped());
  }

  private static Decoded decodeByteByByte(byte[] bytes) {
    MidiStreamDecoder d = new MidiStreamDecoder();
    List<Integer> out = new ArrayList<>();
    for (byte b : bytes) {
      d.feed(0, b & 0xFF, (t, m) -> out.add(m));
    }
    return new Decoded(out, d.malformed(), d.sysExSkipped());
  }

  @FuzzTest(maxDuration = "30s")
  @Timeout(10)
  void anyByteStreamDecodesIntoWholeMessagesOnly(FuzzedDataProvider data) {
    int[] cuts = new int[data.consumeInt(0, 4)];
    byte[] bytes = data.consumeRemainingAsBytes();
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = bytes.length == 0 ? 0 : Math.floorMod(bytes[i % bytes.length] * 31 + i, bytes.length + 1);
    }
    Arrays.sort(cuts);
    Decoded whole = decode(bytes, cuts);

    for (int m : whole.messages()) {
      int status = MidiMessage.status(m);
      assertTrue(status >= 0x80 && status != 0xF0 && status != 0xF7 && status != 0xF9
          && status != 0xFD, "delivered " + MidiMessage.toString(m));
      int length = MidiMessage.dataLength(status);
      assertTrue(status >= 0xF8 ? MidiMessage.data1(m) == 0 && MidiMessage.data2(m) == 0
          : length >= 2 || MidiMessage.data2(m) == 0 && (length == 1 || MidiMessage.data1(m) == 0),
          "data bytes beyond the message's length in " + MidiMessage.toString(m));
    }
    assertTrue(whole.malformed() <= bytes.length && whole.sysEx() <= bytes.length);

    // Chunking never matters.
    assertEquals(whole, decodeByteByByte(bytes));

    // Real-time bytes come through at once and in order, and removing them changes nothing else.
    ByteArrayOutputStream realTime = new ByteArrayOutputStream();
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    for (byte b : bytes) {
      int u = b & 0xFF;
      if (u >= 0xF8) {
        if (u != 0xF9 && u != 0xFD) {
          realTime.write(u);
        }
      } else {
        rest.write(u);
      }
    }
    List<Integer> expectedRealTime = new ArrayList<>();
    for (byte b : realTime.toByteArray()) {
      expectedRealTime.add(MidiMessage.pack(b & 0xFF, 0, 0));
    }
    assertEquals(expectedRealTime, whole.realTime());
    Decoded without = decode(rest.toByteArray(), new int[0]);
    assertEquals(whole.other(), without.messages());
    assertEquals(whole.malformed(), without.malformed());
    assertEquals(whole.sysEx(), without.sysEx());
  }

  private static final int[] SYSTEM_COMMON = {0xF1, 0xF2, 0xF3, 0xF6};
  private static final int[] REAL_TIME = {0xF8, 0xFA, 0xFB, 0xFC, 0xFE, 0xFF};

  @FuzzTest(maxDuration = "30s")
  @Timeout(10)
  void everyWellFormedStreamDecodesExactly(FuzzedDataProvider data) {
    List<Integer> sent = new ArrayList<>();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    List<Integer> realTimeSent = new ArrayList<>();
    int running = 0;
    int sysExes = 0;
    while (data.remainingBytes() > 0) {
      int kind = data.consumeInt(0, 9);
      if (kind == 0) { // a SysEx of any length, maybe with real-time bytes inside
        wire.write(0xF0);
        int n = data.consumeInt(0, 3000);
        for (int i = 0; i < n; i++) {
          if (data.consumeInt(0, 63) == 0) {
            int rt = REAL_TIME[data.consumeInt(0, REAL_TIME.length - 1)];
            wire.write(rt);
            realTimeSent.add(rt);
          } else {
            wire.write(i & 0x7F);
          }
        }
        wire.write(0xF7);
        sysExes++;
        running = 0;
        continue;
      }
      int status = kind == 1
          ? SYSTEM_COMMON[data.consumeInt(0, SYSTEM_COMMON.length - 1)]
          : data.consumeInt(0x80, 0xEF);
      int len = MidiMessage.dataLength(status);
      int d1 = len >= 1 ? data.consumeInt(0, 127) : 0;
      int d2 = len >= 2 ? data.consumeInt(0, 127) : 0;
      boolean useRunning = status == running && data.consumeBoolean();
      int[] bytes = {status, d1, d2};
      for (int i = useRunning ? 1 : 0; i <= len; i++) {
        if (data.consumeInt(0, 7) == 0) {
          int rt = REAL_TIME[data.consumeInt(0, REAL_TIME.length - 1)];
          wire.write(rt);
          realTimeSent.add(rt);
        }
        wire.write(bytes[i]);
      }
      sent.add(MidiMessage.pack(status, d1, d2));
      running = status < 0xF0 ? status : 0;
    }
    byte[] bytes = wire.toByteArray();
    Decoded got = decode(bytes, new int[0]);
    List<Integer> realTime = new ArrayList<>();
    for (int rt : realTimeSent) {
      realTime.add(MidiMessage.pack(rt, 0, 0));
    }
    assertEquals(sent, got.other());
    assertEquals(realTime, got.realTime());
    assertEquals(0, got.malformed());
    assertEquals(sysExes, got.sysEx());
  }
}
