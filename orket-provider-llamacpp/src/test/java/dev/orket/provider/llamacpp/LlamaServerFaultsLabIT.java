package dev.orket.provider.llamacpp;

import dev.orket.core.host.MeasuredServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ExecutionLane;
import dev.orket.api.FailureKind;
import dev.orket.api.PromptStyle;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.artifact.TelemetryJson;
import dev.orket.core.telemetry.RunCancellation;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.testkit.lab.LabLane;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The lab-cpu lane's faults of a real llama-server: the whole-run deadline, a cancellation mid-stream and a
 * SIGKILL of the managed server mid-run. The F32 file runs with {@code --ignore-eos --context-shift}, so a request
 * for 4096 tokens keeps the server generating for seconds (the tiny model's 512-token context would otherwise end
 * it after about 500); one thread and one slot, so a slot the client did not free would delay the next run by
 * those seconds.
 */
class LlamaServerFaultsLabIT {

    private static final Duration PROMPT = Duration.ofSeconds(1);
    private static LabLane.LlamaServerLab lab;

    @BeforeAll
    static void lab() {
        lab = LabLane.llamaServer(LlamaServerFaultsLabIT.class);
    }

    private static ManagedLlamaServer.Options options() {
        return ManagedLlamaServer.options(lab.executable(), lab.gguf("F32")).contextSize(512).threads(1).seed(42L)
                .parallel(1).extraArgs(List.of("--no-ui", "--ignore-eos", "--context-shift"))
                .startupDeadline(Duration.ofSeconds(60));
    }

    private static RunRequest endless(String id, boolean stream, Duration timeout) {
        return RunRequest.builder(id, "tiny", "The quick brown fox jumps over the lazy dog")
                .promptStyle(PromptStyle.COMPLETION).stream(stream).maxOutputTokens(4096).seed(42L).temperature(0.0)
                .quantTag("F32").executionLane(ExecutionLane.LAB).timeout(timeout).build();
    }

    private static RunRequest short16(String id) {
        return endless(id, true, Duration.ofSeconds(10)).toBuilder().maxOutputTokens(16).build();
    }

    /** Runs one and checks the next run on the same server starts at once: the first one freed the slot. */
    private static RunTelemetry nextRunIsPrompt(RunExecutor executor, LlamaCppProvider provider, String id) {
        long started = System.nanoTime();
        RunTelemetry next = executor.execute(provider, short16(id)).telemetry();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(next.outcome().terminalState()).as(id + " " + next.outcome()).isEqualTo(TerminalState.COMPLETED);
        assertThat(took).as(id + ": the slot was free at once (an unfreed slot would hold it for seconds)")
                .isLessThan(PROMPT);
        return next;
    }

