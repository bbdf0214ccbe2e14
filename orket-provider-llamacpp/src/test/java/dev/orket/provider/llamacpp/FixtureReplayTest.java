package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.MetricValue;
import dev.orket.api.PromptStyle;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every captured llama-server response through the provider and the core, and checks the
 * canonical result. The request line and body of each capture decide the run's prompt style and
 * stream flag; GET captures of error answers are replayed as run answers.
 */
class FixtureReplayTest {

    /** One row: capture, expected terminal state and failure, counts, server timings, finish, chunks. */
    record Row(String fixture, TerminalState state, @Nullable FailureKind kind, @Nullable Integer httpStatus,
            @Nullable Integer promptTokens, @Nullable Integer cachedTokens, @Nullable Integer outputTokens,
            @Nullable Double promptMs, @Nullable Double generationMs, @Nullable FinishReason finish, long chunks) {
        @Override
        public String toString() {
            return fixture;
        }
    }

    static Row ok(String fixture, int prompt, int cached, int output, double promptMs, double genMs, FinishReason finish,
            long chunks) {
        return new Row(fixture, TerminalState.COMPLETED, null, 200, prompt, cached, output, promptMs, genMs, finish, chunks);
    }

    static Row failed(String fixture, FailureKind kind, int status) {
        return new Row(fixture, TerminalState.FAILED, kind, status, null, null, null, null, null, null, 0);
    }

    static final FinishReason LENGTH = FinishReason.LENGTH;

