package continuo.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Draws a latency histogram as a PNG: 50 bins from 0 to the 99.9th percentile (the rest in the last
 * bin), counts on a log scale so that the rare slow cases show, with p50/p99/max in the title.
 */
public final class HistogramPlot {
  private static final int W = 800;
  private static final int H = 420;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 50;
  private static final int BOTTOM = 50;
  private static final int BINS = 50;

  private HistogramPlot() {}

  public static void write(Path png, String title, Latencies l) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, LEFT, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(String.format(Locale.ROOT, "n = %,d   p50 %.1f us   p99 %.1f us   max %.1f us",
        l.count(), l.percentileMicros(0.5), l.percentileMicros(0.99), l.maxMicros()), LEFT, 40);
    int plotW = W - LEFT - RIGHT;
    int plotH = H - TOP - BOTTOM;
    g.drawRect(LEFT, TOP, plotW, plotH);
    if (l.count() == 0) {
      ImageIO.write(img, "png", png.toFile());
      return;
    }
    double top = Math.max(1, l.percentileMicros(0.999) * 1000);
    long[] counts = new long[BINS];
    for (HistogramIterationValue v : l.histogram().recordedValues()) {
      long ns = l.histogram().medianEquivalentValue(v.getValueIteratedTo());
      counts[(int) Math.min(BINS - 1, ns / top * BINS)] += v.getCountAtValueIteratedTo();
    }
    long most = 1;
    for (long c : counts) {
      most = Math.max(most, c);
    }
    double logMax = Math.log10(most) + 0.1;
    g.setColor(new Color(0x1f77b4));
    int barW = plotW / BINS;
    for (int i = 0; i < BINS; i++) {
      if (counts[i] == 0) {
        continue;
      }
      int h = (int) Math.max(2, (Math.log10(counts[i]) + 0.1) / logMax * plotH);
      g.fillRect(LEFT + i * barW + 1, TOP + plotH - h, barW - 2, h);
    }
    g.setColor(Color.BLACK);
    for (int i = 0; i <= 5; i++) {
      int x = LEFT + i * plotW / 5;
      g.drawLine(x, TOP + plotH, x, TOP + plotH + 4);
      g.drawString(String.format(Locale.ROOT, "%.0f", top / 1000 * i / 5), x - 10, TOP + plotH + 18);
    }
    g.drawString("microseconds (last bin: everything above the 99.9th percentile)", LEFT,
        H - 12);
    g.drawString("count (log)", 5, TOP + plotH / 2);
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }
}
