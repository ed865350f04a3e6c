package continuo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusLinePrinterTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);

  @Test
  void redrawsTheLineInPlaceInTheTerminalsCharset() {
    StatusLinePrinter p = new StatusLinePrinter(out, StandardCharsets.UTF_8);
    p.begin().append("preset=café state=listening");
    p.print();
    p.begin().append("preset=café state=playing");
    p.print();
    assertArrayEquals(("\rpreset=café state=listening\u001b[K\rpreset=café state=playing\u001b[K")
        .getBytes(StandardCharsets.UTF_8), bytes.toByteArray());
  }

  @Test
  void aLongerLineGrowsTheBuffersAndAShorterOneEndsWhereItShould() {
    StatusLinePrinter p = new StatusLinePrinter(out, StandardCharsets.ISO_8859_1);
    String longLine = "x".repeat(3_000) + " ünd ✓";
    p.begin().append(longLine);
    p.print();
    p.begin().append("short");
    p.print();
    assertArrayEquals(("\r" + longLine.replace('✓', '?') + "\u001b[K\rshort\u001b[K")
        .getBytes(StandardCharsets.ISO_8859_1), bytes.toByteArray());
  }
}
