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

  @Override
  public String toString() {
    return key;
  }
}
