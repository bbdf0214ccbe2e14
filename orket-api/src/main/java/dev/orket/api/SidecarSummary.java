package dev.orket.api;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The per-run GPU summary a telemetry record carries. Keys keep the Python Orket's names
 * ({@code vram_total_mb} and {@code vram_used_mb} hold MiB, as nvidia-smi reports them) so artifacts
 * stay comparable; absent values are null, never zero.
 *
 * @param parseStatus the sidecar's parse status
 * @param parseErrors sorted parse error codes
 * @param sampleCount number of samples taken
 * @param vramTotalMb total VRAM of the measured GPU in MiB
 * @param vramUsedMb VRAM used at the last sample in MiB
 * @param peakVramUsedMb highest VRAM used over the run in MiB
 * @param thermalStartC temperature at the first sample in °C
 * @param thermalEndC temperature at the last sample in °C
 * @param maxTemperatureC highest temperature over the run in °C
 * @param gpuClockMhz SM clock at the last sample in MHz
 * @param powerDrawWatts power draw at the last sample in watts
 * @param fanSpeedPercent fan speed at the last sample in percent
 * @param throttleReasonsSeen every clock event reason seen in any sample, sorted
 * @param foreignProcesses processes other than the measured server seen using the GPU
 * @since 0.1
 */
public record SidecarSummary(
        SidecarParseStatus parseStatus,
        List<String> parseErrors,
        int sampleCount,
        @Nullable Long vramTotalMb,
        @Nullable Long vramUsedMb,
        @Nullable Long peakVramUsedMb,
        @Nullable Double thermalStartC,
        @Nullable Double thermalEndC,
        @Nullable Double maxTemperatureC,
        @Nullable Double gpuClockMhz,
        @Nullable Double powerDrawWatts,
        @Nullable Double fanSpeedPercent,
        List<ThrottleReason> throttleReasonsSeen,
        List<ComputeProcess> foreignProcesses) {

    public SidecarSummary {
        Objects.requireNonNull(parseStatus, "parseStatus");
        parseErrors = parseErrors.stream().distinct().sorted().toList();
        throttleReasonsSeen = throttleReasonsSeen.stream()
                .distinct()
                .sorted(java.util.Comparator.comparing(ThrottleReason::jsonName))
                .toList();
        foreignProcesses = List.copyOf(foreignProcesses);
        if (sampleCount < 0) {
            throw new IllegalArgumentException("sampleCount must be >= 0 but was " + sampleCount);
        }
    }

    /** A summary with no data, with the reason (e.g. {@code sidecar_disabled}). */
    public static SidecarSummary notApplicable(String reason) {
        return new SidecarSummary(SidecarParseStatus.NOT_APPLICABLE, List.of(reason), 0, null, null, null, null, null,
                null, null, null, null, List.of(), List.of());
    }
}
