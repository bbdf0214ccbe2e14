package dev.orket.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.FailureKind;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.VirtualClock;
import dev.orket.simulator.server.RecordedExchange;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ScriptedInferenceServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The captured streams replayed through the testkit's scripted server on a virtual clock in
 * lock-step, so client-measured times are exact: headers at 5 ms, first token at 40 ms, one token
 * every 10 ms, the final line 5 ms after the last token.
 */
@DisplayName("Fixtures replayed on the virtual clock give exact client timings")
class TestkitReplayTest {

    private static RunResult replay(String fixture, RunRequest request) {
        VirtualClock clock = new VirtualClock();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(clock);
                OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(RecordedExchange.parse(Fixture.resource("/fixtures/ollama/" + fixture))
                    .toScript(ScriptTimeline.DEFAULT));
            RunResult result = RunExecutor.builder().clock(clock).listener(server.lockstep()).policy(Runs.POLICY).build()
                    .execute(provider, request);
            assertThat(server.lockstepMisses()).as("lock-step misses").isEmpty();
            return result;
        }
    }

    private static @Nullable Double ms(dev.orket.api.MetricValue value) {
        return value.value();
    }

    @Test
    @DisplayName("generate-stream: TTFT 40 ms, 10 ms per token, wall 195 ms, overhead from server times")
    void generateStream() {
        RunTelemetry t = replay("generate-stream.http", Runs.completion(true).build()).telemetry();
        assertThat(t.outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
        assertThat(ms(t.tokenMetrics().clientTtftMs())).isEqualTo(40.0);
        assertThat(ms(t.tokenMetrics().clientTimePerOutputTokenMs())).isEqualTo(10.0);
        assertThat(t.tokenMetrics().chunkCount()).isEqualTo(16);
        assertThat(ms(t.wallSeconds())).isEqualTo(0.195);
        assertThat(ms(t.internalModelSeconds())).isEqualTo((0.923 + 2.519 + 1.873412) / 1000.0);
        assertThat(ms(t.tokenMetrics().generationTokensPerSecond())).isEqualTo(16 * 1000 / 2.519);
    }

    @Test
    @DisplayName("chat-stream: same timeline over /api/chat")
    void chatStream() {
        RunTelemetry t = replay("chat-stream.http", Runs.chat(true).build()).telemetry();
        assertThat(t.outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
        assertThat(ms(t.tokenMetrics().clientTtftMs())).isEqualTo(40.0);
        assertThat(ms(t.wallSeconds())).isEqualTo(0.195);
        assertThat(ms(t.tokenMetrics().promptTokens())).isEqualTo(42.0);
    }

    @Test
    @DisplayName("an error line after five tokens fails at the error's time with the tokens kept")
    void errorMidStream() {
        RunTelemetry t = replay("generate-stream-error-midstream.http", Runs.completion(true).build()).telemetry();
        assertThat(t.outcome().failureKind()).isEqualTo(FailureKind.STREAM_ERROR);
        assertThat(ms(t.tokenMetrics().clientTtftMs())).isEqualTo(40.0);
        assertThat(t.tokenMetrics().chunkCount()).isEqualTo(5);
        assertThat(ms(t.wallSeconds())).isEqualTo(0.085);
    }

    @Test
    @DisplayName("a stream ending without done:true is INCOMPLETE_RESPONSE at its end")
    void endsWithoutDone() {
        RunTelemetry t = replay("generate-stream-ends-without-done.http", Runs.completion(true).build()).telemetry();
        assertThat(t.outcome().failureKind()).isEqualTo(FailureKind.INCOMPLETE_RESPONSE);
        assertThat(t.tokenMetrics().chunkCount()).isEqualTo(3);
    }

    @Test
    @DisplayName("non-streaming: no TTFT, wall = the body's time")
    void nonStreaming() {
        RunTelemetry t = replay("generate.http", Runs.completion(false).build()).telemetry();
        assertThat(t.outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
        assertThat(ms(t.tokenMetrics().clientTtftMs())).isNull();
        assertThat(ms(t.wallSeconds())).isEqualTo(0.040);
        assertThat(ms(t.tokenMetrics().serverPromptMs())).isEqualTo(0.923);
    }
}
