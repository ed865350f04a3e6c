package continuo.preset;

/** How continuo takes turns with the player. */
public enum Mode {
  /** Continue as soon as the player pauses; stop at once when they play again. */
  DUET("duet"),
  /** Listen to a whole phrase, answer it, listen again. */
  CALL_RESPONSE("call-response");

  private final String key;

  Mode(String key) {
    this.key = key;
  }

  /** The spelling used in preset files and on the command line. */
  public String key() {
    return key;
  }

  /** The mode spelled {@code key}, or null when there is none. */
  public static Mode ofKey(String key) {
    for (Mode m : values()) {
      if (m.key.equals(key)) {
        return m;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return key;
  }
}
