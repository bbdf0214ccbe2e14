package dev.orket.core.telemetry;

import dev.orket.api.ComputeProcess;
import dev.orket.api.GpuSample;
import dev.orket.api.HardwareFlag;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.SidecarSummary;
import dev.orket.api.ThrottleReason;
import dev.orket.api.VramProfile;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A run's GPU summary and the advisory hardware flags the sidecar data supports (throttling, foreign
 * processes, VRAM over the profile's cap). Neither the flags nor the parse status ever touch run quality or
 * validity: pass/fail decisions use Orket's own telemetry only.
 *
 * @param summary the per-run summary for the telemetry record
 * @param hardwareFlags advisory flags with details
 * @since 0.1
 */
public record SidecarVerdict(SidecarSummary summary, Map<HardwareFlag, String> hardwareFlags) {

    public SidecarVerdict {
        hardwareFlags = Map.copyOf(hardwareFlags);
    }

    /** The verdict of a run measured without a sidecar. */
    public static SidecarVerdict notApplicable(String reason) {
        return new SidecarVerdict(SidecarSummary.notApplicable(reason), Map.of());
    }

    /**
     * Summarizes the samples of one GPU.
     *
     * @param reading what the sidecar observed
     * @param gpuIndex the measured GPU, or null for the first GPU seen
     * @param profile the run's VRAM profile, whose cap {@code VRAM_CAP_EXCEEDED} is judged against
     * @param serverProcessIds processes that belong to the measured server (not foreign)
     */
    public static SidecarVerdict of(SidecarReading reading, @Nullable Integer gpuIndex, VramProfile profile,
            Set<Long> serverProcessIds) {
        List<GpuSample> samples = new ArrayList<>();
        Integer measured = gpuIndex;
        for (GpuSample sample : reading.samples()) {
            if (measured == null) {
                measured = sample.gpuIndex();
            }
            if (measured == null ? sample.gpuIndex() == null : measured.equals(sample.gpuIndex())) {
                samples.add(sample);
            }
        }
        if (samples.isEmpty()) {
            List<String> errors = new ArrayList<>(reading.parseErrors());
            SidecarParseStatus status = reading.parseStatus();
            if (status != SidecarParseStatus.NOT_APPLICABLE && status != SidecarParseStatus.PARSE_ERROR) {
                status = SidecarParseStatus.NOT_APPLICABLE;
                errors.add("no_samples");
            }
            return new SidecarVerdict(new SidecarSummary(status, errors, 0, null, null, null, null, null, null, null,
                    null, null, List.of(), List.of()), Map.of());
        }
        GpuSample firstSample = samples.get(0);
        GpuSample last = samples.get(samples.size() - 1);
        Long total = null;
        Long peak = null;
        Double maxTemperature = null;
        Set<ThrottleReason> seen = EnumSet.noneOf(ThrottleReason.class);
        List<ComputeProcess> foreign = new ArrayList<>();
        for (GpuSample sample : samples) {
            if (sample.vramTotalMib() != null) {
                total = sample.vramTotalMib();
            }
            if (sample.vramUsedMib() != null && (peak == null || sample.vramUsedMib() > peak)) {
                peak = sample.vramUsedMib();
            }
            if (sample.temperatureC() != null && (maxTemperature == null || sample.temperatureC() > maxTemperature)) {
                maxTemperature = sample.temperatureC();
            }
            if (sample.throttleReasons() != null) {
                seen.addAll(sample.throttleReasons());
            }
            if (sample.computeProcesses() != null) {
                for (ComputeProcess process : sample.computeProcesses()) {
                    if (!serverProcessIds.contains(process.pid()) && !foreign.contains(process)) {
                        foreign.add(process);
                    }
                }
            }
        }
        Map<HardwareFlag, String> flags = new EnumMap<>(HardwareFlag.class);
        List<String> slowdowns = new ArrayList<>();
        for (ThrottleReason reason : seen) {
            if (reason.isSlowdown()) {
                slowdowns.add(reason.jsonName());
            }
        }
        if (!slowdowns.isEmpty()) {
            flags.put(HardwareFlag.GPU_THROTTLED, String.join(",", slowdowns));
        }
        if (!foreign.isEmpty()) {
            ComputeProcess first = foreign.get(0);
            flags.put(HardwareFlag.FOREIGN_GPU_PROCESS, foreign.size() + " foreign process(es), first pid "
                    + first.pid() + (first.processName().isEmpty() ? "" : " (" + first.processName() + ")")
                    + "; the measured server's were " + new java.util.TreeSet<>(serverProcessIds));
        }
        if (total != null && peak != null && peak > profile.vramCapMib(total)) {
            flags.put(HardwareFlag.VRAM_CAP_EXCEEDED, "peak " + peak + " MiB > " + profile.jsonName() + " cap "
                    + profile.vramCapMib(total) + " MiB of " + total + " MiB");
        }
        SidecarSummary summary = new SidecarSummary(reading.parseStatus(), reading.parseErrors(), samples.size(),
                total, last.vramUsedMib(), peak, firstSample.temperatureC(), last.temperatureC(), maxTemperature,
                last.smClockMhz(), last.powerDrawW(), last.fanSpeedPct(), List.copyOf(seen), foreign);
        return new SidecarVerdict(summary, flags);
    }
}
