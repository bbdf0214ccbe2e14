package dev.orket.sidecar.nvidia;

import static dev.orket.api.SidecarParseStatus.NOT_APPLICABLE;
import static dev.orket.api.SidecarParseStatus.OK;
import static dev.orket.api.SidecarParseStatus.OPTIONAL_FIELD_MISSING;
import static dev.orket.api.SidecarParseStatus.PARSE_ERROR;
import static dev.orket.api.SidecarParseStatus.REQUIRED_FIELD_MISSING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ComputeProcess;
import dev.orket.api.GpuSample;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.ThrottleReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Every capture of the corpus parses to exactly the expected status, errors and values")
class CorpusTest {

    private static final String H100 = "NVIDIA H100 80GB HBM3";
    private static final String RTX_PRO = "NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition";

    /** The key values of one GPU's sample. */
    record Gpu(int index, String name, long totalMib, long usedMib, @Nullable Double temperatureC) {
        static Gpu of(GpuSample s) {
            return new Gpu(s.gpuIndex(), s.gpuName(), s.vramTotalMib(), s.vramUsedMib(), s.temperatureC());
        }
    }

    static Stream<Arguments> expectations() {
        return Stream.of(
                expect("netdata__a100-sxm4-40gb__510.47.03__mig.xml", OPTIONAL_FIELD_MISSING,
                        List.of("missing:fan_speed_pct", "missing:gpu_utilization_pct", "missing:memory_utilization_pct"),
                        new Gpu(0, "NVIDIA A100-SXM4-40GB", 40960, 38, 36.0)),
                expect("netdata__tesla-p100__510.47.03.xml", OPTIONAL_FIELD_MISSING,
                        List.of("missing:fan_speed_pct", "missing:memory_temperature_c"),
                        new Gpu(0, "Tesla P100-PCIE-16GB", 16384, 0, 38.0)),
                expect("nvidia-gpu-exporter__h100-80gb-hbm3__590.48.01__linux__load__query-gpu.csv",
                        OPTIONAL_FIELD_MISSING, List.of("missing:fan_speed_pct"), new Gpu(0, H100, 81559, 19818, 59.0)),
                expect("nvidia-gpu-exporter__h200__590.48.01__linux__idle__query-gpu.csv", OPTIONAL_FIELD_MISSING,
                        List.of("missing:fan_speed_pct"), new Gpu(0, "NVIDIA H200", 143771, 0, 28.0)),
                expect("derived__h100-80gb-hbm3__590.48.01__loop__noheader-nounits.csv", OPTIONAL_FIELD_MISSING,
                        List.of("missing:fan_speed_pct"), new Gpu(0, H100, 81559, 19818, 59.0),
                        new Gpu(0, H100, 81559, 19820, 60.0)),
                expect("derived__2x-geforce__531.79__windows__header-units__crlf.csv", OK, List.of(),
                        new Gpu(0, "NVIDIA GeForce RTX 2080 SUPER", 8192, 1034, 41.0),
                        new Gpu(1, "NVIDIA GeForce RTX 3060", 12288, 512, 38.0)),
                expect("derived__geforce-gtx-770__418__header-units__not-supported.csv", OPTIONAL_FIELD_MISSING,
                        List.of("missing:gpu_utilization_pct", "missing:power_draw_w", "missing:throttle_reasons"),
                        new Gpu(0, "GeForce GTX 770", 1998, 1411, 51.0)),
                expect("derived__3x-geforce-gtx-1080-ti__440__noheader-nounits__unknown-error.csv",
                        OPTIONAL_FIELD_MISSING, List.of("missing:fan_speed_pct"),
                        new Gpu(0, "GeForce GTX 1080 Ti", 11178, 10587, 78.0),
                        new Gpu(1, "GeForce GTX 1080 Ti", 11178, 10587, 81.0),
                        new Gpu(2, "GeForce GTX 1080 Ti", 11178, 10587, 76.0)),
                expect("derived__l40s__595__header-nounits__bare-na.csv", OPTIONAL_FIELD_MISSING,
                        List.of("missing:memory_temperature_c"), new Gpu(0, "NVIDIA L40S", 46068, 1, 30.0)),
                expect("derived__h100-80gb-hbm3__590.48.01__mig__noheader-nounits.csv", OPTIONAL_FIELD_MISSING,
                        List.of("missing:gpu_utilization_pct", "missing:memory_utilization_pct"),
                        new Gpu(0, H100, 81559, 19818, null)),
                expect("derived__3x-rtx-3090__noheader-nounits__gpu-lost.csv", REQUIRED_FIELD_MISSING,
                        List.of("gpu_unavailable:0000:03:00.0"),
                        new Gpu(0, "NVIDIA GeForce RTX 3090", 24576, 22011, null),
                        new Gpu(2, "NVIDIA GeForce RTX 3090", 24576, 21987, null)),
                expect("derived__rtx-pro-6000__580__power-draw-na.xml", OPTIONAL_FIELD_MISSING,
                        List.of("missing:memory_temperature_c"), new Gpu(0, RTX_PRO, 97887, 24576, 63.0),
                        new Gpu(1, RTX_PRO, 97887, 2, 34.0)),
                expect("quoted__driver-not-loaded.txt", NOT_APPLICABLE,
                        List.of("nvidia_smi_error:driver_unreachable", "nvidia_smi_unavailable")),
                expect("quoted__nvml-version-mismatch.txt", NOT_APPLICABLE,
                        List.of("nvidia_smi_error:nvml_init_failed", "nvidia_smi_unavailable")),
                expect("quoted__device-handle-unknown-error.txt", NOT_APPLICABLE,
                        List.of("gpu_unavailable:0000:0B:00.0", "nvidia_smi_unavailable")),
                expect("quoted__invalid-field.txt", PARSE_ERROR,
                        List.of("invalid_format:invalid_field:clocks_throttle_reasons.unknown")),
                expect("quoted__no-devices.txt", NOT_APPLICABLE,
                        List.of("nvidia_smi_error:no_devices", "nvidia_smi_unavailable")),
                expect("quoted__dmon.txt", PARSE_ERROR, List.of("invalid_format:missing_field_list")),
                expect("nvidia-gpu-exporter__h100-80gb-hbm3__590.48.01__linux__load__query-compute-apps.csv",
                        PARSE_ERROR, List.of("invalid_format:compute_apps_query")));
    }

