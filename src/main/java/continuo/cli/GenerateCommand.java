package continuo.cli;

import continuo.encoding.EventDecoder;
import continuo.encoding.EventEncoder;
import continuo.encoding.MidiFiles;
import continuo.encoding.Note;
import continuo.encoding.PerformanceEncoding;
import continuo.engine.LevelChoice;
import continuo.engine.ReferenceTempo;
import continuo.engine.Steering;
import continuo.midifile.MidiFileReader;
import continuo.model.LstmStepper;
import continuo.preset.Preset;
import continuo.preset.Settings;
import continuo.render.WavRenderer;
import continuo.sample.Generator;
import continuo.sample.NonFiniteLogitsException;
import continuo.steer.Dynamics;
import continuo.steer.Key;
import continuo.steer.VelocityFollower;
import continuo.tempo.TempoSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code continuo generate}: continues a MIDI file with a model and writes MIDI (and WAV). */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Continues a MIDI phrase with a model.",
      "OUT holds the primer followed by the model's continuation; the same seed gives the same file."
    })
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;


  @ArgGroup(exclusive = true, multiplicity = "1")
  ModelChoice choice;

  @Option(names = "--primer", required = true, paramLabel = "IN.mid", description = "The phrase to continue.")
  Path primer;

  @Option(names = "--out", required = true, paramLabel = "OUT.mid", description = "Where to write primer + continuation.")
  Path out;

  @Option(names = "--seconds", defaultValue = "20", paramLabel = "S",
      description = "Length of the continuation in seconds (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--temperature", paramLabel = "T",
      description = "Sampling temperature; 0 always picks the most likely event (default: the preset's temperature).")
  Float temperature;

  @Option(names = "--top-p", paramLabel = "P",
      description = "Nucleus sampling: sample only from the most likely events whose probabilities add up to P (default: the preset's top_p; 1 = off).")
  Float topP;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--key", paramLabel = "off|auto|KEY",
      description = "Keep the continuation in a key: \"F major\", \"D dorian\"..., or auto for the "
          + "primer's key (default: the preset's key; see docs/steering.md).")
  String key;

  @Option(names = "--pitch-range", paramLabel = "LOW,HIGH",
      description = "Never play a note below LOW or above HIGH (MIDI notes; default: the preset's "
          + "pitch_range).")
  String pitchRange;

  @Option(names = "--density", paramLabel = "D",
      description = "Notes per second against the model's own, 0.25..4 (default: the preset's "
          + "density).")
  String density;

  @Option(names = "--velocity", paramLabel = "model|follow|1..127",
      description = "The continuation's loudness: the model's, the primer's, or always this "
          + "velocity (default: the preset's velocity).")
  String velocity;

  @Option(names = "--bpm", paramLabel = "BPM",
      description = "The primer's tempo (20..400), instead of following its onsets (see "
          + "docs/tempo.md).")
  Double bpm;

  @Option(names = "--wav", paramLabel = "OUT.wav", description = "Also render the result to WAV with Java's built-in synthesizer.")
  Path wav;

  @Override
  public Integer call() throws Exception {
    if (!(seconds > 0 && seconds <= 3600)) {
      throw new UserError("--seconds must be between 0 and 3600, got " + seconds);
    }
    ModelChoice.Resolved model = choice.resolve();
    float t = temperature != null ? temperature : model.temperature();
    float p = topP != null ? topP : model.topP();
    if (!(t >= 0 && t <= 4)) {
      throw new UserError("--temperature must be from 0 to 4, got " + t);
    }
    if (!(p > 0 && p <= 1)) {
      throw new UserError("--top-p must be greater than 0 and at most 1, got " + p);
    }

    if (bpm != null && !(bpm >= 20 && bpm <= 400)) {
      throw new UserError("--bpm is " + bpm + "; expected a tempo from 20 to 400");
    }
    List<Note> primerNotes = MidiFiles.read(primer);
    if (primerNotes.isEmpty()) {
      throw new UserError(primer + ": the primer has no notes to continue");
    }
    Preset preset = model.preset();
    PrimerTempo tempo = PrimerTempo.follow(primerNotes, bpm == null ? 0 : bpm,
        tempoMapBpm(primerNotes), ReferenceTempo.of(model.weights().config()), 1);
    if (tempo.warps() && tempo.source() == TempoSource.TRACKER) {
      tempo = likeliestLevel(model, primerNotes, tempo);
    }
    List<Note> modelPrimer = tempo.toModel(primerNotes);
    int[] primerTokens = EventEncoder.encode(modelPrimer);
    preset = PresetOptions.Overrides.apply(preset, Settings.KEY, key);
    preset = PresetOptions.Overrides.apply(preset, Settings.PITCH_RANGE, pitchRange);
    preset = PresetOptions.Overrides.apply(preset, Settings.DENSITY, density);
    preset = PresetOptions.Overrides.apply(preset, Settings.VELOCITY, velocity);

    int[] continuation;
    VelocityFollower follower = new VelocityFollower();
    Key heard;
    try (LstmStepper stepper = ModelChoice.reproducibleStepper(model.weights())) {
      Generator generator = new Generator(stepper, seed);
      heard = steer(generator, preset, primerNotes, follower);
      generator.prime(primerTokens);
      long millis = tempo.modelMillis(Math.round(seconds * 1000));
      continuation = generator.continueFor(millis, t, p, Generator.maxTokensFor(millis));
    } catch (NonFiniteLogitsException e) {
      throw new UserError(model.name() + " " + e.problem(), e);
    }

    Dynamics dynamics = Steering.dynamics(preset, follower);
    List<Note> notes = new ArrayList<>(primerNotes);
    for (Note n : tempo.toPlayer(continuationNotes(modelPrimer, primerTokens, continuation))) {
      int token = PerformanceEncoding.velocity(PerformanceEncoding.binOfVelocity(n.velocity()));
      notes.add(new Note(n.pitch(), dynamics.outputVelocity(token), n.startMicros(),
          n.endMicros(), n.channel()));
    }
    MidiFiles.write(notes, out);
    if (wav != null) {
      WavRenderer.render(out, wav);
    }
    spec.commandLine().getErr().printf(Locale.ROOT,
        "generate: %s: %d primer notes + %d new notes (%s, temperature %.2f, seed %d%s, "
        + "tempo %.1f bpm %s)%n",
        out, primerNotes.size(), notes.size() - primerNotes.size(), model.name(), t, seed,
        keyNote(preset, heard), tempo.bpm(),
        tempo.source() == TempoSource.PRESET ? "tempo map" : tempo.source().label());
    return 0;
  }

  /**
   * Sets {@code generator}'s steering and note-length limit from {@code preset}, as the live
   * engine does: key "auto" is the key the estimator hears in the primer, and {@code follower}
   * hears the primer's loudness. Returns the key heard (null when none).
   */
  static Key steer(Generator generator, Preset preset, List<Note> primerNotes,
      VelocityFollower follower) {
    generator.setMaxNoteMillis(preset.maxNoteLengthMs());
    Key heard = Steering.hear(preset, primerNotes, follower);
    Steering.configure(generator.bias(), preset, heard);
    return heard;
  }

  /** The primer's last events the model is asked about. */
  static final int LEVEL_EVENTS = 512;

  /**
   * Which metrical level the tracker followed is its guess (a reel at 180 bpm in eighths has the
   * onsets of one at 90 in sixteenths, a jig's beat is a dotted quarter); the model is asked at
   * which of the tracker's levels it hears the primer's last {@link #LEVEL_EVENTS} note events
   * best, as the live engine asks it ({@link LevelChoice}).
   */
  private PrimerTempo likeliestLevel(ModelChoice.Resolved model, List<Note> primerNotes,
      PrimerTempo tracked) throws java.io.IOException {
    LevelChoice.Window window = window(primerNotes, LEVEL_EVENTS);
    double level;
    try (LstmStepper stepper = ModelChoice.reproducibleStepper(model.weights())) {
      level = new LevelChoice(stepper).choose(window, tracked.bpm(),
          ReferenceTempo.of(model.weights().config()),
          ReferenceTempo.onsetsPerBeat(model.weights().config()), Double.NaN);
    }
    if (Double.isNaN(level)) {
      return tracked;
    }
    return PrimerTempo.follow(primerNotes, 0, tempoMapBpm(primerNotes),
        ReferenceTempo.of(model.weights().config()), level / tracked.bpm());
  }

  /** The last {@code capacity} note events of {@code notes} (starts and ends), in time order. */
  static LevelChoice.Window window(List<Note> notes, int capacity) {
    List<long[]> events = new ArrayList<>(2 * notes.size());
    for (Note n : notes) {
      events.add(new long[] {n.startMicros() * 1000, n.channel(), n.pitch(), n.velocity()});
      events.add(new long[] {Math.max(n.startMicros() + 1, n.endMicros()) * 1000, n.channel(),
          n.pitch(), 0});
    }
    events.sort(java.util.Comparator.comparingLong(e -> e[0]));
    LevelChoice.Window w = new LevelChoice.Window(capacity);
    for (long[] e : events.subList(Math.max(0, events.size() - capacity), events.size())) {
      w.add(e[0], (int) e[1], (int) e[2], (int) e[3]);
    }
    return w;
  }

  /** The primer file's tempo at its first note: only a hint (see {@link PrimerTempo}). */
  private double tempoMapBpm(List<Note> notes) throws java.io.IOException {
    long first = Long.MAX_VALUE;
    for (Note n : notes) {
      first = Math.min(first, n.startMicros());
    }
    return MidiFileReader.read(primer).tempoMap().bpmAt(first);
  }

  private static String keyNote(Preset preset, Key heard) {
    String k = preset.get(Settings.KEY);
    if (k.equals("off")) {
      return "";
    }
    return ", key " + (k.equals("auto") ? "auto: " + (heard == null ? "none heard" : heard) : k);
  }

  /**
   * Decodes the continuation in the context of the primer (velocity carries over), keeps the notes
   * the primer's tokens alone do not decode to, and moves them so that the continuation starts no
   * earlier than the primer's last note ends.
   */
  static List<Note> continuationNotes(List<Note> primerNotes, int[] primerTokens, int[] continuation) {
    int[] all = new int[primerTokens.length + continuation.length];
    System.arraycopy(primerTokens, 0, all, 0, primerTokens.length);
    System.arraycopy(continuation, 0, all, primerTokens.length, continuation.length);
    long primerClock = 0;
    for (int token : primerTokens) {
      if (PerformanceEncoding.isTimeShift(token)) {
        primerClock += PerformanceEncoding.shiftMillis(token) * 1000L;
      }
    }
    long primerEnd = 0;
    for (Note n : primerNotes) {
      primerEnd = Math.max(primerEnd, n.endMicros());
    }
    long shift = Math.max(0, primerEnd - primerClock);
    Map<Note, Integer> primed = new HashMap<>();
    for (Note n : EventDecoder.decode(primerTokens)) {
      primed.merge(n, 1, Integer::sum);
    }
    List<Note> result = new ArrayList<>();
    for (Note n : EventDecoder.decode(all)) {
      if (primed.merge(n, -1, Integer::sum) >= 0) {
        continue;
      }
      result.add(new Note(n.pitch(), n.velocity(), n.startMicros() + shift, n.endMicros() + shift, 0));
    }
    return result;
  }
}
