package continuo.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws the loss curves of a training run (running training NLL, validation NLL per epoch). */
final class LossPlot {
  private static final int W = 800;
  private static final int H = 500;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;
  private static final Color TRAIN = new Color(0x1f77b4);
  private static final Color VALID = new Color(0xd62728);

  private LossPlot() {}

  static void write(Path png, List<double[]> curve, List<Checkpoint.Epoch> epochs)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    double xMax = 1;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (double[] p : curve) {
      xMax = Math.max(xMax, p[0]);
      yMin = Math.min(yMin, p[1]);
      yMax = Math.max(yMax, p[1]);
    }
    for (Checkpoint.Epoch e : epochs) {
      xMax = Math.max(xMax, e.epoch());
      yMin = Math.min(yMin, e.validNll());
      yMax = Math.max(yMax, e.validNll());
    }
    if (!(yMax > yMin)) {
      yMin = Double.isFinite(yMin) ? yMin - 0.5 : 0;
      yMax = yMin + 1;
    }
    double pad = (yMax - yMin) * 0.05;
    yMin -= pad;
    yMax += pad;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
    for (int i = 0; i <= 5; i++) {
      double y = yMin + (yMax - yMin) * i / 5;
      int py = py(y, yMin, yMax);
      g.drawLine(LEFT - 4, py, LEFT, py);
      g.drawString(String.format(Locale.ROOT, "%.2f", y), 20, py + 4);
    }
    int ticks = (int) Math.ceil(xMax);
    for (int i = 0; i <= ticks; i++) {
      int px = px(i, xMax);
      g.drawLine(px, H - BOTTOM, px, H - BOTTOM + 4);
      g.drawString(Integer.toString(i), px - 4, H - BOTTOM + 18);
    }
    g.drawString("epoch", W / 2 - 15, H - 12);
    g.drawString("NLL (nats per event)", 10, 20);
    g.setStroke(new BasicStroke(1.5f));
    g.setColor(TRAIN);
    for (int i = 1; i < curve.size(); i++) {
      double[] a = curve.get(i - 1);
      double[] b = curve.get(i);
      if (b[0] > a[0] && (int) Math.ceil(b[0]) == (int) Math.ceil(a[0])) {
        g.drawLine(px(a[0], xMax), py(a[1], yMin, yMax), px(b[0], xMax), py(b[1], yMin, yMax));
      }
    }
    g.setColor(VALID);
    for (int i = 0; i < epochs.size(); i++) {
      Checkpoint.Epoch e = epochs.get(i);
      int x = px(e.epoch(), xMax);
      int y = py(e.validNll(), yMin, yMax);
      g.fillOval(x - 4, y - 4, 8, 8);
      if (i > 0) {
        Checkpoint.Epoch p = epochs.get(i - 1);
        g.drawLine(px(p.epoch(), xMax), py(p.validNll(), yMin, yMax), x, y);
      }
    }
    g.setColor(TRAIN);
    g.drawString("training (running mean within each epoch)", W - 330, TOP + 20);
    g.setColor(VALID);
    g.drawString("validation (end of each epoch)", W - 330, TOP + 38);
    g.dispose();
    Path tmp = png.resolveSibling("." + png.getFileName() + ".tmp");
    if (!ImageIO.write(img, "png", tmp.toFile())) {
      throw new IOException("no PNG writer available for " + png);
    }
    Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static int px(double x, double xMax) {
    return LEFT + (int) Math.round(x / xMax * (W - LEFT - RIGHT));
  }

  private static int py(double y, double yMin, double yMax) {
    return TOP + (int) Math.round((yMax - y) / (yMax - yMin) * (H - TOP - BOTTOM));
  }
}
