package dev.orket.core.frontier;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The eligibility thresholds of a frontier.
 *
 * @param qualityRatio a quant is eligible only when its median quality is at least this fraction of the
 *     highest-precision quant's, in (0, 1]
 * @param latencyCeiling when set, a quant is eligible only when its median latency is at most this, in the
 *     unit of {@code latencyMetric}
 * @param latencyMetric which median latency the ceiling applies to
 * @since 0.1
 */
public record FrontierCriteria(double qualityRatio, @Nullable Double latencyCeiling, LatencyMetric latencyMetric) {

    /** Quality at least 95 % of the highest-precision quant's, no latency ceiling. */
    public static final FrontierCriteria DEFAULT = new FrontierCriteria(0.95, null, LatencyMetric.CLIENT_TTFT_MS);

    public FrontierCriteria {
        Objects.requireNonNull(latencyMetric, "latencyMetric");
        if (!(qualityRatio > 0 && qualityRatio <= 1)) {
            throw new IllegalArgumentException("qualityRatio must be in (0, 1] but was " + qualityRatio);
        }
        if (latencyCeiling != null && !(latencyCeiling > 0)) {
            throw new IllegalArgumentException("latencyCeiling must be > 0 but was " + latencyCeiling);
        }
    }
}
