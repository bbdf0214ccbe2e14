package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.ComputeProcess;
import dev.orket.api.ControlApplication;
import dev.orket.api.ControlStatus;
import dev.orket.api.ExecutionLane;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.HardwareFlag;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.ThrottleReason;
import dev.orket.core.host.HostSampler;
import dev.orket.core.host.MeasuredServer;
import dev.orket.core.host.ProcFs;
import dev.orket.core.host.ServerProcessFinder;
import dev.orket.core.host.ServerProcessRule;
import dev.orket.core.sweep.LedgerEntry;
import dev.orket.core.sweep.RunLedger;
import dev.orket.core.sweep.SweepConfigReader;
import dev.orket.core.sweep.SweepEngine;
import dev.orket.core.sweep.SweepOutcome;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.testkit.lab.LabLane;
import dev.orket.simulator.sidecar.ScriptedSidecar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measured server's processes and the experimental controls on the real llama-server (lab-cpu lane): a
 * server Orket did not start is found by its loopback port (and by name) and is never foreign, the manifest
 * records it; threads asked of a running server are not applied and say so; a server Orket starts is pinned
 * and holds its controls. The GPU readings are scripted (this lane has no GPU); the processes are real.
 */
class ServerValidityLabIT {

    private static LabLane.LlamaServerLab lab;

    @BeforeAll
    static void lab() {
        lab = LabLane.llamaServer(ServerValidityLabIT.class);
        assumeTrue(ProcFs.system().available(), "server processes are found through Linux /proc");
    }

    private static ManagedLlamaServer.Options options() {
        return ManagedLlamaServer.options(lab.executable(), lab.gguf("Q8_0")).contextSize(512).threads(2).seed(42L)
                .parallel(1).extraArgs(List.of("--no-ui")).startupDeadline(Duration.ofSeconds(60));
    }

