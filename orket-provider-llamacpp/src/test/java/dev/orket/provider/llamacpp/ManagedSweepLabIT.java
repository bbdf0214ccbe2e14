package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.FailureKind;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.sweep.CellProvider;
import dev.orket.core.sweep.LedgerEntry;
import dev.orket.core.sweep.QuantOrder;
import dev.orket.core.sweep.RunLedger;
import dev.orket.core.sweep.SessionScoring;
import dev.orket.core.sweep.SweepConfig;
import dev.orket.core.sweep.SweepConfigReader;
import dev.orket.core.sweep.SweepEngine;
import dev.orket.core.sweep.SweepOutcome;
import dev.orket.testkit.lab.LabLane;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab-cpu lane: a managed sweep on the real llama-server where the lab goes wrong: a GGUF file that is not the
 * configured quant, one cut short so that the server exits at start, one that does not exist, and a server killed
 * with SIGKILL in the middle of a run.
 */
class ManagedSweepLabIT {

    private static final Set<FailureKind> CONNECTION_LEVEL = EnumSet.of(FailureKind.CONNECTION_CLOSED,
            FailureKind.CONNECTION_REFUSED, FailureKind.CONNECTION_FAILED, FailureKind.INCOMPLETE_RESPONSE);

    private static LabLane.LlamaServerLab lab;

    @BeforeAll
    static void lab() {
        lab = LabLane.llamaServer(ManagedSweepLabIT.class);
    }

    @Test
    @DisplayName("a mismatched, a broken and a missing GGUF block their cells; a server killed mid-run is restarted")
    void labFaults(@TempDir Path dir) throws IOException {
        long started = System.nanoTime();
        Path truncated = dir.resolve("tiny-random-llama-Q2_K.gguf");
        try (InputStream in = Files.newInputStream(lab.gguf("Q2_K"))) {
            Files.write(truncated, in.readNBytes(64 * 1024));
        }
        Path missing = dir.resolve("no-such-Q6_K.gguf");
        String config = "{\n"
                + "  \"sweep_id\": \"lab-faults\",\n"
                + "  \"provider\": {\"id\": \"llamacpp\", \"base_url\": \"http://127.0.0.1:1\"},\n"
                + "  \"models\": [{\"name\": \"tiny\", \"quants\": [\"F16\", \"Q8_0\", \"Q6_K\", \"Q4_K_M\", \"Q2_K\"],\n"
                + "     \"gguf_files\": {\"F16\": \"" + lab.gguf("F16") + "\", \"Q8_0\": \"" + lab.gguf("Q4_K_M")
                + "\", \"Q6_K\": \"" + missing + "\", \"Q4_K_M\": \"" + lab.gguf("Q4_K_M") + "\", \"Q2_K\": \""
                + truncated + "\"}}],\n"
                + "  \"sessions\": [{\"id\": \"s1\", \"prompt\": \"The quick brown fox\", \"max_output_tokens\": 256}],\n"
                + "  \"repetitions\": 4, \"warmup_runs\": 0, \"canary\": {\"runs\": 0},\n"
                + "  \"controls\": {\"seed\": 42, \"temperature\": 0.0, \"threads\": 2},\n"
                + "  \"managed_server\": {\"executable\": \"" + lab.executable() + "\", \"args\": [\"--no-ui\"],"
                + " \"context_size\": 512, \"startup_timeout_ms\": 60000, \"max_restarts\": 2},\n"
                + "  \"execution_lane\": \"lab\", \"vram_profile\": \"balanced\"\n"
                + "}";
        SweepConfig parsed = SweepConfigReader.parse(config, "lab-faults.json");
        Path out = dir.resolve("out");
        ManagedServerCells cells = new ManagedServerCells(parsed, dir, out);
        AtomicReference<CellProvider> open = new AtomicReference<>();
        AtomicReference<String> openQuant = new AtomicReference<>();
        AtomicInteger f16Requests = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();

        SweepOutcome outcome = SweepEngine.builder()
                .config(parsed, SweepEngine.digest(config))
                .providerPerCell("llamacpp", cell -> {
                    CellProvider provider = cells.open(cell);
                    open.set(provider);
                    openQuant.set(cell.quant());
                    return provider;
                })
                .listener((event, nanos, state) -> {
                    if (!"F16".equals(openQuant.get())) {
                        return;
                    }
                    if (event instanceof WireEvent.RequestSent) {
                        f16Requests.incrementAndGet();
                    } else if (event instanceof WireEvent.ContentDelta && f16Requests.get() == 2
                            && killed.compareAndSet(false, true)) {
                        // SIGKILL in the middle of the second run's stream.
                        for (long pid : open.get().serverProcessIds()) {
                            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                        }
                    }
                })
                .outputDir(out)
                .scorer(SessionScoring.forSessions(parsed.sessions()))
                .higherPrecisionFirst(QuantOrder.HIGHER_PRECISION_FIRST)
                .build()
                .run();

        Map<String, String> blocked = outcome.blockedCells();
        assertThat(blocked).containsOnlyKeys("tiny/Q8_0", "tiny/Q6_K", "tiny/Q2_K");
        assertThat(blocked.get("tiny/Q8_0")).isEqualTo("quant_mismatch:Q8_0!=Q4_K_M");
        assertThat(blocked.get("tiny/Q6_K")).contains(missing.toString()).contains("does not exist");
        assertThat(blocked.get("tiny/Q2_K")).startsWith("server failed to start")
                .contains("llama-server output (tail)");

        List<LedgerEntry> runs = RunLedger.readAll(out.resolve("runs.jsonl"));
        Map<String, List<RunTelemetry>> byQuant = runs.stream().map(LedgerEntry::telemetry)
                .collect(Collectors.groupingBy(t -> t.identity().quantTag()));
        assertThat(byQuant).containsOnlyKeys("F16", "Q4_K_M");
        assertThat(killed).isTrue();
        List<RunTelemetry> f16 = byQuant.get("F16");
        assertThat(f16).hasSize(4);
        RunTelemetry killedRun = f16.get(1);
        assertThat(killedRun.outcome().terminalState()).isEqualTo(TerminalState.FAILED);
        assertThat(killedRun.outcome().failureKind()).isIn(CONNECTION_LEVEL);
        assertThat(killedRun.internalModelSeconds()).isNotNull();
        assertThat(killedRun.tokenMetrics().chunkCount()).isPositive();
        for (RunTelemetry run : List.of(f16.get(0), f16.get(2), f16.get(3))) {
            assertThat(run.outcome().terminalState()).as(run.identity().runId()).isEqualTo(TerminalState.COMPLETED);
            assertThat(run.quantTagVerified()).isTrue();
            assertThat(run.server().modelFile()).isEqualTo("tiny-random-llama-F16.gguf");
            assertThat(run.serverContextSize()).isEqualTo(512);
        }
        assertThat(byQuant.get("Q4_K_M")).hasSize(4).allSatisfy(run -> {
            assertThat(run.outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
            assertThat(run.quantTagVerified()).isTrue();
        });
        assertThat(Files.readString(out.resolve("server-logs").resolve("tiny_F16.log"))).isNotBlank();
        LabLane.printTotals("managed sweep with lab faults (mismatch, broken, missing, SIGKILL)", runs.size(), 5,
                Duration.ofNanos(System.nanoTime() - started));
    }
}