    @Test
    @DisplayName("timeout_ms 150 on a 4096-token F32 stream ends FAILED/TIMEOUT well under a second, chunks counted,"
            + " full record, and the server stops generating so the next run starts at once")
    void wholeRunDeadline() {
        long started = System.nanoTime();
        int runs = 0;
        try (ManagedLlamaServer server = ManagedLlamaServer.start(options());
                LlamaCppProvider provider = new LlamaCppProviderFactory().create(ProviderConfig.of(server.baseUrl()))) {
            AtomicLong deltas = new AtomicLong();
            RunExecutor counting = RunExecutor.builder().listener((event, nanos, state) -> {
                if (event instanceof WireEvent.ContentDelta) {
                    deltas.incrementAndGet();
                }
            }).build();
            RunExecutor executor = RunExecutor.builder().build();
            nextRunIsPrompt(executor, provider, "warm-up");
            runs++;

            long runStarted = System.nanoTime();
            RunTelemetry timedOut = counting.execute(provider, endless("deadline-150ms", true, Duration.ofMillis(150)),
                    Set.of(server.pid())).telemetry();
            Duration took = Duration.ofNanos(System.nanoTime() - runStarted);
            runs++;
            assertThat(timedOut.outcome().terminalState()).isEqualTo(TerminalState.FAILED);
            assertThat(timedOut.outcome().failureKind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(timedOut.outcome().failureMessage()).contains("whole-run deadline of 150 ms");
            assertThat(took).as("real time the run took").isLessThan(Duration.ofMillis(900));
            assertThat(timedOut.wallSeconds().require()).isLessThan(0.9);
            assertThat(timedOut.tokenMetrics().chunkCount()).as("chunks that arrived").isPositive()
                    .isEqualTo(deltas.get());
            assertThat(TelemetryJson.toJson(timedOut)).contains("\"internal_model_seconds\":null",
                    "\"orchestration_overhead_ratio\":null", "\"run_quality_reasons\":[", "\"client_connect_ms\":");

            nextRunIsPrompt(executor, provider, "after-deadline");
            runs++;
            assertThat(server.stderrTail()).as("llama-server's log: it cancelled the task when the connection closed")
                    .contains("cancel task");

            RunTelemetry whole = executor.execute(provider, endless("deadline-150ms-whole", false,
                    Duration.ofMillis(150))).telemetry();
            runs++;
            assertThat(whole.outcome().failureKind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(whole.wallSeconds().require()).isLessThan(0.9);
        }
        LabLane.printTotals("whole-run deadline on F32 (150 ms of 4096 tokens, stream and whole)", runs, 1,
                Duration.ofNanos(System.nanoTime() - started));
    }

    @Test
    @DisplayName("cancelling a run mid-stream gives CANCELLED with the reason and chunks counted; the next run succeeds"
            + " at once")
    void cancelMidStream() throws Exception {
        long started = System.nanoTime();
        int runs = 0;
        try (ManagedLlamaServer server = ManagedLlamaServer.start(options());
                LlamaCppProvider provider = new LlamaCppProviderFactory().create(ProviderConfig.of(server.baseUrl()))) {
            CountDownLatch firstToken = new CountDownLatch(1);
            RunExecutor watching = RunExecutor.builder().listener((event, nanos, state) -> {
                if (event instanceof WireEvent.ContentDelta) {
                    firstToken.countDown();
                }
            }).build();
            RunCancellation cancellation = new RunCancellation();
            CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
                try {
                    if (firstToken.await(30, TimeUnit.SECONDS)) {
                        Thread.sleep(50);
                        cancellation.cancel("lab: the operator stopped the run");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long runStarted = System.nanoTime();
            RunTelemetry cancelled = watching.execute(provider, endless("cancel-mid-stream", true,
                    Duration.ofSeconds(30)), MeasuredServer.ofPids(Set.of(server.pid())), Map.of(), cancellation).telemetry();
            Duration took = Duration.ofNanos(System.nanoTime() - runStarted);
            canceller.get(5, TimeUnit.SECONDS);
            runs++;
            assertThat(cancelled.outcome().terminalState()).isEqualTo(TerminalState.CANCELLED);
            assertThat(cancelled.outcome().failureMessage()).isEqualTo("lab: the operator stopped the run");
            assertThat(cancelled.tokenMetrics().chunkCount()).isPositive();
            assertThat(took).as("the run ends at the cancellation, not at the end of 4096 tokens")
                    .isLessThan(Duration.ofSeconds(2));
            assertThat(Thread.currentThread().isInterrupted()).as("no interrupt left on the caller").isFalse();

            nextRunIsPrompt(RunExecutor.builder().build(), provider, "after-cancel");
            runs++;
            assertThat(server.stderrTail()).contains("cancel task");
        }
        LabLane.printTotals("cancellation mid-stream on F32", runs, 1, Duration.ofNanos(System.nanoTime() - started));
    }

    @Test
    @DisplayName("SIGKILL of the managed server mid-run gives a FAILED run with a connection-level kind, never a hang;"
            + " the next run on the dead server is refused at once")
    void sigkillMidRun() throws Exception {
        long started = System.nanoTime();
        int runs = 0;
        try (ManagedLlamaServer server = ManagedLlamaServer.start(options());
                LlamaCppProvider provider = new LlamaCppProviderFactory().create(ProviderConfig.of(server.baseUrl()))) {
            CountDownLatch firstToken = new CountDownLatch(1);
            RunExecutor watching = RunExecutor.builder().listener((event, nanos, state) -> {
                if (event instanceof WireEvent.ContentDelta) {
                    firstToken.countDown();
                }
            }).build();
            CompletableFuture<RunTelemetry> run = CompletableFuture.supplyAsync(() -> watching.execute(provider,
                    endless("sigkill-mid-run", true, Duration.ofSeconds(60)), Set.of(server.pid())).telemetry());
            assertThat(firstToken.await(30, TimeUnit.SECONDS)).as("the stream started").isTrue();
            long killed = System.nanoTime();
            ProcessHandle.of(server.pid()).ifPresent(ProcessHandle::destroyForcibly);
            RunTelemetry t = run.get(10, TimeUnit.SECONDS);
            Duration afterKill = Duration.ofNanos(System.nanoTime() - killed);
            runs++;
            assertThat(t.outcome().terminalState()).isEqualTo(TerminalState.FAILED);
            assertThat(t.outcome().failureKind()).as(t.outcome().toString()).isEqualTo(FailureKind.CONNECTION_CLOSED);
            assertThat(t.tokenMetrics().chunkCount()).isPositive();
            assertThat(afterKill).as("the run ended soon after the kill").isLessThan(Duration.ofSeconds(5));

            long again = System.nanoTime();
            RunTelemetry refused = RunExecutor.builder().build().execute(provider, short16("after-sigkill"))
                    .telemetry();
            runs++;
            assertThat(refused.outcome().failureKind()).isIn(FailureKind.CONNECTION_REFUSED,
                    FailureKind.CONNECTION_CLOSED);
            assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofSeconds(5));
        }
        LabLane.printTotals("SIGKILL of the managed server mid-run", runs, 1,
                Duration.ofNanos(System.nanoTime() - started));
    }
}
