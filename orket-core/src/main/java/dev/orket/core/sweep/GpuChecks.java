package dev.orket.core.sweep;

import dev.orket.api.GpuSample;
import dev.orket.api.MonotonicClock;
import dev.orket.api.HardwareFlag;
import dev.orket.api.SidecarReading;
import dev.orket.api.ThrottleReason;
import dev.orket.api.spi.GpuSidecar;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweep's GPU checks: the VRAM pre-flight of each cell and the thermal gate before each measured run. Sidecar
 * data paces the sweep and labels runs; it never decides a result alone.
 */
final class GpuChecks {

    private static final Logger LOG = LoggerFactory.getLogger(GpuChecks.class);

    /** Waits on the sweep's sleeper; false when the sweep was asked to stop while waiting. */
    @FunctionalInterface
    interface Pause {
        boolean pause(Duration duration);
    }

    private final SweepConfig config;
    private final Function<SweepCell, @Nullable GpuSidecar> sidecarFor;
    private final MonotonicClock clock;
    private final Pause pause;
    private final Consumer<SweepEvent> events;

    GpuChecks(SweepConfig config, Function<SweepCell, @Nullable GpuSidecar> sidecarFor, MonotonicClock clock,
            Pause pause, Consumer<SweepEvent> events) {
        this.config = config;
        this.sidecarFor = sidecarFor;
        this.clock = clock;
        this.pause = pause;
        this.events = events;
    }

    /** The card's VRAM for the pre-flight: the config's, else the sidecar's first sample's; null when off or unknown. */
    @Nullable Long cardVramMib(SweepCell firstCell) {
        if (config.preflight().mode() == PreflightMode.OFF) {
            return null;
        }
        if (config.preflight().cardVramMib() != null) {
            return config.preflight().cardVramMib();
        }
        GpuSidecar sidecar = sidecarFor.apply(firstCell);
        if (sidecar == null) {
            return null;
        }
        GpuSample sample = measuredSample(sampleSafely(sidecar));
        return sample == null ? null : sample.vramTotalMib();
    }

    /** Null when the cell may run (flags filled in for extended mode), else the reason it is blocked. */
    @Nullable String preflight(SweepCell cell, @Nullable Long cardVram, Map<HardwareFlag, String> flags) {
        PreflightMode mode = config.preflight().mode();
        if (mode == PreflightMode.OFF) {
            return null;
        }
        Long estimate = config.preflight().estimateFor(cell);
        if (estimate == null || cardVram == null) {
            events.accept(new SweepEvent.Warning("preflight_unchecked", "VRAM pre-flight for " + cell.key() + ": "
                    + (estimate == null ? "no estimate" : "card size unknown")
                    + "; the cell runs unchecked"));
            return null;
        }
        long cap = config.vramProfile().vramCapMib(cardVram);
        if (estimate <= cap) {
            return null;
        }
        String detail = "estimate " + estimate + " MiB > " + config.vramProfile().jsonName() + " cap " + cap
                + " MiB of " + cardVram + " MiB";
        if (mode == PreflightMode.STRICT) {
            return "vram_preflight:" + detail;
        }
        flags.put(HardwareFlag.VRAM_CAP_EXCEEDED, "pre-flight " + detail);
        return null;
    }

    /**
     * Waits (bounded) for the card to cool before a measured run. Null when the GPU settled (or the gate is off or has
     * no data), else the detail of why it did not; a {@link SweepEvent.ThermalWait} tells when it waited or gave up.
     */
    @Nullable String thermalGate(SweepCell cell, String runId) {
        ThermalGate gate = config.thermalGate();
        GpuSidecar sidecar = sidecarFor.apply(cell);
        if (!gate.enabled() || sidecar == null) {
            return null;
        }
        long start = clock.nanoTime();
        long deadline = start + gate.maxWait().toNanos();
        while (true) {
            String unsettled = unsettled(sampleSafely(sidecar), gate.targetC());
            Duration waited = Duration.ofNanos(clock.nanoTime() - start);
            if (unsettled == null) {
                if (!waited.isZero()) {
                    events.accept(new SweepEvent.ThermalWait(runId, waited, true, "settled"));
                }
                return null;
            }
            if (clock.nanoTime() >= deadline || !pause.pause(gate.pollInterval())) {
                String detail = unsettled + " after waiting " + waited.toMillis() + " ms";
                events.accept(new SweepEvent.ThermalWait(runId, waited, false, detail));
                return detail;
            }
        }
    }

    private @Nullable String unsettled(SidecarReading reading, double targetC) {
        GpuSample sample = measuredSample(reading);
        if (sample == null || sample.temperatureC() == null) {
            // Sidecar data tags runs; it never decides a gate alone, so no data is not a reason to wait.
            return null;
        }
        if (sample.temperatureC() >= targetC) {
            return "temperature " + sample.temperatureC() + " °C >= target " + targetC + " °C";
        }
        if (sample.throttleReasons() != null) {
            for (ThrottleReason reason : sample.throttleReasons()) {
                if (reason.isThermal()) {
                    return "thermal slowdown active: " + reason.jsonName();
                }
            }
        }
        return null;
    }

    /** The sample of the measured GPU (the configured index, else the first GPU), or null when there is none. */
    private @Nullable GpuSample measuredSample(SidecarReading reading) {
        Integer wanted = config.sidecar() == null ? null : config.sidecar().gpuIndex();
        for (GpuSample sample : reading.samples()) {
            if (wanted == null || wanted.equals(sample.gpuIndex())) {
                return sample;
            }
        }
        return null;
    }

    private static SidecarReading sampleSafely(GpuSidecar sidecar) {
        try {
            return sidecar.sampleOnce();
        } catch (RuntimeException e) {
            LOG.warn("sidecar sample failed: {}", e.toString());
            return SidecarReading.notApplicable("sidecar_sample_failed");
        }
    }
}
