package dev.orket.core.telemetry;

import dev.orket.api.GpuSample;
import dev.orket.api.RunTelemetry;
import java.util.List;
import java.util.Objects;

/**
 * One executed run: its telemetry record, the generated text (for quality scoring, never written
 * into the record) and the GPU samples taken while it ran.
 *
 * @since 0.1
 */
public record RunResult(RunTelemetry telemetry, String outputText, List<GpuSample> gpuSamples) {

    public RunResult {
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(outputText, "outputText");
        gpuSamples = List.copyOf(gpuSamples);
    }
}
