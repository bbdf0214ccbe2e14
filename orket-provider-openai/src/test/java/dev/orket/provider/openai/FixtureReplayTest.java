package dev.orket.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.MetricValue;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.simulator.VirtualClock;
import dev.orket.simulator.server.RecordedExchange;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every real llama-server {@code /v1} capture (and the error answers a run can meet) through the scripted
 * server on a virtual clock in lock-step with the recorder: the canonical result of each, and exact client times
 * (time to first token and wall time come from the script's timeline, not the machine). The request line and body of
 * each capture decide the run's prompt style and stream flag; GET answers are replayed as if a run had received them.
 */
class FixtureReplayTest {

    private static final ScriptTimeline TIMELINE = ScriptTimeline.DEFAULT;

    /** One row: capture, expected terminal state and failure, counts, server timings, finish, content chunks. */
    record Row(String fixture, TerminalState state, @Nullable FailureKind kind, int httpStatus,
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
                ok("v1-completions.http", 10, 9, 16, 0.229, 2.463, LENGTH, 0),
                ok("v1-completions-stream.http", 10, 9, 16, 0.322, 3.338, LENGTH, 16),
                ok("v1-completions-stream-usage.http", 10, 9, 16, 0.256, 3.297, LENGTH, 16),
                ok("v1-chat-completions.http", 42, 1, 16, 1.804, 2.482, LENGTH, 0),
                ok("v1-chat-completions-eos.http", 42, 41, 1, 0.25, 0.001, FinishReason.STOP, 0),
                ok("v1-chat-completions-logprobs.http", 42, 41, 3, 0.31, 0.345, LENGTH, 0),
                // Without include_usage llama-server sends no usage: the counts come from its timings.
                ok("v1-chat-completions-stream.http", 42, 41, 16, 0.227, 2.289, LENGTH, 16),
                ok("v1-chat-completions-stream-usage.http", 42, 41, 16, 0.204, 3.541, LENGTH, 16),
                // Prompt-progress chunks repeat the role delta and carry no text: they are not tokens.
                ok("v1-chat-completions-stream-progress.http", 436, 1, 4, 2073.393, 87.107, LENGTH, 4),
                failed("error-chat-missing-messages.http", FailureKind.INVALID_REQUEST, 400),
                failed("error-context-exceeded-chat.http", FailureKind.CONTEXT_EXCEEDED, 400),
                failed("error-context-exceeded-chat-stream.http", FailureKind.CONTEXT_EXCEEDED, 400),
                failed("error-malformed-json-chat.http", FailureKind.SERVER_ERROR, 500),
                failed("error-generation-invalid-utf8-chat-stream.http", FailureKind.STREAM_ERROR, 200),
                failed("error-n-exceeds-slots.http", FailureKind.INVALID_REQUEST, 400),
                failed("error-unauthorized.http", FailureKind.UNAUTHORIZED, 401),
                failed("error-unauthorized-wrong-key.http", FailureKind.UNAUTHORIZED, 401),
                failed("error-unknown-endpoint.http", FailureKind.NOT_FOUND, 404),
                failed("error-slots-fail-on-no-slot.http", FailureKind.SERVER_BUSY, 503),
                failed("health-loading.http", FailureKind.MODEL_LOADING, 503));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @DisplayName("a capture replayed on the virtual clock gives its canonical result and exact client times")
    void replay(Row row) {
        RecordedExchange exchange = Fixtures.exchange(row.fixture());
        VirtualClock clock = new VirtualClock();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(clock);
                OpenAiProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(exchange.toScript(TIMELINE));
            RunExecutor executor = RunExecutor.builder().clock(clock).listener(server.lockstep()).build();
            RunTelemetry t = executor.execute(provider,
                    Runs.request(Fixtures.style(exchange), Fixtures.stream(exchange))).telemetry();

            assertThat(t.outcome().terminalState()).as("terminal state (%s)", t.outcome()).isEqualTo(row.state());
            assertThat(t.outcome().failureKind()).as("failure kind").isEqualTo(row.kind());
            assertThat(t.outcome().httpStatus()).as("http status").isEqualTo(row.httpStatus());
            assertThat(t.outcome().finishReason()).as("finish reason").isEqualTo(row.finish());
            assertThat(t.tokenMetrics().chunkCount()).as("chunks").isEqualTo(row.chunks());
            assertCount(t.tokenMetrics().promptTokens(), row.promptTokens(), "prompt tokens");
            assertCount(t.tokenMetrics().cachedPromptTokens(), row.cachedTokens(), "cached prompt tokens");
            assertCount(t.tokenMetrics().outputTokens(), row.outputTokens(), "output tokens");
            assertMs(t.tokenMetrics().serverPromptMs(), row.promptMs(), "server prompt ms");
            assertMs(t.tokenMetrics().serverGenerationMs(), row.generationMs(), "server generation ms");
            if (row.state() == TerminalState.COMPLETED) {
                assertThat(t.tokenMetrics().status()).isEqualTo(TokenMetricsStatus.OK);
                assertThat(t.internalModelSeconds().require()).as("internal model seconds")
                        .isCloseTo((row.promptMs() + row.generationMs()) / 1000, within(1e-12));
                int textChunks = (int) exchange.response().chunks().stream().filter(RecordedExchange::carriesText)
                        .count();
                Duration wall = row.chunks() == 0 ? TIMELINE.firstTokenAt() : TIMELINE.endAt(textChunks);
                assertThat(t.wallSeconds().value()).as("wall seconds").isCloseTo(wall.toNanos() / 1e9, within(1e-9));
                if (row.chunks() > 0) {
                    assertThat(t.tokenMetrics().clientTtftMs().value()).as("client TTFT ms")
                            .isCloseTo(TIMELINE.firstTokenAt().toNanos() / 1e6, within(1e-9));
                } else {
                    assertThat(t.tokenMetrics().clientTtftMs().value()).as("client TTFT ms").isNull();
                }
            } else {
                assertThat(t.outcome().failureMessage()).as("failure message").isNotBlank();
            }
            if (row.kind() == FailureKind.CONTEXT_EXCEEDED) {
                assertThat(t.quality().reasons()).contains(RunQualityReason.PROMPT_TRUNCATED);
                assertThat(t.serverContextSize()).as("the context size the error named").isEqualTo(512);
                assertThat(t.qualityDetails().get(RunQualityReason.PROMPT_TRUNCATED))
                        .isEqualTo("prompt of 2416 tokens exceeds the context of 512 tokens");
            }
            assertThat(server.lockstepMisses()).isEmpty();
        }
    }

    private static void assertCount(MetricValue value, @Nullable Integer expected, String what) {
        if (expected == null) {
            assertThat(value.isPresent()).as(what + " present").isFalse();
        } else {
            assertThat(value.require()).as(what).isEqualTo(expected.doubleValue());
        }
    }

    private static void assertMs(MetricValue value, @Nullable Double expected, String what) {
        if (expected == null) {
            assertThat(value.isPresent()).as(what + " present").isFalse();
        } else {
            assertThat(value.require()).as(what).isEqualTo(expected);
        }
    }
}