    static List<Row> rows() {
        return List.of(
                ok("completion.http", 10, 0, 16, 0.923, 2.519, LENGTH, 0),
                ok("completion-cache-hit.http", 10, 9, 16, 0.232, 2.438, LENGTH, 0),
                ok("completion-deferred-while-busy.http", 10, 9, 16, 0.271, 1.568, LENGTH, 0),
                ok("completion-eos.http", 10, 9, 1, 0.214, 0.001, FinishReason.STOP, 0),
                ok("completion-multi-prompt.http", 4, 1, 4, 0.46, 0.666, FinishReason.STOP, 0),
                ok("completion-n-predict-0.http", 10, 9, 1, 0.263, 0.001, LENGTH, 0),
                ok("completion-n-probs.http", 10, 9, 3, 0.243, 0.344, LENGTH, 0),
                ok("completion-stop-word.http", 10, 9, 4, 0.2, 0.491, FinishReason.STOP_SEQUENCE, 0),
                ok("completion-stop-word-stream.http", 10, 9, 4, 0.234, 0.574, FinishReason.STOP_SEQUENCE, 4),
                ok("completion-stream-sse-ping.http", 451, 0, 4, 2232.877, 80.526, LENGTH, 4),
                ok("completion-stream-timings-progress.http", 10, 0, 16, 0.682, 3.315, LENGTH, 16),
                ok("completion-stream.http", 10, 9, 16, 0.294, 2.995, LENGTH, 16),
                ok("cors-simple-request.http", 42, 41, 2, 0.315, 0.173, LENGTH, 0),
                ok("v1-chat-completions.http", 42, 1, 16, 1.804, 2.482, LENGTH, 0),
                ok("v1-chat-completions-eos.http", 42, 41, 1, 0.25, 0.001, FinishReason.STOP, 0),
                ok("v1-chat-completions-logprobs.http", 42, 41, 3, 0.31, 0.345, LENGTH, 0),
                ok("v1-chat-completions-stream.http", 42, 41, 16, 0.227, 2.289, LENGTH, 16),
                ok("v1-chat-completions-stream-usage.http", 42, 41, 16, 0.204, 3.541, LENGTH, 16),
                ok("v1-chat-completions-stream-progress.http", 436, 1, 4, 2073.393, 87.107, LENGTH, 4),
                // OpenAI text completions share the chat reader (choices[].text, usage, [DONE]).
                ok("v1-completions.http", 10, 9, 16, 0.229, 2.463, LENGTH, 0),
                ok("v1-completions-stream.http", 10, 9, 16, 0.322, 3.338, LENGTH, 16),
                ok("v1-completions-stream-usage.http", 10, 9, 16, 0.256, 3.297, LENGTH, 16),
                ok("quant-sweep/completion-BF16.http", 10, 0, 16, 0.957, 4.32, LENGTH, 0),
                ok("quant-sweep/completion-F16.http", 10, 0, 16, 1.05, 4.331, LENGTH, 0),
                ok("quant-sweep/completion-F32.http", 10, 0, 16, 1.205, 4.115, LENGTH, 0),
                ok("quant-sweep/completion-IQ4_XS.http", 10, 0, 16, 4.395, 6.06, LENGTH, 0),
                ok("quant-sweep/completion-Q2_K.http", 10, 0, 16, 2.883, 9.217, LENGTH, 0),
                ok("quant-sweep/completion-Q3_K_M.http", 10, 0, 16, 1.484, 5.345, LENGTH, 0),
                ok("quant-sweep/completion-Q4_0.http", 10, 0, 16, 0.848, 3.341, LENGTH, 0),
                ok("quant-sweep/completion-Q4_K_M.http", 10, 0, 16, 3.074, 3.112, LENGTH, 0),
                ok("quant-sweep/completion-Q4_K_S.http", 10, 0, 16, 1.198, 6.181, LENGTH, 0),
                ok("quant-sweep/completion-Q5_0.http", 10, 0, 16, 1.007, 4.305, LENGTH, 0),
                ok("quant-sweep/completion-Q5_K_M.http", 10, 0, 16, 2.802, 5.225, LENGTH, 0),
                ok("quant-sweep/completion-Q6_K.http", 10, 0, 16, 0.883, 2.772, LENGTH, 0),
                ok("quant-sweep/completion-Q8_0.http", 10, 0, 16, 1.03, 4.574, LENGTH, 0),
                failed("error-chat-missing-messages.http", FailureKind.INVALID_REQUEST, 400),
                failed("error-context-exceeded-chat.http", FailureKind.CONTEXT_EXCEEDED, 400),
                failed("error-context-exceeded-chat-stream.http", FailureKind.CONTEXT_EXCEEDED, 400),
                failed("error-context-exceeded-completion.http", FailureKind.CONTEXT_EXCEEDED, 400),
                failed("error-context-exceeded-completion-stream.http", FailureKind.CONTEXT_EXCEEDED, 400),
                failed("error-empty-prompt.http", FailureKind.INVALID_REQUEST, 400),
                failed("error-generation-invalid-utf8.http", FailureKind.SERVER_ERROR, 500),
                failed("error-generation-invalid-utf8-stream.http", FailureKind.STREAM_ERROR, 200),
                failed("error-generation-invalid-utf8-chat-stream.http", FailureKind.STREAM_ERROR, 200),
                failed("error-invalid-param.http", FailureKind.INVALID_REQUEST, 400),
                failed("error-invalid-param-type.http", FailureKind.INVALID_REQUEST, 400),
                failed("error-malformed-json-chat.http", FailureKind.SERVER_ERROR, 500),
                failed("error-malformed-json-completion.http", FailureKind.SERVER_ERROR, 500),
                failed("error-missing-prompt.http", FailureKind.INVALID_REQUEST, 400),
                failed("error-n-exceeds-slots.http", FailureKind.INVALID_REQUEST, 400),
                failed("error-unauthorized.http", FailureKind.UNAUTHORIZED, 401),
                failed("error-unauthorized-wrong-key.http", FailureKind.UNAUTHORIZED, 401),
                // GET answers replayed as if a run had received them.
                failed("error-metrics-disabled.http", FailureKind.NOT_IMPLEMENTED, 501),
                failed("error-slots-disabled.http", FailureKind.NOT_IMPLEMENTED, 501),
                failed("error-slots-fail-on-no-slot.http", FailureKind.SERVER_BUSY, 503),
                failed("error-unknown-endpoint.http", FailureKind.NOT_FOUND, 404),
                failed("error-wrong-method.http", FailureKind.NOT_FOUND, 404),
                failed("health-loading.http", FailureKind.MODEL_LOADING, 503),
                failed("metrics-initial.http", FailureKind.MALFORMED_RESPONSE, 200),
                failed("cors-preflight.http", FailureKind.MALFORMED_RESPONSE, 200));
    }

