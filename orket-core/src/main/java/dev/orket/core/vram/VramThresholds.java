package dev.orket.core.vram;

/**
 * The documented thresholds of the VRAM analyzer's flags ({@code docs/vram-analyzer.md}).
 *
 * @param unexplainedShare flag {@link VramFlag#HIGH_UNEXPLAINED_VRAM} when {@code unexplained_mib /
 *     (measured_peak_mib − baseline_mib)} exceeds this
 * @param slopeMibPerRun flag {@link VramFlag#VRAM_GROWTH_OVER_RUNS} when post-run VRAM grows by at least this
 *     many MiB per run
 * @param minRunsForSlope the fewest runs with samples for which a slope is computed
 * @since 0.1
 */
public record VramThresholds(double unexplainedShare, double slopeMibPerRun, int minRunsForSlope) {

    /** 30 % unexplained, 1 MiB per run over at least 5 runs. */
    public static final VramThresholds DEFAULT = new VramThresholds(0.30, 1.0, 5);

    public VramThresholds {
        if (!(unexplainedShare > 0 && unexplainedShare < 1)) {
            throw new IllegalArgumentException("unexplainedShare must be in (0, 1) but was " + unexplainedShare);
        }
        if (!(slopeMibPerRun > 0)) {
            throw new IllegalArgumentException("slopeMibPerRun must be > 0 but was " + slopeMibPerRun);
        }
        if (minRunsForSlope < 2) {
            throw new IllegalArgumentException("minRunsForSlope must be at least 2 but was " + minRunsForSlope);
        }
    }
}
