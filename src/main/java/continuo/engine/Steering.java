package continuo.engine;

import continuo.encoding.Note;
import continuo.midi.MidiEventRing;
import continuo.midi.MidiMessage;
import continuo.preset.Preset;
import continuo.preset.SettingType;
import continuo.preset.SettingTypes;
import continuo.preset.Settings;
import continuo.steer.Dynamics;
import continuo.steer.Key;
import continuo.steer.KeyEstimator;
import continuo.steer.KeyProfile;
import continuo.steer.LogitBias;
import continuo.steer.VelocityFollower;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Steering: the answer's key, register, density and loudness, as the preset and the player's
 * knobs set them, and the state continuo reports on its state controller. Owns the
 * {@link LogitBias} the look-ahead's {@link continuo.sample.Playability} applies before every
 * sample, the {@link KeyEstimator} that hears the player's notes for {@code key = "auto"} (updated
 * on every note and every 200 ms), the {@link VelocityFollower} and {@link Dynamics} that give
 * each answered note its velocity, and the {@code key_cc} and {@code density_cc} knobs.
 *
 * <p>Engine thread only, allocation free after {@link #use} (a preset switch), except the
 * volatile reads for the status line: {@link #key()}, {@link #keyAuto()}, {@link #density()} and
 * {@link #keyChanges()}. The static methods set up the same steering for offline generation.
 */
public final class Steering {
  /** What {@code state_cc} sends: continuo listens, plays, or was silenced (panic, shutdown). */
  public static final int STATE_LISTENING = 0;
  public static final int STATE_PLAYING = 1;
  public static final int STATE_SILENCED = 2;
  /** How often key "auto" is re-estimated between the player's notes. */
  static final long UPDATE_NANOS = 200 * Listener.MS;

  private final LogitBias bias = new LogitBias();
  private final VelocityFollower follower = new VelocityFollower();
  private final MidiEventRing output;
  private final OutputGate gate;
  private Dynamics dynamics = Dynamics.model(1);
  private KeyEstimator estimator = new KeyEstimator();
  private double window = KeyEstimator.DEFAULT_WINDOW_SECONDS;
  private double margin = KeyEstimator.DEFAULT_MARGIN;
  private double hold = KeyEstimator.DEFAULT_HOLD_SECONDS;

  /** The key_cc knob's choices: a key, or null for off (or auto, where {@link #choiceAuto}). */
  private Key[] choices = new Key[0];
  private boolean[] choiceAuto = new boolean[0];
  private int keyChoice = -1;
  private int keyCc = SettingTypes.OFF;
  private int densityCc = SettingTypes.OFF;
  private int stateCc = SettingTypes.OFF;
  private boolean auto;
  private long nextUpdate;
  /** The player's keys down, and whether they pressed or released one since the last update. */
  private final boolean[] held = new boolean[128];
  private int heldCount;
  private boolean heardSinceUpdate;
  private int stateSent = -1;
  private boolean silenced;

  private volatile Key key;
  private volatile boolean keyAuto;
  private volatile double density = 1;
  private volatile long keyChanges;

  /** Sends the state controller to {@code output}, on the gate's channel and output lead. */
  Steering(MidiEventRing output, OutputGate gate) {
    this.output = output;
    this.gate = gate;
  }

  /** The bias the look-ahead's playability rules apply. */
  LogitBias bias() {
    return bias;
  }

  /** Takes the preset's steering; what the key estimator heard stays unless its settings change. */
  void use(Preset p) {
    configure(bias, p, null);
    density = bias.density();
    double w = p.get(Settings.KEY_WINDOW_S);
    double m = p.get(Settings.KEY_MARGIN);
    double h = p.get(Settings.KEY_HOLD_S);
    if (w != window || m != margin || h != hold) {
      estimator = estimator(p); // allocates: a preset switch is not steady state
      window = w;
      margin = m;
      hold = h;
    }
    dynamics = dynamics(p, follower);
    List<String> keys = p.get(Settings.KEYS);
    choices = new Key[keys.size()];
    choiceAuto = new boolean[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      choiceAuto[i] = keys.get(i).equals("auto");
      choices[i] = keyOf(keys.get(i));
    }
    keyChoice = -1;
    keyCc = p.get(Settings.KEY_CC);
    densityCc = p.get(Settings.DENSITY_CC);
    stateCc = p.get(Settings.STATE_CC);
    stateSent = -1; // the state goes out again, on the new preset's channel
    String k = p.get(Settings.KEY);
    select(keyOf(k), k.equals("auto"));
  }

  /** MIDI learn: {@code cc} becomes the key knob. */
  void setKeyCc(int cc) {
    keyCc = cc;
  }

  /** MIDI learn: {@code cc} becomes the density knob. */
  void setDensityCc(int cc) {
    densityCc = cc;
  }

  /** The player pressed {@code pitch}: heard for the key and the loudness; not silenced any more. */
  void playerNoteOn(long t, int pitch, int velocity) {
    estimator.noteOn(pitch, t);
    if (!held[pitch]) {
      held[pitch] = true;
      heldCount++;
    }
    heardSinceUpdate = true;
    follower.noteOn(velocity, t);
    silenced = false;
    if (auto) {
      updateKey(t);
    }
  }

  void playerNoteOff(long t, int pitch) {
    estimator.noteOff(pitch, t);
    if (held[pitch]) {
      held[pitch] = false;
      heldCount--;
    }
    heardSinceUpdate = true;
    if (auto) {
      updateKey(t);
    }
  }

  /** The key and density knobs; false when {@code cc} is neither. */
  boolean controlChange(int cc, int value) {
    if (cc == keyCc && choices.length > 0) {
      int choice = value * choices.length / 128;
      if (choice != keyChoice) {
        keyChoice = choice;
        select(choices[choice], choiceAuto[choice]);
      }
      return true;
    }
    if (cc == densityCc) {
      bias.setDensity(densityOf(value));
      density = bias.density();
      return true;
    }
    return false;
  }

  /** The density knob: 0 is 0.25, 127 is 4, evenly in ratio (the middle is 1). */
  static double densityOf(int value) {
    return LogitBias.MIN_DENSITY * Math.pow(LogitBias.MAX_DENSITY / LogitBias.MIN_DENSITY,
        value / 127.0);
  }

  /** Panic or transport Stop: continuo is silent until the player plays (or Start, Continue). */
  void silenced() {
    silenced = true;
  }

  /** Transport Start or Continue: continuo listens again. */
  void resumed() {
    silenced = false;
  }

  /** Shutdown: the state controller says so before the output closes. */
  void silence(long now) {
    silenced = true;
    sendState(now, false);
  }

  /**
   * Re-estimates key "auto" every 200 ms while the player plays, and sends the state when it
   * changed; returns the work. While the player is silent the key stays as they last played it:
   * nothing new was heard, and the window emptying out must not move the answer's key.
   */
  int tick(long now, boolean playing) {
    int work = 0;
    if (auto && now >= nextUpdate && (heardSinceUpdate || heldCount > 0)) {
      nextUpdate = now + UPDATE_NANOS;
      heardSinceUpdate = false;
      updateKey(now);
      work++;
    }
    return work + sendState(now, playing);
  }

  /** The velocity to play a note at whose last VELOCITY token was {@code velocityToken}. */
  int outputVelocity(int velocityToken) {
    return dynamics.outputVelocity(velocityToken);
  }

  private int sendState(long now, boolean playing) {
    int state = silenced ? STATE_SILENCED : playing ? STATE_PLAYING : STATE_LISTENING;
    if (stateCc == SettingTypes.OFF || state == stateSent) {
      return 0;
    }
    output.offer(now + gate.outputLead(),
        MidiMessage.of(MidiMessage.CONTROL_CHANGE, gate.outChannel(), stateCc, state));
    stateSent = state;
    return 1;
  }

  private void select(Key fixed, boolean toAuto) {
    auto = toAuto;
    Key k = toAuto ? estimator.current() : fixed;
    bias.setKey(k);
    if (k != key || toAuto != keyAuto) {
      key = k;
      keyAuto = toAuto;
      keyChanges++;
    }
  }

  private void updateKey(long t) {
    if (estimator.update(t)) {
      Key k = estimator.current();
      bias.setKey(k);
      key = k;
      keyChanges++;
    }
  }

  /** Any thread: the key the answer keeps to, or null (key off, or auto before a key is heard). */
  public Key key() {
    return key;
  }

  /** Any thread: whether the key is estimated from the player ({@code key = "auto"}). */
  public boolean keyAuto() {
    return keyAuto;
  }

  /** Any thread: the density, 0.25..4. */
  public double density() {
    return density;
  }

  /** Any thread: how many times the key changed (for a log line per change). */
  public long keyChanges() {
    return keyChanges;
  }

  // ------------------------------------------------------------ the same steering, offline

  /**
   * Sets {@code bias} from {@code p}: its key ({@code heard} when the key is "auto": the caller
   * estimated it, null while unknown), key strength, register and density.
   */
  public static void configure(LogitBias bias, Preset p, Key heard) {
    String k = p.get(Settings.KEY);
    bias.setKey(k.equals("auto") ? heard : keyOf(k));
    bias.setKeyStrength(p.get(Settings.KEY_STRENGTH));
    SettingType.Pair range = p.get(Settings.PITCH_RANGE);
    bias.setRange(range.low(), range.high(), p.get(Settings.TRANSPOSE_TO_REGISTER));
    bias.setDensity(p.get(Settings.DENSITY));
  }

  /** A key estimator with {@code p}'s window, margin and hold. */
  public static KeyEstimator estimator(Preset p) {
    return new KeyEstimator(KeyProfile.TEMPERLEY, p.get(Settings.KEY_WINDOW_S),
        p.get(Settings.KEY_MARGIN), p.get(Settings.KEY_HOLD_S), KeyEstimator.DEFAULT_CAPACITY);
  }

  /** The output velocity rule of {@code p} ({@code velocity}, {@code velocity_scale}). */
  public static Dynamics dynamics(Preset p, VelocityFollower follower) {
    return Dynamics.parse(p.get(Settings.VELOCITY), p.get(Settings.VELOCITY_SCALE), follower);
  }

  /**
   * The key {@code p}'s estimator reports after hearing {@code notes} (a primer) in time order,
   * or null when it heard too little; and {@code follower} hears their velocities.
   */
  public static Key hear(Preset p, List<Note> notes, VelocityFollower follower) {
    KeyEstimator e = estimator(p);
    List<long[]> events = new ArrayList<>(); // {micros, pitch, velocity (0: off)}
    for (Note n : notes) {
      events.add(new long[] {n.startMicros(), n.pitch(), Math.max(1, n.velocity())});
      events.add(new long[] {n.endMicros(), n.pitch(), 0});
    }
    events.sort(Comparator.<long[]>comparingLong(x -> x[0]).thenComparingLong(x -> x[2]));
    for (long[] x : events) {
      long nanos = x[0] * 1000;
      if (x[2] > 0) {
        e.noteOn((int) x[1], nanos);
        follower.noteOn((int) x[2], nanos);
      } else {
        e.noteOff((int) x[1], nanos);
      }
      e.update(nanos);
    }
    return e.current();
  }

  /** A key setting's key: null for "off" and "auto". */
  private static Key keyOf(String k) {
    return k.equals("off") || k.equals("auto") ? null : Key.parse(k);
  }
}
