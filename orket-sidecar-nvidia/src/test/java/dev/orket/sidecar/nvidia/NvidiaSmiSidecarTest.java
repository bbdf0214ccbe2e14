package dev.orket.sidecar.nvidia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.ComputeProcess;
import dev.orket.api.ConfigurationException;
import dev.orket.api.GpuSample;
import dev.orket.api.MonotonicClock;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarReading;
import dev.orket.api.spi.GpuSidecar;
import dev.orket.api.spi.SidecarConfig;
import dev.orket.api.spi.SidecarSession;
import dev.orket.sidecar.nvidia.internal.LoopSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The nvidia-smi sidecar run against stand-in tools")
@DisabledOnOs(OS.WINDOWS)
class NvidiaSmiSidecarTest {

    private static final String FIELDS = "index,uuid,name,memory.total,memory.used";

    /** Prints two GPUs once, or every 50 ms with -lms; answers --query-compute-apps with one process. */
    private static final String REPLAY = """
            #!/bin/bash
            for a in "$@"; do
              case "$a" in --query-compute-apps=*) echo 'GPU-a, 4242, /usr/bin/llama-server, 1234'; exit 0;; esac
            done
            echo "$@" > "$(dirname "$0")/args"
            loop=0
            for a in "$@"; do [ "$a" = "-lms" ] && loop=1; done
            while true; do
              printf '0, GPU-a, Fake GPU, 1000, 10\\n1, GPU-b, Fake GPU, 1000, 20\\n'
              [ $loop = 1 ] || exit 0
              sleep 0.05
            done
            """;

    private static final String HANG = """
            #!/bin/bash
            echo $$ > "$(dirname "$0")/pid"
            sleep 600
            """;

    private static final String NVML_MISMATCH = """
            #!/bin/bash
            echo 'Failed to initialize NVML: Driver/library version mismatch'
            echo 'NVML library version: 535.161'
            exit 18
            """;

    private static final String SILENT_FAILURE = "#!/bin/bash\nexit 1\n";

    private static final String GARBAGE = "#!/bin/bash\nhead -c 3000 /dev/urandom | base64\n";

    private static final String FLOOD = "#!/bin/bash\necho $$ > \"$(dirname \"$0\")/pid\"\nexec yes '0, GPU-a, Fake GPU, 1000, 10'\n";

    @TempDir
    Path dir;

    private Path script(String body) throws IOException {
        Path p = dir.resolve("nvidia-smi");
        Files.writeString(p, body);
        assertThat(p.toFile().setExecutable(true)).isTrue();
        return p;
    }

