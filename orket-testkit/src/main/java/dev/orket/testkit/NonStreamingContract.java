package dev.orket.testkit;

import static dev.orket.testkit.assertj.OrketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.Capability;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.UnavailableReason;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.server.RecordedRequest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Non-streaming runs on exact timelines, and their agreement with streaming runs. */
abstract class NonStreamingContract extends ContractGroup {

    @BeforeEach
    void requireNonStreaming() {
        assumeDeclared(Capability.NON_STREAMING);
    }

    private RunResult once(ContractRun run, boolean stream) {
        run.server().enqueue(contract().dialect().script(stream, contract().answer(), contract().timeline()));
        RunResult result = run.execute(contract().request(stream ? "stream-run" : "body-run", stream));
        assertNoLockstepMisses(run);
        return result;
    }

    @Test
    @DisplayName("never reports a TTFT: it is unavailable because the run did not stream")
    void noTtft() {
        try (ContractRun run = run()) {
            RunTelemetry t = once(run, false).telemetry();
            assertThat(t).isCompleted().hasNoClientTtft(UnavailableReason.NOT_STREAMING)
                    .hasNoClientTimePerOutputToken(UnavailableReason.NOT_STREAMING).hasChunkCount(0);
        }
    }

    @Test
    @DisplayName("measures wall time and maps server figures exactly")
    void figures() {
        Expected expected = new Expected(contract().answer(), contract().timeline(), contract().dialect());
        try (ContractRun run = run()) {
            RunResult result = once(run, false);
            assertThat(result.outputText()).isEqualTo(expected.answer.text());
            assertThat(result.telemetry()).isCompleted().hasWallSeconds(expected.wallSeconds())
                    .hasTokenMetricsStatus(TokenMetricsStatus.OK).hasPromptTokens(expected.promptTokens())
                    .hasOutputTokens(expected.outputTokens()).hasServerPromptMs(expected.serverPromptMs())
                    .hasServerGenerationMs(expected.serverGenerationMs())
                    .hasInternalModelSeconds(expected.internalModelSeconds())
                    .hasOrchestrationOverheadRatio(expected.orchestrationOverheadRatio()).isClean().isValid();
        }
    }

    @Test
    @DisplayName("sends one non-streaming request to the dialect's path")
    void request() {
        try (ContractRun run = run()) {
            once(run, false);
            RecordedRequest request = run.server().takeRequest(Duration.ofSeconds(1));
            assertThat(request).isNotNull();
            assertThat(request.path()).isEqualTo(contract().dialect().path());
            assertThat(request.jsonField("stream")).as("the request's stream field").isEqualTo("false");
        }
    }

    @Test
    @DisplayName("gives the same canonical counts, timings and status as streaming for the same answer")
    void sameAsStreaming() {
        assumeDeclared(Capability.STREAMING);
        RunTelemetry streamed;
        RunTelemetry whole;
        try (ContractRun run = run()) {
            streamed = once(run, true).telemetry();
        }
        try (ContractRun run = run()) {
            whole = once(run, false).telemetry();
        }
        assertThat(whole.outcome().terminalState()).isEqualTo(streamed.outcome().terminalState());
        assertThat(whole.outcome().finishReason()).isEqualTo(streamed.outcome().finishReason());
        assertThat(whole.tokenMetrics().status()).isEqualTo(streamed.tokenMetrics().status());
        assertThat(whole.tokenMetrics().promptTokens()).isEqualTo(streamed.tokenMetrics().promptTokens());
        assertThat(whole.tokenMetrics().cachedPromptTokens()).isEqualTo(streamed.tokenMetrics().cachedPromptTokens());
        assertThat(whole.tokenMetrics().outputTokens()).isEqualTo(streamed.tokenMetrics().outputTokens());
        assertThat(whole.tokenMetrics().totalTokens()).isEqualTo(streamed.tokenMetrics().totalTokens());
        assertThat(whole.tokenMetrics().serverPromptMs()).isEqualTo(streamed.tokenMetrics().serverPromptMs());
        assertThat(whole.tokenMetrics().serverGenerationMs()).isEqualTo(streamed.tokenMetrics().serverGenerationMs());
        assertThat(whole.internalModelSeconds()).isEqualTo(streamed.internalModelSeconds());
        assertThat(whole.wallSeconds()).isEqualTo(streamed.wallSeconds());
        assertThat(whole.quality()).isEqualTo(streamed.quality());
        assertThat(whole.validity()).isEqualTo(streamed.validity());
    }
}
