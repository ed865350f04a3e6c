package continuo.encoding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSB chorales data set ({@code jsb-chorales-16th.json}): {@code {"train": [chorale, ...],
 * "valid": ..., "test": ...}}, each chorale a list of 16th-note time steps, each step the list of
 * sounding MIDI pitches. Steps become 125 ms (16ths at 120 bpm); a pitch sounding in consecutive
 * steps is one held note; velocity 80, channel 0.
 */
public final class JsbChorales {
  /** Length of one 16th-note step. */
  public static final long STEP_MICROS = 125_000;
  private static final int VELOCITY = 80;

  private JsbChorales() {}

  /** Split name to chorales, in file order. */
  public static Map<String, List<List<Note>>> read(Path json) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json.toFile());
    } catch (IOException e) {
      throw new IOException(json + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new IOException(json + ": expected an object of splits, like {\"train\": [...]}");
    }
    Map<String, List<List<Note>>> splits = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> split = it.next();
      if (!split.getValue().isArray()) {
        throw new IOException(json + ": split '" + split.getKey() + "' is not a list of chorales");
      }
      List<List<Note>> chorales = new ArrayList<>();
      int index = 0;
      for (JsonNode chorale : split.getValue()) {
        chorales.add(chorale(json, split.getKey(), index++, chorale));
      }
      splits.put(split.getKey(), chorales);
    }
    return splits;
  }

  private static List<Note> chorale(Path json, String split, int index, JsonNode steps)
      throws IOException {
    String where = json + ": " + split + "[" + index + "]";
    if (!steps.isArray()) {
      throw new IOException(where + " is not a list of time steps");
    }
    long[] start = new long[128];
    java.util.Arrays.fill(start, -1);
    List<Note> notes = new ArrayList<>();
    int t = 0;
    for (JsonNode step : steps) {
      if (!step.isArray()) {
        throw new IOException(where + " step " + t + " is not a list of pitches");
      }
      boolean[] sounding = new boolean[128];
      for (JsonNode p : step) {
        if (!p.canConvertToInt() || p.asInt() < 0 || p.asInt() > 127) {
          throw new IOException(where + " step " + t + " has pitch " + p + "; expected 0..127");
        }
        sounding[p.asInt()] = true;
      }
      for (int p = 0; p < 128; p++) {
        if (start[p] >= 0 && !sounding[p]) {
          notes.add(new Note(p, VELOCITY, start[p] * STEP_MICROS, t * STEP_MICROS, 0));
          start[p] = -1;
        } else if (start[p] < 0 && sounding[p]) {
          start[p] = t;
        }
      }
      t++;
    }
    for (int p = 0; p < 128; p++) {
      if (start[p] >= 0) {
        notes.add(new Note(p, VELOCITY, start[p] * STEP_MICROS, t * STEP_MICROS, 0));
      }
    }
    notes.sort(java.util.Comparator.comparingLong(Note::startMicros).thenComparingInt(Note::pitch));
    return notes;
  }
}
