package continuo.cli;

import continuo.engine.Steering;
import continuo.steer.Key;

/**
 * The steering part of the status line and of the key-change log line: {@code key="F major"} (or
 * {@code key="off"}, {@code key="auto: none yet"} before a key is heard, {@code key="auto: G
 * major"}) and {@code density=1.00}. Appends without String.format: the status line is redrawn
 * five times a second. Status thread.
 */
final class SteeringStatus {
  private SteeringStatus() {}

  static StringBuilder append(StringBuilder b, Steering s) {
    Key key = s.key();
    b.append("key=\"");
    if (s.keyAuto()) {
      b.append("auto: ");
    }
    if (key == null) {
      b.append(s.keyAuto() ? "none yet" : "off");
    } else {
      b.append(key); // a Key's name is made once: appending it allocates nothing
    }
    long centis = Math.round(s.density() * 100);
    return b.append("\" density=").append(centis / 100).append('.')
        .append(centis % 100 < 10 ? "0" : "").append(centis % 100);
  }
}
