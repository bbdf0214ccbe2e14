package dev.orket.core.report;

import dev.orket.core.vram.VramAnalysis;
import dev.orket.core.vram.VramCell;
import dev.orket.core.vram.VramFlag;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The report's VRAM section: one stacked bar per cell (baseline, weights, KV cache, unexplained, up
 * to the measured peak) as inline SVG, and a table with the post-run slope and the flags. Marked
 * informational: the analyzer never gates anything.
 *
 * @since 0.1
 */
public final class VramReportSection {

    private static final int WIDTH = 720;
    private static final int LABEL = 150;
    private static final int BAR = 18;
    private static final int GAP = 8;

    private VramReportSection() {}

    /** The section's HTML, or an empty string when the analysis has no cell with a measured peak. */
    public static String render(VramAnalysis analysis) {
        List<VramCell> measured = analysis.cells().stream().filter(c -> c.breakdown().measuredPeakMib() != null)
                .collect(Collectors.toList());
        if (measured.isEmpty()) {
            return "";
        }
        long max = 1;
        for (VramCell cell : measured) {
            max = Math.max(max, value(cell.breakdown().measuredPeakMib()));
        }
        double scale = (WIDTH - LABEL - 70) / (double) max;
        int height = 30 + measured.size() * (BAR + GAP);
        StringBuilder html = new StringBuilder(4096);
        html.append("<section class=\"vram\"><h2>VRAM analysis (informational, never a gate)</h2>\n");
        html.append("<svg class=\"plot\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" aria-label=\"peak VRAM per cell split into baseline, weights, KV cache and unexplained\">\n");
        int y = 10;
        for (VramCell cell : measured) {
            VramCell.Breakdown b = cell.breakdown();
            String name = cell.quantTag() == null ? cell.model() : cell.quantTag();
            if (cell.context() != null) {
                name += " @" + cell.context();
            }
            html.append("<g class=\"vram-cell\" data-quant=\"").append(HtmlReport.escape(String.valueOf(cell.quantTag())))
                    .append("\"><text x=\"").append(LABEL - 6).append("\" y=\"").append(y + BAR - 5)
                    .append("\" class=\"tick end\">").append(HtmlReport.escape(name)).append("</text>\n");
            double x = LABEL;
            long peak = value(b.measuredPeakMib());
            if (b.baselineMib() != null && b.weightsMib() != null && b.kvCacheMib() != null
                    && b.unexplainedMib() != null && b.unexplainedMib() >= 0) {
                x = segment(html, x, y, b.baselineMib() * scale, "#8c959f", "baseline " + b.baselineMib() + " MiB");
                x = segment(html, x, y, b.weightsMib() * scale, "#0969da", "weights " + b.weightsMib() + " MiB");
                x = segment(html, x, y, b.kvCacheMib() * scale, "#1a7f37", "KV cache " + b.kvCacheMib() + " MiB");
                x = segment(html, x, y, b.unexplainedMib() * scale, cell.flags().contains(VramFlag.HIGH_UNEXPLAINED_VRAM)
                        ? "#b42318" : "#bf8700", "unexplained " + b.unexplainedMib() + " MiB");
            } else {
                // Without every term the split is unknown: the peak alone, hatched grey.
                x = segment(html, x, y, peak * scale, "#d0d7de", "measured peak " + peak + " MiB (split unknown)");
            }
            html.append("<text x=\"").append(format(x + 4)).append("\" y=\"").append(y + BAR - 5)
                    .append("\" class=\"name\">").append(peak).append(" MiB</text></g>\n");
            y += BAR + GAP;
        }
        html.append("</svg>\n<p class=\"legend\">Bars: <span style=\"color:#8c959f\">baseline before load</span>,"
                + " <span style=\"color:#0969da\">weights</span>, <span style=\"color:#1a7f37\">KV cache</span>,"
                + " <span style=\"color:#bf8700\">unexplained</span> (<span style=\"color:#b42318\">red</span> above "
                + format(analysis.thresholds().unexplainedShare() * 100) + " % of the rise over baseline), adding up"
                + " to the measured peak. Informational: no flag here changes validity, KPIs or recommendations.</p>\n");
        html.append("<table class=\"rows\"><tr><th>cell</th><th>runs</th><th>weights MiB</th><th>KV MiB</th>"
                + "<th>baseline MiB</th><th>peak MiB</th><th>unexplained MiB</th><th>post-run slope MiB/run</th>"
                + "<th>flags</th></tr>\n");
        for (VramCell cell : analysis.cells()) {
            VramCell.Breakdown b = cell.breakdown();
            html.append("<tr><td>").append(HtmlReport.escape(cell.model() + " " + cell.quantTag()
                    + (cell.context() == null ? "" : " @" + cell.context()))).append("</td><td>")
                    .append(cell.trend().runs()).append("</td><td>").append(text(b.weightsMib())).append("</td><td>")
                    .append(text(b.kvCacheMib())).append("</td><td>").append(text(b.baselineMib())).append("</td><td>")
                    .append(text(b.measuredPeakMib())).append("</td><td>").append(text(b.unexplainedMib()))
                    .append(b.unexplainedShare() == null ? "" : " (" + format(b.unexplainedShare() * 100) + " %)")
                    .append("</td><td>").append(cell.trend().slopeMibPerRun() == null ? "—"
                            : format(cell.trend().slopeMibPerRun())).append("</td><td>")
                    .append(HtmlReport.escape(cell.flags().stream().map(VramFlag::jsonName)
                            .collect(Collectors.joining(", ")))).append("</td></tr>\n");
        }
        html.append("</table>\n</section>\n");
        return html.toString();
    }

    private static double segment(StringBuilder html, double x, int y, double width, String colour, String title) {
        if (width <= 0) {
            return x;
        }
        html.append("<rect x=\"").append(format(x)).append("\" y=\"").append(y).append("\" width=\"")
                .append(format(width)).append("\" height=\"").append(BAR).append("\" fill=\"").append(colour)
                .append("\"><title>").append(HtmlReport.escape(title)).append("</title></rect>\n");
        return x + width;
    }

    private static long value(@Nullable Long v) {
        return v == null ? 0 : v;
    }

    private static String text(@Nullable Long v) {
        return v == null ? "—" : String.valueOf(v);
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
