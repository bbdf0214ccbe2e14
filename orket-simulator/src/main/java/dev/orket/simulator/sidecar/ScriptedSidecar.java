package dev.orket.simulator.sidecar;

import dev.orket.api.ComputeProcess;
import dev.orket.api.GpuSample;
import dev.orket.api.MonotonicClock;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.ThrottleReason;
import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.GpuSidecarFactory;
import dev.orket.api.spi.SidecarConfig;
import dev.orket.api.spi.SidecarSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A {@link GpuSidecar} that plays scripted {@link GpuSample}s on the run's clock: a session's
 * {@link SidecarSession#stop()} returns every sample whose {@code offsetMs} is at most the time the
 * session ran (on a {@code VirtualClock}, exactly the scripted run's wall time). It can also play a
 * fixed status (e.g. {@code NOT_APPLICABLE} / {@code nvidia_smi_unavailable}, {@code PARSE_ERROR})
 * and hang like a stuck tool, always within its deadline. Starts no thread.
 *
 * @since 0.1
 */
public final class ScriptedSidecar implements GpuSidecar {

    /** The reason a hanging sidecar reports once its deadline passed. */
    public static final String TIMEOUT_REASON = "nvidia_smi_timeout";

    /** VRAM in use before the model loads in the {@linkplain #fragmenting fragmentation pattern}, in MiB. */
    public static final long FRAGMENTATION_BASELINE_MIB = 300;

    /**
     * VRAM the {@linkplain #fragmenting fragmentation pattern} leaves behind per session for quants
     * below {@link #FRAGMENTATION_BITS_PER_WEIGHT} bits per weight, in MiB.
     */
    public static final long FRAGMENTATION_GROWTH_MIB = 8;

    /** Quants below this many bits per weight fragment in the {@linkplain #fragmenting pattern}. */
    public static final double FRAGMENTATION_BITS_PER_WEIGHT = 4.0;

    private final String id;
    private final List<GpuSample> samples;
    private final SidecarParseStatus status;
    private final List<String> errors;
    private final boolean hangs;
    private final Duration deadline;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final @Nullable IntFunction<List<GpuSample>> sessionSeries;
    private final AtomicInteger nextSession;

    private ScriptedSidecar(Builder builder) {
        this.id = builder.id;
        List<GpuSample> sorted = new ArrayList<>(builder.samples);
        sorted.sort(Comparator.comparingLong(GpuSample::offsetMs));
        this.samples = List.copyOf(sorted);
        this.status = builder.status;
        this.errors = List.copyOf(builder.errors);
        this.hangs = builder.hangs;
        this.deadline = builder.deadline;
        this.sessionSeries = builder.sessionSeries;
        this.nextSession = new AtomicInteger(builder.firstSession);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A sidecar whose tool is missing: every reading is {@code NOT_APPLICABLE} / {@code nvidia_smi_unavailable}. */
    public static ScriptedSidecar unavailable() {
        return builder().status(SidecarParseStatus.NOT_APPLICABLE, "nvidia_smi_unavailable").build();
    }

    /** A sidecar whose tool hangs: each call returns {@code NOT_APPLICABLE} / {@value #TIMEOUT_REASON} after the deadline. */
    public static ScriptedSidecar hanging(Duration deadline) {
        return builder().hangs(deadline).build();
    }

    /**
     * A healthy GPU running one quant of the simulated family: VRAM used is the family's VRAM model for
     * the quant, one sample every 100 ms for 60 s, temperature rising 0.1 °C per sample from 55 °C.
     */
    public static ScriptedSidecar forQuant(dev.orket.simulator.server.QuantProfile quant, long vramTotalMib) {
        Builder builder = builder();
        for (int i = 0; i <= 600; i++) {
            builder.sample(gpu(i * 100L, vramTotalMib, quant.vramMib(), 55.0 + i * 0.1, Set.of(), List.of()));
        }
        return builder.build();
    }

    /**
     * One quant of the simulated family on a GPU that fragments: the documented pattern the VRAM
     * analyzer is tested on ({@code docs/simulated-quant-family.md}). Session {@code k} (counted from
     * {@code firstSession}, so that a resumed sweep continues the count) plays one sample per
     * millisecond for 600 ms:
     * <ul>
     *   <li>{@code k = 0} (the cell's first run, which loads the model): {@value #FRAGMENTATION_BASELINE_MIB}
     *       MiB at 0 ms (before load), baseline + weights at 1 ms, baseline + the quant's VRAM from 2 ms;
     *   <li>{@code k ≥ 1}: baseline + the quant's VRAM + {@code k ×} {@value #FRAGMENTATION_GROWTH_MIB} MiB
     *       for quants below {@value #FRAGMENTATION_BITS_PER_WEIGHT} bits per weight, + 0 otherwise.
     * </ul>
     * {@link #sampleOnce()} answers the baseline (no model loaded). Temperature is 55 °C throughout.
     *
     * @param quant the quant
     * @param vramTotalMib the card's VRAM
     * @param firstSession the index of the first session this instance plays (the cell's runs already done)
     */
    public static ScriptedSidecar fragmenting(dev.orket.simulator.server.QuantProfile quant, long vramTotalMib,
            int firstSession) {
        if (firstSession < 0) {
            throw new IllegalArgumentException("firstSession must be >= 0 but was " + firstSession);
        }
        long growth = quant.bitsPerWeight() < FRAGMENTATION_BITS_PER_WEIGHT ? FRAGMENTATION_GROWTH_MIB : 0;
        Builder builder = builder();
        builder.sample(gpu(0, vramTotalMib, FRAGMENTATION_BASELINE_MIB, 55.0, Set.of(), List.of()));
        builder.sessionSeries = k -> {
            List<GpuSample> series = new ArrayList<>(600);
            for (int ms = 0; ms < 600; ms++) {
                long used;
                if (k == 0) {
                    used = ms == 0 ? FRAGMENTATION_BASELINE_MIB
                            : ms == 1 ? FRAGMENTATION_BASELINE_MIB + quant.weightsMib()
                            : FRAGMENTATION_BASELINE_MIB + quant.vramMib();
                } else {
                    used = FRAGMENTATION_BASELINE_MIB + quant.vramMib() + k * growth;
                }
                series.add(gpu(ms, vramTotalMib, used, 55.0, Set.of(), List.of()));
            }
            return series;
        };
        builder.firstSession = firstSession;
        return builder.build();
    }

    /**
     * A sample of GPU 0 with every required field and the usual optional ones.
     *
     * @param offsetMs the sample's offset on the run's clock
     * @param vramTotalMib total VRAM
     * @param vramUsedMib used VRAM
     * @param temperatureC core temperature
     * @param throttleReasons active clock event reasons
     * @param processes compute processes
     */
    public static GpuSample gpu(long offsetMs, long vramTotalMib, long vramUsedMib, double temperatureC,
            Set<ThrottleReason> throttleReasons, List<ComputeProcess> processes) {
        return GpuSample.builder().offsetMs(offsetMs).gpuIndex(0).gpuUuid("GPU-00000000-0000-0000-0000-000000000000")
                .gpuName("NVIDIA H100 80GB HBM3").vramTotalMib(vramTotalMib).vramUsedMib(vramUsedMib)
                .vramFreeMib(vramTotalMib - vramUsedMib).driverVersion("590.48.01").gpuUtilizationPct(90.0)
                .temperatureC(temperatureC).powerDrawW(350.0).powerLimitW(700.0).smClockMhz(1980.0).pstate("P0")
                .throttleReasons(throttleReasons).computeProcesses(processes).build();
    }

    /** A factory handing out this sidecar, for code that takes a {@link GpuSidecarFactory}. */
    public GpuSidecarFactory factory() {
        ScriptedSidecar sidecar = this;
        return new GpuSidecarFactory() {
            @Override
            public String id() {
                return sidecar.id;
            }

            @Override
            public GpuSidecar create(SidecarConfig config) {
                return sidecar;
            }
        };
    }

    @Override
    public String id() {
        return id;
    }

    /** The first scripted sample (at its own offset) with the scripted status; hangs up to the deadline when told to. */
    @Override
    public SidecarReading sampleOnce() {
        if (hangs) {
            return hang();
        }
        return reading(samples.isEmpty() ? List.of() : List.of(samples.get(0)));
    }

    @Override
    public SidecarSession start(MonotonicClock clock) {
        Objects.requireNonNull(clock, "clock");
        long startNanos = clock.nanoTime();
        IntFunction<List<GpuSample>> perSession = sessionSeries;
        List<GpuSample> series = perSession == null ? samples : perSession.apply(nextSession.getAndIncrement());
        return new SidecarSession() {
            private SidecarReading result;

            @Override
            public synchronized SidecarReading stop() {
                if (result == null) {
                    if (hangs) {
                        result = hang();
                    } else {
                        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - startNanos);
                        List<GpuSample> seen = new ArrayList<>();
                        for (GpuSample sample : series) {
                            if (sample.offsetMs() <= elapsedMs) {
                                seen.add(sample);
                            }
                        }
                        result = reading(seen);
                    }
                }
                return result;
            }
        };
    }

    private SidecarReading reading(List<GpuSample> seen) {
        if (status == SidecarParseStatus.NOT_APPLICABLE) {
            return new SidecarReading(List.of(), status, errors);
        }
        return new SidecarReading(seen, status, errors);
    }

    private SidecarReading hang() {
        try {
            closed.await(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return SidecarReading.notApplicable(TIMEOUT_REASON);
    }

    /** Releases any call hanging on the deadline. */
    @Override
    public void close() {
        closed.countDown();
    }

    /** Builds a {@link ScriptedSidecar}: no samples and status {@code OK} until told otherwise. */
    public static final class Builder {
        private String id = "scripted";
        private final List<GpuSample> samples = new ArrayList<>();
        private SidecarParseStatus status = SidecarParseStatus.OK;
        private final List<String> errors = new ArrayList<>();
        private boolean hangs;
        private Duration deadline = Duration.ofSeconds(5);
        private @Nullable IntFunction<List<GpuSample>> sessionSeries;
        private int firstSession;

        private Builder() {}

        public Builder id(String value) {
            this.id = Objects.requireNonNull(value, "id");
            return this;
        }

        /** Adds a sample played at its {@code offsetMs}. */
        public Builder sample(GpuSample value) {
            samples.add(Objects.requireNonNull(value, "sample"));
            return this;
        }

        /** The status and error codes every reading carries (errors are sorted in the reading). */
        public Builder status(SidecarParseStatus value, String... errorCodes) {
            this.status = Objects.requireNonNull(value, "status");
            this.errors.clear();
            this.errors.addAll(List.of(errorCodes));
            return this;
        }

        /** Every call blocks for the deadline (or until {@link ScriptedSidecar#close()}) and returns {@code NOT_APPLICABLE}. */
        public Builder hangs(Duration value) {
            this.hangs = true;
            this.deadline = Objects.requireNonNull(value, "deadline");
            return this;
        }

        public ScriptedSidecar build() {
            return new ScriptedSidecar(this);
        }
    }
}
