package continuo.tempo;

/** Where the current tempo comes from, in the order of preference, with its status-line name. */
public enum TempoSource {
  /** {@code --bpm}: overrides every other source. */
  FIXED("fixed"),
  /** MIDI clock from a DAW or drum machine. */
  CLOCK("clock"),
  /** The audio host's transport. */
  HOST("host"),
  /** Tap tempo from a controller. */
  TAP("tap"),
  /** The beat tracker on the player's onsets, once settled. */
  TRACKER("tracker"),
  /** The preset's {@code bpm}: when nothing else is known. */
  PRESET("preset");

  private final String label;

  TempoSource(String label) {
    this.label = label;
  }

  /** The name the status line and the log show. */
  public String label() {
    return label;
  }
}
