package dev.orket.sidecar.nvidia;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The test captures under {@code src/test/resources/nvidia} and the field lists of the header-less ones. */
final class Corpus {

    static final List<String> RECOMMENDED_QUERY = List.of("timestamp", "index", "uuid", "name", "driver_version",
            "pstate", "memory.total", "memory.reserved", "memory.used", "memory.free", "utilization.gpu",
            "utilization.memory", "temperature.gpu", "temperature.memory", "power.draw", "power.draw.average",
            "power.draw.instant", "enforced.power.limit", "clocks.sm", "clocks.mem", "clocks_event_reasons.active",
            "fan.speed", "mig.mode.current");

    static final List<String> GTX_1080_TI_QUERY = List.of("index", "uuid", "name", "memory.total", "memory.used",
            "temperature.gpu", "fan.speed", "power.draw", "power.limit");

    static final List<String> MIG_QUERY = List.of("index", "uuid", "name", "memory.total", "memory.used",
            "utilization.gpu", "utilization.memory", "mig.mode.current");

    static final List<String> BASIC_QUERY = List.of("index", "uuid", "name", "memory.total", "memory.used");

    /** Every GPU capture with the field list it needs (null when it names its own columns). */
    static final List<Capture> GPU_CAPTURES = List.of(
            new Capture("netdata__a100-sxm4-40gb__510.47.03__mig.xml", null),
            new Capture("netdata__tesla-p100__510.47.03.xml", null),
            new Capture("nvidia-gpu-exporter__h100-80gb-hbm3__590.48.01__linux__load__query-gpu.csv", null),
            new Capture("nvidia-gpu-exporter__h200__590.48.01__linux__idle__query-gpu.csv", null),
            new Capture("derived__h100-80gb-hbm3__590.48.01__loop__noheader-nounits.csv", RECOMMENDED_QUERY),
            new Capture("derived__2x-geforce__531.79__windows__header-units__crlf.csv", null),
            new Capture("derived__geforce-gtx-770__418__header-units__not-supported.csv", null),
            new Capture("derived__3x-geforce-gtx-1080-ti__440__noheader-nounits__unknown-error.csv", GTX_1080_TI_QUERY),
            new Capture("derived__l40s__595__header-nounits__bare-na.csv", null),
            new Capture("derived__h100-80gb-hbm3__590.48.01__mig__noheader-nounits.csv", MIG_QUERY),
            new Capture("derived__3x-rtx-3090__noheader-nounits__gpu-lost.csv", BASIC_QUERY),
            new Capture("derived__rtx-pro-6000__580__power-draw-na.xml", null),
            new Capture("quoted__driver-not-loaded.txt", BASIC_QUERY),
            new Capture("quoted__nvml-version-mismatch.txt", BASIC_QUERY),
            new Capture("quoted__device-handle-unknown-error.txt", BASIC_QUERY),
            new Capture("quoted__invalid-field.txt", BASIC_QUERY),
            new Capture("quoted__no-devices.txt", BASIC_QUERY),
            new Capture("quoted__dmon.txt", null),
            new Capture("nvidia-gpu-exporter__h100-80gb-hbm3__590.48.01__linux__load__query-compute-apps.csv", null));

    /** One capture file and the query that produced it. */
    record Capture(String file, @Nullable List<String> fields) {
        byte[] bytes() {
            return read(file);
        }

        @Override
        public String toString() {
            return file;
        }
    }

    private Corpus() {}

    static byte[] read(String file) {
        try (InputStream in = Corpus.class.getResourceAsStream("/nvidia/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("No test capture " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
