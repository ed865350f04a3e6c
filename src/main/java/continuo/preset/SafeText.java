package continuo.preset;

/**
 * Text from a file or a file name made safe for one log or error line: control, formatting and
 * separator characters escaped as {@code \n} or {@code \u001b}, and the length bounded, so that
 * nothing a preset holds can split a line, colour a terminal or reorder the text around it. Any
 * thread.
 */
final class SafeText {
  private SafeText() {}

  /** {@code s} escaped and cut to {@code max} characters (then "..."); "" for null. */
  static String escaped(String s, int max) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (b.length() >= max) {
        return b.append("...").toString();
      }
      char c = s.charAt(i);
      int type = Character.getType(c);
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (Character.isISOControl(c) || type == Character.FORMAT
          || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
          || Character.isSurrogate(c) && !pairedAt(s, i)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** A display name made from a file name: escaped, at most 60 characters, never blank. */
  static String name(String fileStem) {
    String n = escaped(fileStem, 60);
    return n.isBlank() ? "preset" : n;
  }

  private static boolean pairedAt(String s, int i) {
    char c = s.charAt(i);
    return Character.isHighSurrogate(c)
        ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
        : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
