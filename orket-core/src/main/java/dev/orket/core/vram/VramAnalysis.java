package dev.orket.core.vram;

import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import java.util.List;
import java.util.Objects;

/**
 * The VRAM analysis of one sweep: informational, never a gate.
 *
 * @param sweepId the sweep's id
 * @param executionLane the sweep's lane
 * @param vramProfile the sweep's VRAM profile
 * @param thresholds the thresholds the flags were judged by
 * @param cells one per model × quant × context, in execution order of their first run
 * @since 0.1
 */
public record VramAnalysis(
        String sweepId,
        ExecutionLane executionLane,
        VramProfile vramProfile,
        VramThresholds thresholds,
        List<VramCell> cells) {

    public VramAnalysis {
        Objects.requireNonNull(sweepId, "sweepId");
        Objects.requireNonNull(executionLane, "executionLane");
        Objects.requireNonNull(vramProfile, "vramProfile");
        Objects.requireNonNull(thresholds, "thresholds");
        cells = List.copyOf(cells);
    }
}
