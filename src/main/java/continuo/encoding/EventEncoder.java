package continuo.encoding;

import java.util.Arrays;
import java.util.List;

/**
 * Notes to {@code performance} event tokens, offline (training, {@code encode}, {@code generate}'s
 * primer, {@code eval}, {@code score}): each note's start and end are fed in time order through
 * the same {@link IncrementalEncoder} the live engine listens with, so a file played in live gives
 * token for token what it gives here. The rules are the incremental encoder's; here the grid is
 * anchored at the piece's time 0, the stream starts at the first onset (leading silence is
 * dropped) and no silence is capped.
 */
public final class EventEncoder {
  private EventEncoder() {}

  public static int[] encode(List<Note> notes) {
    // Starts and ends by time; at equal times in list order, a note's start before its end.
    int n = notes.size();
    long[] times = new long[2 * n];
    Integer[] order = new Integer[2 * n];
    for (int i = 0; i < n; i++) {
      times[2 * i] = notes.get(i).startMicros() * 1000L;
      times[2 * i + 1] = notes.get(i).endMicros() * 1000L;
      order[2 * i] = 2 * i;
      order[2 * i + 1] = 2 * i + 1;
    }
    Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
    Tokens tokens = new Tokens(4 * n + 16);
    IncrementalEncoder encoder = new IncrementalEncoder(tokens, IncrementalEncoder.UNCAPPED);
    int[] voice = new int[n];
    for (int e : order) {
      Note note = notes.get(e / 2);
      if (e % 2 == 0) {
        voice[e / 2] = encoder.begin(note.pitch(), note.velocity(), times[e]);
      } else {
        encoder.end(note.pitch(), voice[e / 2], times[e]);
      }
    }
    encoder.flush();
    return tokens.toArray();
  }

  /** A growing array of the tokens emitted. */
  private static final class Tokens implements TokenSink {
    private int[] tokens;
    private int size;

    Tokens(int capacity) {
      tokens = new int[Math.max(16, capacity)];
    }

    @Override
    public void token(int token) {
      if (size == tokens.length) {
        tokens = Arrays.copyOf(tokens, 2 * size);
      }
      tokens[size++] = token;
    }

    int[] toArray() {
      return Arrays.copyOf(tokens, size);
    }
  }
}
