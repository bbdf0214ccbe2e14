package dev.orket.testkit.reference;

import static dev.orket.testkit.assertj.OrketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.Capability;
import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.RunRequest;
import dev.orket.api.UnavailableReason;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.VirtualClock;
import dev.orket.simulator.server.RecordedExchange;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Real llama-server captures replayed on the virtual clock through the reference provider: exact telemetry. */
class FixtureReplayTest {

    private static RecordedExchange fixture(String name) {
        try (InputStream in = FixtureReplayTest.class.getResourceAsStream("/fixtures/llamacpp/" + name + ".http")) {
            return RecordedExchange.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RunResult replay(String name, boolean stream) {
        VirtualClock clock = new VirtualClock();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(clock);
                ReferenceProvider provider = new ReferenceProvider(ProviderConfig.of(server.baseUri()),
                        EnumSet.allOf(Capability.class))) {
            server.enqueue(fixture(name).toScript(ScriptTimeline.DEFAULT));
            RunResult result = RunExecutor.builder().clock(clock).listener(server.lockstep()).build()
                    .execute(provider, RunRequest.builder(name, "tiny", "The quick brown fox").stream(stream).build());
            assertThat(server.lockstepMisses()).isEmpty();
            return result;
        }
    }

    @Test
    @DisplayName("completion-stream.http: 16 tokens, cache hit of 9, timings in ms, TTFT at 40 ms")
    void stream() {
        RunResult result = replay("completion-stream", true);
        assertThat(result.outputText()).isEqualTo("ightio  ate no } Alischto_{//(' of usingare kn");
        assertThat(result.telemetry()).isCompleted().hasFinishReason(FinishReason.LENGTH).hasClientTtftMs(40.0)
                .hasClientTimePerOutputTokenMs(10.0).hasWallSeconds(0.195).hasPromptTokens(10).hasCachedPromptTokens(9)
                .hasOutputTokens(16).hasServerPromptMs(0.294).hasServerGenerationMs(2.995).hasChunkCount(16)
                .hasInternalModelSeconds(0.003289);
    }

    @Test
    @DisplayName("completion.http: the non-streamed result at 40 ms, no TTFT")
    void whole() {
        assertThat(replay("completion", false).telemetry()).isCompleted().hasWallSeconds(0.04)
                .hasNoClientTtft(UnavailableReason.NOT_STREAMING).hasPromptTokens(10).hasCachedPromptTokens(0)
                .hasServerPromptMs(0.923).hasServerGenerationMs(2.519);
    }

    @Test
    @DisplayName("completion-stream-sse-ping.http: the ping is ignored and the stream completes")
    void ping() {
        assertThat(replay("completion-stream-sse-ping", true).telemetry()).isCompleted().hasClientTtftMs(40.0);
    }

    @Test
    @DisplayName("completion-stop-word-stream.http: a stop word ends the run as STOP_SEQUENCE")
    void stopWord() {
        assertThat(replay("completion-stop-word-stream", true).telemetry()).isCompleted()
                .hasFinishReason(FinishReason.STOP_SEQUENCE);
    }

    @Test
    @DisplayName("error-generation-invalid-utf8-stream.http: an error event on a 200 stream is STREAM_ERROR")
    void streamError() {
        assertThat(replay("error-generation-invalid-utf8-stream", true).telemetry())
                .hasFailed(FailureKind.STREAM_ERROR).hasHttpStatus(200);
    }

    @Test
    @DisplayName("error-malformed-json-completion.http: llama-server's parse error is a 500 SERVER_ERROR")
    void malformedRequest() {
        assertThat(replay("error-malformed-json-completion", false).telemetry())
                .hasFailed(FailureKind.SERVER_ERROR).hasHttpStatus(500).hasWallSeconds(0.04);
    }
}