    private NvidiaSmiSidecar sidecar(Path tool, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("query_fields", FIELDS));
        settings.putAll(extra);
        return new NvidiaSmiSidecar(new SidecarConfig(List.of(tool.toString()), Duration.ofMillis(50),
                Duration.ofSeconds(1), settings));
    }

    /** A clock that advances 10 ms every time it is read. */
    private static MonotonicClock steppingClock() {
        AtomicLong now = new AtomicLong();
        return () -> now.getAndAdd(10_000_000L);
    }

    private static void assertEnded(SidecarSession session) {
        LoopSession loop = (LoopSession) session;
        assertThat(loop.processAlive()).as("process alive").isFalse();
        assertThat(loop.readerAlive()).as("reader alive").isFalse();
    }

    private void assertPidDead() throws IOException {
        long pid = Long.parseLong(Files.readString(dir.resolve("pid")).strip());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid + " alive").isFalse();
    }

    @Nested
    @DisplayName("sampleOnce")
    class Once {

        @Test
        @DisplayName("parses one round and passes the query, format and -i as separate arguments")
        void replay() throws IOException {
            SidecarReading r = sidecar(script(REPLAY), Map.of("gpu_index", "0,1")).sampleOnce();
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.OK);
            assertThat(r.samples()).extracting(GpuSample::gpuUuid).containsExactly("GPU-a", "GPU-b");
            assertThat(Files.readString(dir.resolve("args")).strip())
                    .isEqualTo("--query-gpu=" + FIELDS + " --format=csv,noheader,nounits -i 0,1");
        }

        @Test
        @DisplayName("a missing tool is NOT_APPLICABLE nvidia_smi_unavailable")
        void missing() {
            SidecarReading r = sidecar(dir.resolve("absent"), Map.of()).sampleOnce();
            assertThat(r).isEqualTo(SidecarReading.notApplicable("nvidia_smi_unavailable"));
        }

        @Test
        @DisplayName("a hanging tool is killed at the deadline: NOT_APPLICABLE sidecar_timeout")
        void hang() throws IOException {
            SidecarReading r = sidecar(script(HANG), Map.of()).sampleOnce();
            assertThat(r).isEqualTo(SidecarReading.notApplicable("sidecar_timeout"));
            assertPidDead();
        }

        @Test
        @DisplayName("a non-zero exit is NOT_APPLICABLE with the message's meaning and the exit status")
        void nonZeroExit() throws IOException {
            SidecarReading r = sidecar(script(NVML_MISMATCH), Map.of()).sampleOnce();
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.NOT_APPLICABLE);
            assertThat(r.parseErrors()).containsExactly("nvidia_smi_error:nvml_init_failed", "nvidia_smi_exit:18",
                    "nvidia_smi_unavailable");
            SidecarReading silent = sidecar(script(SILENT_FAILURE), Map.of()).sampleOnce();
            assertThat(silent.parseErrors()).containsExactly("nvidia_smi_exit:1", "nvidia_smi_unavailable");
        }

        @Test
        @DisplayName("garbage is PARSE_ERROR")
        void garbage() throws IOException {
            SidecarReading r = sidecar(script(GARBAGE), Map.of()).sampleOnce();
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.PARSE_ERROR);
            assertThat(r.parseErrors()).contains("invalid_format:column_count:line_1")
                    .allMatch(e -> e.startsWith("invalid_format:column_count:"));
        }

        @Test
        @DisplayName("a flood is cut at the caps and killed at the deadline")
        void flood() throws IOException {
            SidecarReading r = sidecar(script(FLOOD), Map.of("max_samples", "100")).sampleOnce();
            assertThat(r.samples()).hasSize(100);
            assertThat(r.parseErrors()).containsExactly("sidecar_output_truncated", "sidecar_timeout");
            assertPidDead();
        }

        @Test
        @DisplayName("a disabled sidecar runs nothing")
        void disabled() throws IOException {
            SidecarReading r = sidecar(script(HANG), Map.of("enabled", "false")).sampleOnce();
            assertThat(r).isEqualTo(SidecarReading.notApplicable("sidecar_disabled"));
            assertThat(dir.resolve("pid")).doesNotExist();
        }
    }

    @Nested
    @DisplayName("start and stop")
    class Loop {

        @Test
        @DisplayName("one -lms process gives rounds of samples, then processes of the last round at stop")
        void replay() throws Exception {
            NvidiaSmiSidecar sidecar = sidecar(script(REPLAY), Map.of());
            SidecarSession session = sidecar.start(steppingClock());
            Thread.sleep(400);
            SidecarReading r = session.stop();
            assertEnded(session);
            assertThat(Files.readString(dir.resolve("args")).strip()).endsWith("-lms 50");
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.OK);
            assertThat(r.parseErrors()).isEmpty();
            assertThat(r.samples().size()).isGreaterThanOrEqualTo(4).isEven();
            List<GpuSample> s = r.samples();
            for (int i = 0; i < s.size(); i += 2) {
                assertThat(s.get(i).gpuIndex()).isZero();
                assertThat(s.get(i + 1).gpuIndex()).isOne();
                assertThat(s.get(i + 1).offsetMs()).as("one round, one offset").isEqualTo(s.get(i).offsetMs());
            }
            assertThat(s.get(2).offsetMs()).isGreaterThan(s.get(0).offsetMs());
            assertThat(s.get(s.size() - 2).computeProcesses())
                    .containsExactly(new ComputeProcess("GPU-a", 4242, "/usr/bin/llama-server", 1234L));
            assertThat(s.get(s.size() - 1).computeProcesses()).isEmpty();
            assertThat(s.get(0).computeProcesses()).isNull();
            assertThat(session.stop()).as("idempotent").isSameAs(r);
        }

        @Test
        @DisplayName("a failing compute-apps query only adds compute_apps_unavailable")
        void computeAppsFailure() throws Exception {
            SidecarSession session = sidecar(script(REPLAY.replace("echo 'GPU-a, 4242, /usr/bin/llama-server, 1234'; exit 0",
                    "exit 3")), Map.of()).start(steppingClock());
            Thread.sleep(200);
            SidecarReading r = session.stop();
            assertEnded(session);
            assertThat(r.samples()).isNotEmpty();
            assertThat(r.samples()).allSatisfy(s -> assertThat(s.computeProcesses()).isNull());
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.OPTIONAL_FIELD_MISSING);
            assertThat(r.parseErrors()).containsExactly("compute_apps_unavailable");
        }

        @Test
        @DisplayName("a missing tool is NOT_APPLICABLE nvidia_smi_unavailable")
        void missing() {
            SidecarSession session = sidecar(dir.resolve("absent"), Map.of()).start(steppingClock());
            assertThat(session.stop()).isEqualTo(SidecarReading.notApplicable("nvidia_smi_unavailable"));
            assertEnded(session);
        }

        @Test
        @DisplayName("a tool that prints nothing is killed at stop: NOT_APPLICABLE sidecar_timeout")
        void hang() throws Exception {
            SidecarSession session = sidecar(script(HANG), Map.of()).start(steppingClock());
            Thread.sleep(200);
            assertThat(session.stop()).isEqualTo(SidecarReading.notApplicable("sidecar_timeout"));
            assertEnded(session);
            assertPidDead();
        }

        @Test
        @DisplayName("a tool that exits non-zero is NOT_APPLICABLE")
        void nonZeroExit() throws Exception {
            SidecarSession session = sidecar(script(NVML_MISMATCH), Map.of()).start(steppingClock());
            Thread.sleep(300);
            SidecarReading r = session.stop();
            assertThat(r.parseErrors()).containsExactly("nvidia_smi_error:nvml_init_failed", "nvidia_smi_exit:18",
                    "nvidia_smi_unavailable");
            assertEnded(session);
        }

        @Test
        @DisplayName("garbage is PARSE_ERROR")
        void garbage() throws Exception {
            SidecarSession session = sidecar(script(GARBAGE), Map.of()).start(steppingClock());
            Thread.sleep(300);
            SidecarReading r = session.stop();
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.PARSE_ERROR);
            assertEnded(session);
        }

        @Test
        @DisplayName("a flood keeps max_samples samples, is marked truncated and dies at stop")
        void flood() throws Exception {
            NvidiaSmiSidecar sidecar = sidecar(script(FLOOD), Map.of("max_samples", "1000", "compute_apps", "false"));
            SidecarSession session = sidecar.start(steppingClock());
            Thread.sleep(300);
            SidecarReading r = session.stop();
            assertEnded(session);
            assertPidDead();
            assertThat(r.samples()).hasSize(1000);
            assertThat(r.parseStatus()).isEqualTo(SidecarParseStatus.OPTIONAL_FIELD_MISSING);
            assertThat(r.parseErrors()).containsExactly("sidecar_output_truncated");
        }

        @Test
        @DisplayName("close stops every open session")
        void closeStopsSessions() throws Exception {
            GpuSidecar sidecar = sidecar(script(HANG), Map.of());
            SidecarSession session = sidecar.start(steppingClock());
            sidecar.close();
            assertEnded(session);
            assertThatThrownBy(() -> sidecar.start(steppingClock())).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    @DisplayName("an unknown or malformed setting is a ConfigurationException naming it")
    void badSettings() {
        SidecarConfig unknown = new SidecarConfig(List.of("nvidia-smi"), Duration.ofMillis(50), Duration.ofSeconds(1),
                Map.of("gpu_idx", "0"));
        assertThatThrownBy(() -> new NvidiaSmiSidecar(unknown)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("gpu_idx");
        SidecarConfig badField = new SidecarConfig(List.of("nvidia-smi"), Duration.ofMillis(50), Duration.ofSeconds(1),
                Map.of("query_fields", "index,uuid;rm -rf"));
        assertThatThrownBy(() -> new NvidiaSmiSidecar(badField)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("uuid;rm -rf");
    }
}