    @Test
    @DisplayName("a running llama-server is found by its port and its name, recorded in the manifest, never foreign")
    void externalServerIsNotForeign(@TempDir Path out) throws Exception {
        long started = System.nanoTime();
        try (ManagedLlamaServer server = ManagedLlamaServer.start(options());
                LlamaCppProvider provider = server.provider()) {
            assertThat(ServerProcessFinder.system().resolve(ServerProcessRule.forBaseUrl(server.baseUrl(), List.of())))
                    .first().satisfies(p -> {
                        assertThat(p.pid()).isEqualTo(server.pid());
                        assertThat(p.foundBy()).isEqualTo("listening_port");
                        assertThat(p.name()).isEqualTo("llama-server");
                    });
            // Other llama-servers may run on a shared machine: the name finds this one among them.
            assertThat(ServerProcessFinder.system().pids(new ServerProcessRule(Set.of(), null,
                    List.of("llama-server")))).contains(server.pid());

            // What nvidia-smi would list on a GPU box: the server itself and one foreign python process.
            ScriptedSidecar gpu = ScriptedSidecar.builder().sample(ScriptedSidecar.gpu(0, 24000, 9000, 64.0,
                    Set.of(ThrottleReason.SW_POWER_CAP), List.of(new ComputeProcess("GPU-0", server.pid(),
                            "llama-server", 8000L), new ComputeProcess("GPU-0", 999_999, "python", 1000L)))).build();
            String config = "{\"sweep_id\": \"external\", \"provider\": {\"id\": \"llamacpp\", \"base_url\": \""
                    + server.baseUrl() + "\"}, \"models\": [{\"name\": \"tiny\", \"quants\": [\"Q8_0\"],"
                    + " \"server_model_template\": \"{model}\"}], \"sessions\": [{\"id\": \"fox\", \"prompt\":"
                    + " \"The quick brown fox\", \"max_output_tokens\": 64}], \"repetitions\": 3, \"warmup_runs\": 1,"
                    + " \"canary\": {\"runs\": 0}, \"controls\": {\"seed\": 42, \"affinity_policy\": \"none\"},"
                    + " \"execution_lane\": \"lab\", \"vram_profile\": \"balanced\"}";
            SweepOutcome outcome = SweepEngine.builder().config(SweepConfigReader.parse(config, "external.json"))
                    .provider(provider).sidecar(gpu).outputDir(out)
                    .scorer((session, output, baseline) -> 1.0).higherPrecisionFirst(String::compareTo)
                    // Contention is another test's subject: a busy shared machine must not blur this one.
                    .hostSampler(HostSampler.disabled("not_under_test"))
                    .build().run();

            assertThat(outcome.status()).isEqualTo(SweepOutcome.Status.COMPLETED);
            JsonNode resolved = new ObjectMapper().readTree(out.resolve("sweep_manifest.json").toFile())
                    .path("server_processes").path("resolved");
            assertThat(resolved.get(0).path("pid").asLong()).isEqualTo(server.pid());
            assertThat(resolved.get(0).path("found_by").asText()).isEqualTo("listening_port");
            List<LedgerEntry> runs = RunLedger.readAll(out.resolve("runs.jsonl"));
            assertThat(runs).hasSize(3).allSatisfy(entry -> {
                RunTelemetry t = entry.telemetry();
                // sw_power_cap is a slowdown: flagged, and advisory like the foreign process.
                assertThat(t.hardwareFlags().flags()).containsExactly(HardwareFlag.FOREIGN_GPU_PROCESS,
                        HardwareFlag.GPU_THROTTLED);
                assertThat(t.hardwareFlags().details().get(HardwareFlag.FOREIGN_GPU_PROCESS)).isEqualTo(
                        "1 foreign process(es), first pid 999999 (python); the measured server's were ["
                                + server.pid() + "]");
                assertThat(t.sidecar().foreignProcesses()).extracting(ComputeProcess::pid).containsExactly(999_999L);
                // What the GPU saw never invalidates a run; only Orket's own telemetry may (a short run on a busy
                // shared machine can carry HIGH_ORCHESTRATION_OVERHEAD, which is not under test here).
                assertThat(t.validity().invalidReasons()).as(t.qualityDetails().toString())
                        .noneMatch(reason -> reason.contains("GPU") || reason.contains("VRAM_CAP")
                                || reason.contains("THERMAL"))
                        .allMatch(reason -> reason.equals("run_quality:HIGH_ORCHESTRATION_OVERHEAD"));
            });
            LabLane.printTotals("external llama-server found by its port, never foreign", runs.size() + 1, 1,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    @Test
    @DisplayName("threads asked of a running llama-server are not applied (MISSING_EXPERIMENTAL_CONTROLS); a server"
            + " Orket starts holds threads, context and its CPU set")
    void controls() {
        long started = System.nanoTime();
        RunExecutor executor = RunExecutor.builder().hostSampler(HostSampler.disabled("not_under_test")).build();
        RunRequest asked = RunRequest.builder("controls", "tiny", "The quick brown fox").maxOutputTokens(8)
                .seed(42L).temperature(0.0).threads(1).contextSize(512).quantTag("Q8_0")
                .executionLane(ExecutionLane.LAB).build();
        try (ManagedLlamaServer server = ManagedLlamaServer.start(options().threads(1).cpuAffinity("0"));
                LlamaCppProvider provider = server.provider()) {
            RunTelemetry external = executor.execute(provider, asked.toBuilder().runId("as-if-external").build(),
                    new MeasuredServer(ServerProcessRule.forBaseUrl(server.baseUrl(), List.of()), Map.of()), Map.of())
                    .telemetry();
            assertThat(external.controlsApplied().of(ExperimentalControl.THREADS).status())
                    .isEqualTo(ControlStatus.NOT_APPLIED);
            assertThat(external.controlsApplied().of(ExperimentalControl.SEED).status())
                    .isEqualTo(ControlStatus.APPLIED);
            // (A cold first run may also carry HIGH_ORCHESTRATION_OVERHEAD: only the controls are under test here.)
            assertThat(external.quality().reasons()).contains(RunQualityReason.MISSING_EXPERIMENTAL_CONTROLS);
            assertThat(external.qualityDetails().get(RunQualityReason.MISSING_EXPERIMENTAL_CONTROLS)).isEqualTo(
                    "threads 1: llama-server takes threads only at start (-t); a request cannot set them on a server"
                            + " that is already running; context_size 512: llama-server takes the context size only at"
                            + " start (-c); a request cannot set it");

            RunTelemetry managed = executor.execute(provider, asked.toBuilder().runId("managed").build(),
                    new MeasuredServer(ServerProcessRule.ofPids(Set.of(server.pid())),
                            server.startControls(1, 512, "compact")), Map.of()).telemetry();
            assertThat(managed.controlsApplied().notApplied()).isEmpty();
            assertThat(managed.controlsApplied().of(ExperimentalControl.AFFINITY)).isEqualTo(
                    ControlApplication.applied("compact", "pinned with taskset -c 0; the server runs on CPUs 0"));
            assertThat(ProcFs.system().cpusAllowedList(server.pid())).isEqualTo("0");
            assertThat(managed.quality().reasons()).doesNotContain(RunQualityReason.MISSING_EXPERIMENTAL_CONTROLS);
        }
        LabLane.printTotals("controls applied or said (external, managed + pinned)", 2, 1,
                Duration.ofNanos(System.nanoTime() - started));
    }
}
