package dev.orket.core.frontier;

import dev.orket.api.JsonNamed;
import dev.orket.core.kpi.Metric;

/**
 * Which median latency the latency ceiling applies to.
 *
 * @since 0.1
 */
public enum LatencyMetric implements JsonNamed {
    /** Median client time to first token, in milliseconds. */
    CLIENT_TTFT_MS("client_ttft_ms", Metric.CLIENT_TTFT_MS),
    /** Median wall time, in seconds. */
    WALL_SECONDS("wall_seconds", Metric.WALL_SECONDS);

    private final String jsonName;
    private final Metric metric;

    LatencyMetric(String jsonName, Metric metric) {
        this.jsonName = jsonName;
        this.metric = metric;
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    /** The KPI metric whose median is compared with the ceiling. */
    public Metric metric() {
        return metric;
    }
}