    /** Captures of diagnostic endpoints, checked by ProbeAndPropsTest rather than replayed as runs. */
    static final Set<String> DIAGNOSTIC = Set.of("apply-template.http", "auth-health-public.http",
            "auth-v1-models-bearer.http", "detokenize.http", "health-busy.http", "health-v1.http", "health.http",
            "metrics-busy.http", "metrics-final.http", "models.http", "props.http", "slots-busy.http",
            "slots-final.http", "slots-idle.http", "tokenize.http", "v1-models.http");

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @DisplayName("replaying a capture gives its canonical result")
    void replay(Row row) throws IOException {
        Fixture fixture = Fixture.load(row.fixture());
        PromptStyle style = fixture.requestLine().contains(" /completion ") || fixture.requestLine().startsWith("GET")
                || fixture.requestLine().startsWith("OPTIONS") ? PromptStyle.COMPLETION : PromptStyle.CHAT;
        boolean stream = fixture.requestBody().contains("\"stream\":true");
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(fixture.script());
            RunResult result = Runs.execute(provider, Runs.request(style, stream));
            RunTelemetry t = result.telemetry();
            assertThat(t.outcome().terminalState()).as("terminal state").isEqualTo(row.state());
            assertThat(t.outcome().failureKind()).as("failure kind").isEqualTo(row.kind());
            assertThat(t.outcome().httpStatus()).as("http status").isEqualTo(row.httpStatus());
            assertThat(t.outcome().finishReason()).as("finish reason").isEqualTo(row.finish());
            assertCount(t.tokenMetrics().promptTokens(), row.promptTokens(), "prompt tokens");
            assertCount(t.tokenMetrics().cachedPromptTokens(), row.cachedTokens(), "cached prompt tokens");
            assertCount(t.tokenMetrics().outputTokens(), row.outputTokens(), "output tokens");
            assertMs(t.tokenMetrics().serverPromptMs(), row.promptMs(), "server prompt ms");
            assertMs(t.tokenMetrics().serverGenerationMs(), row.generationMs(), "server generation ms");
            assertThat(t.tokenMetrics().chunkCount()).as("chunks").isEqualTo(row.chunks());
            if (row.state() == TerminalState.FAILED) {
                assertThat(t.outcome().failureMessage()).as("failure message").isNotBlank();
            }
            if (row.kind() == FailureKind.CONTEXT_EXCEEDED) {
                assertThat(t.quality().reasons()).contains(RunQualityReason.PROMPT_TRUNCATED);
                assertThat(t.serverContextSize()).isEqualTo(512);
                assertThat(t.outcome().failureMessage()).contains("exceeds the available context size (512 tokens)");
            }
            if (row.state() == TerminalState.COMPLETED && row.outputTokens() != null && row.outputTokens() > 1
                    && row.finish() == LENGTH) {
                assertThat(result.outputText()).isNotEmpty();
            }
        }
    }

    @Test
    @DisplayName("every capture is either replayed as a run or checked as a diagnostic answer")
    void everyFixtureIsCovered() throws IOException, URISyntaxException {
        Path root = Path.of(FixtureReplayTest.class.getClassLoader().getResource("fixtures/llamacpp").toURI());
        Set<String> all;
        try (Stream<Path> files = Files.walk(root)) {
            all = files.filter(p -> p.toString().endsWith(".http")).map(p -> root.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> covered = new TreeSet<>(DIAGNOSTIC);
        rows().forEach(r -> covered.add(r.fixture()));
        all.stream().filter(name -> name.startsWith("quant-sweep/props-") || name.startsWith("quant-sweep/v1-models-"))
                .forEach(covered::add);
        assertThat(covered).containsAll(all);
    }

    private static void assertCount(MetricValue actual, @Nullable Integer expected, String what) {
        if (expected == null) {
            assertThat(actual.value()).as(what).isNull();
        } else {
            assertThat(actual.value()).as(what).isEqualTo(expected.doubleValue());
        }
    }

    private static void assertMs(MetricValue actual, @Nullable Double expected, String what) {
        if (expected == null) {
            assertThat(actual.value()).as(what).isNull();
        } else {
            assertThat(actual.value()).as(what).isCloseTo(expected, within(1e-9));
        }
    }
}