    private static Arguments expect(String file, SidecarParseStatus status, List<String> errors, Gpu... gpus) {
        return Arguments.of(file, status, errors, List.of(gpus));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void parsesExactly(String file, SidecarParseStatus status, List<String> errors, List<Gpu> gpus) {
        Corpus.Capture capture = Corpus.GPU_CAPTURES.stream().filter(c -> c.file().equals(file)).findFirst().orElseThrow();
        SidecarReading r = NvidiaSmiParser.parse(capture.bytes(), capture.fields());
        assertThat(r.parseStatus()).as("status").isEqualTo(status);
        assertThat(r.parseErrors()).as("errors").containsExactlyElementsOf(errors);
        List<Gpu> actual = new ArrayList<>();
        r.samples().forEach(s -> actual.add(Gpu.of(s)));
        assertThat(actual).as("GPUs").containsExactlyElementsOf(gpus);
    }

    @Test
    @DisplayName("the corpus covers every capture listed in Corpus")
    void everyCaptureHasAnExpectation() {
        assertThat(expectations().map(a -> (String) a.get()[0]))
                .containsExactlyInAnyOrderElementsOf(Corpus.GPU_CAPTURES.stream().map(Corpus.Capture::file).toList());
    }

    @Test
    @DisplayName("the H100 capture with every field maps every canonical key")
    void h100EveryField() {
        GpuSample s = only("nvidia-gpu-exporter__h100-80gb-hbm3__590.48.01__linux__load__query-gpu.csv", null);
        assertThat(s.gpuUuid()).isEqualTo("GPU-00000000-0000-0000-0000-000000000000");
        assertThat(s.driverVersion()).isEqualTo("590.48.01");
        assertThat(s.vramFreeMib()).isEqualTo(61263L);
        assertThat(s.vramReservedMib()).isEqualTo(479L);
        assertThat(s.gpuUtilizationPct()).isEqualTo(100.0);
        assertThat(s.memoryUtilizationPct()).isEqualTo(11.0);
        assertThat(s.memoryTemperatureC()).isEqualTo(54.0);
        assertThat(s.powerDrawW()).isEqualTo(631.95);
        assertThat(s.powerLimitW()).isEqualTo(700.0);
        assertThat(s.smClockMhz()).isEqualTo(1980.0);
        assertThat(s.memClockMhz()).isEqualTo(2619.0);
        assertThat(s.pstate()).isEqualTo("P0");
        assertThat(s.fanSpeedPct()).isNull();
        assertThat(s.throttleReasons()).isEmpty();
        assertThat(s.computeProcesses()).isNull();
    }

    @Test
    @DisplayName("the idle H200 decodes bitmask 0x1 and the per-reason columns alike to gpu_idle")
    void h200Idle() {
        GpuSample s = only("nvidia-gpu-exporter__h200__590.48.01__linux__idle__query-gpu.csv", null);
        assertThat(s.throttleReasons()).containsExactly(ThrottleReason.GPU_IDLE);
        assertThat(s.powerDrawW()).isEqualTo(77.71);
        assertThat(s.smClockMhz()).isEqualTo(345.0);
    }

    @Test
    @DisplayName("XML from driver 510 reads power_readings, throttle reasons and an empty process list")
    void p100Xml() {
        GpuSample s = only("netdata__tesla-p100__510.47.03.xml", null);
        assertThat(s.gpuUuid()).isEqualTo("GPU-d3da8716-eaab-75db-efc1-60e88e1cd55e");
        assertThat(s.driverVersion()).isEqualTo("510.47.03");
        assertThat(s.vramReservedMib()).isEqualTo(103L);
        assertThat(s.vramFreeMib()).isEqualTo(16280L);
        assertThat(s.powerDrawW()).isEqualTo(26.16);
        assertThat(s.powerLimitW()).isEqualTo(250.0);
        assertThat(s.smClockMhz()).isEqualTo(405.0);
        assertThat(s.memClockMhz()).isEqualTo(715.0);
        assertThat(s.throttleReasons()).containsExactly(ThrottleReason.GPU_IDLE);
        assertThat(s.computeProcesses()).isEmpty();
    }

    @Test
    @DisplayName("a MIG-enabled A100 is one GPU with the whole card's memory, not one per instance")
    void a100Mig() {
        GpuSample s = only("netdata__a100-sxm4-40gb__510.47.03__mig.xml", null);
        assertThat(s.vramReservedMib()).isEqualTo(605L);
        assertThat(s.memoryTemperatureC()).isEqualTo(44.0);
        assertThat(s.powerDrawW()).isEqualTo(66.92);
        assertThat(s.powerLimitW()).isEqualTo(400.0);
        assertThat(s.throttleReasons()).isEmpty();
    }

    @Test
    @DisplayName("driver 580 XML falls back from an N/A power_draw to instant_power_draw and reads processes")
    void rtxProXml() {
        SidecarReading r = NvidiaSmiParser.parse(Corpus.read("derived__rtx-pro-6000__580__power-draw-na.xml"), null);
        GpuSample first = r.samples().get(0);
        GpuSample second = r.samples().get(1);
        assertThat(first.powerDrawW()).isEqualTo(66.84);
        assertThat(second.powerDrawW()).isEqualTo(11.02);
        assertThat(first.powerLimitW()).isEqualTo(300.0);
        assertThat(first.fanSpeedPct()).isEqualTo(40.0);
        assertThat(first.pstate()).isEqualTo("P1");
        assertThat(first.driverVersion()).isEqualTo("580.65.06");
        assertThat(first.throttleReasons()).containsExactly(ThrottleReason.SW_POWER_CAP);
        assertThat(second.throttleReasons()).containsExactly(ThrottleReason.GPU_IDLE);
        assertThat(first.computeProcesses()).containsExactly(
                new ComputeProcess("GPU-6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d", 4242, "/usr/bin/llama-server", 23980L));
        assertThat(second.computeProcesses()).isEmpty();
    }

    @Test
    @DisplayName("two -lms rounds become two samples with the bitmask decoded per round")
    void loopRounds() {
        SidecarReading r = NvidiaSmiParser.parse(
                Corpus.read("derived__h100-80gb-hbm3__590.48.01__loop__noheader-nounits.csv"), Corpus.RECOMMENDED_QUERY);
        assertThat(r.samples()).extracting(GpuSample::throttleReasons)
                .containsExactly(Set.of(), Set.of(ThrottleReason.SW_POWER_CAP));
        assertThat(r.samples()).extracting(GpuSample::powerDrawW).containsExactly(631.95, 640.10);
    }

    @Test
    @DisplayName("Windows \\r\\n output with units and the old clocks_throttle_reasons name parses cleanly")
    void windowsCrlf() {
        SidecarReading r = NvidiaSmiParser.parse(
                Corpus.read("derived__2x-geforce__531.79__windows__header-units__crlf.csv"), null);
        assertThat(r.samples()).extracting(GpuSample::throttleReasons)
                .containsExactly(Set.of(ThrottleReason.SW_POWER_CAP), Set.of(ThrottleReason.GPU_IDLE));
        assertThat(r.samples()).extracting(GpuSample::pstate).containsExactly("P8", "P8");
        assertThat(r.samples()).extracting(GpuSample::gpuUuid)
                .containsExactly("GPU-5a8f3c1e-2b7d-4e9a-8c6f-1d2e3f4a5b6c", "GPU-9b0c1d2e-3f4a-5b6c-7d8e-9f0a1b2c3d4e");
        assertThat(r.samples()).extracting(GpuSample::fanSpeedPct).containsExactly(27.0, 0.0);
    }

    @Test
    @DisplayName("compute-apps output parses to processes and attaches to the last sample of its GPU")
    void computeApps() {
        ComputeApps apps = NvidiaSmiParser.parseComputeApps(
                Corpus.read("nvidia-gpu-exporter__h100-80gb-hbm3__590.48.01__linux__load__query-compute-apps.csv"),
                null);
        String uuid = "GPU-00000000-0000-0000-0000-000000000000";
        assertThat(apps.errors()).isEmpty();
        assertThat(apps.processes()).containsExactly(
                new ComputeProcess(uuid, 11327, "/root/tools/memhog", 2566L),
                new ComputeProcess(uuid, 11328, "/root/tools/memhog", 1542L),
                new ComputeProcess(uuid, 11345, "./gpu_burn", 15690L));
        SidecarReading loop = NvidiaSmiParser.parse(
                Corpus.read("derived__h100-80gb-hbm3__590.48.01__loop__noheader-nounits.csv"), Corpus.RECOMMENDED_QUERY);
        SidecarReading merged = NvidiaSmiParser.withComputeProcesses(loop, apps);
        assertThat(merged.samples().get(0).computeProcesses()).isNull();
        assertThat(merged.samples().get(1).computeProcesses()).hasSize(3);
        assertThat(merged.parseStatus()).isEqualTo(loop.parseStatus());
        assertThat(merged.parseErrors()).isEqualTo(loop.parseErrors());
    }

    private static GpuSample only(String file, @Nullable List<String> fields) {
        SidecarReading r = NvidiaSmiParser.parse(Corpus.read(file), fields);
        assertThat(r.samples()).hasSize(1);
        return r.samples().get(0);
    }
}
