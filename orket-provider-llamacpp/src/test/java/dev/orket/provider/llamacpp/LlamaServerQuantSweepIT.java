package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orket.api.ExecutionLane;
import dev.orket.api.PromptStyle;
import dev.orket.api.RunRequest;
import dev.orket.api.TerminalState;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Lab lane: a real {@code llama-server} per GGUF file. Runs only when {@code ORKET_LLAMA_SERVER}
 * (the executable) and {@code ORKET_GGUF_DIR} (e.g. the 13 tiny-random-llama files) are set; not
 * part of the hermetic build ({@code *IT}, not run by surefire). Run with
 * {@code ./mvnw -pl orket-provider-llamacpp -am test -Dtest=LlamaServerQuantSweepIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class LlamaServerQuantSweepIT {

    @Test
    @DisplayName("each quant's server reports its quant tag and completes streamed and whole runs with timings")
    void sweep() throws IOException {
        String exe = System.getenv("ORKET_LLAMA_SERVER");
        String dir = System.getenv("ORKET_GGUF_DIR");
        assumeTrue(exe != null && dir != null, "set ORKET_LLAMA_SERVER and ORKET_GGUF_DIR to run the lab lane");
        List<Path> models;
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            models = files.filter(p -> p.toString().endsWith(".gguf")).sorted().collect(Collectors.toList());
        }
        ManagedLlamaServer.Options options = ManagedLlamaServer.options(Path.of(exe), models.get(0)).contextSize(512)
                .threads(2).seed(42L).parallel(1).extraArgs(List.of("--no-ui")).startupDeadline(Duration.ofSeconds(60));
        RunExecutor executor = RunExecutor.builder().build();
        List<QuantSweep.Cell<List<RunResult>>> cells = QuantSweep.run(options, models, server -> {
            try (LlamaCppProvider provider = server.provider()) {
                assertThat(provider.props().quantTag()).isEqualTo(server.quantTag());
                RunRequest.Builder request = RunRequest.builder("lab", "tiny", "The quick brown fox").maxOutputTokens(16)
                        .seed(42L).temperature(0.0).quantTag(server.quantTag()).executionLane(ExecutionLane.LAB);
                return List.of(
                        executor.execute(provider, request.stream(true).build(), Set.of(server.pid())),
                        executor.execute(provider, request.stream(false).build(), Set.of(server.pid())),
                        executor.execute(provider, request.promptStyle(PromptStyle.CHAT).stream(true).build(),
                                Set.of(server.pid())));
            }
        });
        assertThat(cells).allSatisfy(cell -> {
            assertThat(cell.startFailure()).as(cell.outputTail()).isNull();
            assertThat(cell.result()).allSatisfy(result -> {
                assertThat(result.telemetry().outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
                assertThat(result.telemetry().tokenMetrics().status()).isEqualTo(TokenMetricsStatus.OK);
            });
        });
    }
}
