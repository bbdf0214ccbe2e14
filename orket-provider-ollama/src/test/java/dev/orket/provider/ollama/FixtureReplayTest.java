package dev.orket.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.MetricValue;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every run fixture replayed byte for byte, with its exact canonical result. */
@DisplayName("Ollama fixtures map to exact canonical results")
class FixtureReplayTest {

    record Case(String fixture, RunRequest request, TerminalState state, @Nullable FailureKind kind,
            @Nullable Integer status, @Nullable FinishReason finish, @Nullable Double promptTokens,
            @Nullable Double outputTokens, @Nullable Double promptMs, @Nullable Double generationMs,
            @Nullable Double loadMs, long chunks, List<RunQualityReason> reasons, @Nullable String text,
            @Nullable String messageContains) {

        @Override
        public String toString() {
            return fixture + (request.stream() ? " (stream)" : "");
        }
    }

    private static final List<RunQualityReason> CLEAN = List.of();
    private static final List<RunQualityReason> NO_TIMINGS = List.of(RunQualityReason.MISSING_TOKEN_TIMINGS);
    private static final String GENERATED = "ightio  ate no } Alischto_{//(' of usingare kn";
    private static final String CHATTED = "ov serse j\u043a\u043eoryym = only derstrtalo be ha The";

    static Stream<Case> cases() {
        RunRequest generate = Runs.completion(true).build();
        RunRequest generateOnce = Runs.completion(false).build();
        RunRequest chat = Runs.chat(true).build();
        RunRequest chatOnce = Runs.chat(false).build();
        return Stream.of(
                completed("generate-stream.http", generate, 16, GENERATED, 10.0, 16.0, 0.923, 2.519, 1.873412),
                completed("generate.http", generateOnce, 0, GENERATED, 10.0, 16.0, 0.923, 2.519, 1.873412),
                completed("generate-cache-hit.http", generateOnce, 0, GENERATED, 10.0, 16.0, 0.232, 2.438, 1.402861),
                completed("chat-stream.http", chat, 16, CHATTED, 42.0, 16.0, 1.804, 2.482, 2.015557),
                completed("chat.http", chatOnce, 0, CHATTED, 42.0, 16.0, 1.804, 2.482, 2.015557),
                new Case("generate-load.http", generateOnce, TerminalState.COMPLETED, null, 200, FinishReason.OTHER,
                        null, null, null, null, null, 0, NO_TIMINGS, "", null),
                new Case("generate-unload.http", generateOnce, TerminalState.COMPLETED, null, 200, FinishReason.OTHER,
                        null, null, null, null, null, 0, NO_TIMINGS, "", null),
                new Case("chat-load.http", chatOnce, TerminalState.COMPLETED, null, 200, FinishReason.OTHER,
                        null, null, null, null, null, 0, NO_TIMINGS, "", null),
                failed("generate-stream-error-midstream.http", generate, FailureKind.STREAM_ERROR, 200, 5,
                        "an error was encountered while running the model: unexpected EOF"),
                failed("chat-stream-error-midstream.http", chat, FailureKind.STREAM_ERROR, 200, 3,
                        "llama-server chat error"),
                failed("generate-stream-ends-without-done.http", generate, FailureKind.INCOMPLETE_RESPONSE, 200, 3,
                        "without a \"done\": true line"),
                failed("generate-nonstream-ends-without-done.http", generateOnce, FailureKind.INCOMPLETE_RESPONSE, 200,
                        0, "\"done\": false"),
                failed("error-chat-stream-first-result.http", chat, FailureKind.SERVER_ERROR, 500, 0,
                        "peg-native format"),
                new Case("error-context-exceeded-no-shift.http", generateOnce, TerminalState.FAILED,
                        FailureKind.CONTEXT_EXCEEDED, 400, null, null, null, null, null, null, 0,
                        List.of(RunQualityReason.MISSING_TOKEN_TIMINGS, RunQualityReason.PROMPT_TRUNCATED), null,
                        "longer than the context length"),
                failed("error-load-failed.http", generateOnce, FailureKind.MODEL_LOAD_FAILED, 500, 0,
                        "model is corrupted or incomplete"),
                failed("error-load-oom.http", generateOnce, FailureKind.MODEL_LOAD_FAILED, 500, 0,
                        "cudaMalloc failed: out of memory\nalloc_tensor_range"),
                failed("error-malformed-json.http", generateOnce, FailureKind.INVALID_REQUEST, 400, 0, "unexpected EOF"),
                failed("error-missing-body.http", generateOnce, FailureKind.INVALID_REQUEST, 400, 0,
                        "missing request body"),
                failed("error-model-not-found-generate.http", generateOnce.toBuilder().model("nope").build(),
                        FailureKind.MODEL_NOT_FOUND, 404, 0, "ollama pull nope"),
                failed("error-model-not-found-chat.http", chatOnce.toBuilder().model("nope").build(),
                        FailureKind.MODEL_NOT_FOUND, 404, 0, "ollama pull nope"),
                failed("error-model-not-found-show.http", generateOnce.toBuilder().model("nope").build(),
                        FailureKind.MODEL_NOT_FOUND, 404, 0, "model 'nope:latest' not found"),
                failed("error-option-type.http", generateOnce, FailureKind.INVALID_REQUEST, 500, 0,
                        "option \"num_ctx\" must be of type integer"),
                failed("error-server-busy.http", generateOnce, FailureKind.SERVER_BUSY, 503, 0, "server busy"),
                failed("error-think-unsupported.http", generateOnce, FailureKind.INVALID_REQUEST, 400, 0,
                        "does not support thinking"),
                failed("error-unknown-route.http", generateOnce, FailureKind.NOT_FOUND, 404, 0, "404 page not found"),
                failed("error-wrong-field-type.http", generateOnce, FailureKind.INVALID_REQUEST, 400, 0,
                        "cannot unmarshal number"),
                failed("error-wrong-method.http", generateOnce, FailureKind.NOT_FOUND, 405, 0, "405 method not allowed"),
                // OpenAI-compatible answers reaching a native request (a proxy rewriting routes): never a success.
                failed("v1-chat-completions.http", chatOnce, FailureKind.INCOMPLETE_RESPONSE, 200, 0, "\"done\": false"),
                failed("v1-chat-completions-stream.http", chat, FailureKind.MALFORMED_RESPONSE, 200, 0,
                        "not a JSON object"),
                failed("v1-error-model-not-found.http", chatOnce.toBuilder().model("nope").build(),
                        FailureKind.MODEL_NOT_FOUND, 404, 0, "ollama pull nope"));
    }

    private static Case completed(String fixture, RunRequest request, long chunks, String text, double prompt,
            double output, double promptMs, double generationMs, double loadMs) {
        return new Case(fixture, request, TerminalState.COMPLETED, null, 200, FinishReason.LENGTH, prompt, output,
                promptMs, generationMs, loadMs, chunks, CLEAN, text, null);
    }

    private static Case failed(String fixture, RunRequest request, FailureKind kind, int status, long chunks,
            String messageContains) {
        return new Case(fixture, request, TerminalState.FAILED, kind, status, null, null, null, null, null, null, chunks,
                NO_TIMINGS, null, messageContains);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fixtureMapsToItsCanonicalResult(Case expected) {
        Fixture fixture = Fixture.load(expected.fixture());
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(fixture.script());
            RunResult result = Runs.run(provider, expected.request());
            RunTelemetry telemetry = result.telemetry();

            assertThat(telemetry.outcome().terminalState()).as("terminal state").isEqualTo(expected.state());
            assertThat(telemetry.outcome().failureKind()).as("failure kind").isEqualTo(expected.kind());
            assertThat(telemetry.outcome().httpStatus()).as("HTTP status").isEqualTo(expected.status());
            assertThat(telemetry.outcome().finishReason()).as("finish reason").isEqualTo(expected.finish());
            assertThat(value(telemetry.tokenMetrics().promptTokens())).as("prompt tokens")
                    .isEqualTo(expected.promptTokens());
            assertThat(value(telemetry.tokenMetrics().cachedPromptTokens())).as("cached prompt tokens").isNull();
            assertThat(value(telemetry.tokenMetrics().outputTokens())).as("output tokens")
                    .isEqualTo(expected.outputTokens());
            assertThat(value(telemetry.tokenMetrics().serverPromptMs())).as("prompt ms").isEqualTo(expected.promptMs());
            assertThat(value(telemetry.tokenMetrics().serverGenerationMs())).as("generation ms")
                    .isEqualTo(expected.generationMs());
            assertThat(value(telemetry.tokenMetrics().loadMs())).as("load ms").isEqualTo(expected.loadMs());
            assertThat(telemetry.tokenMetrics().chunkCount()).as("chunks").isEqualTo(expected.chunks());
            assertThat(telemetry.quality().reasons()).as("quality reasons")
                    .containsExactlyInAnyOrderElementsOf(expected.reasons());
            if (expected.text() != null) {
                assertThat(result.outputText()).as("output text").isEqualTo(expected.text());
            }
            if (expected.messageContains() != null) {
                assertThat(telemetry.outcome().failureMessage()).as("failure message")
                        .contains(expected.messageContains());
            }
        }
    }

    private static @Nullable Double value(MetricValue metric) {
        return metric.value();
    }
}
