package dev.orket.testkit;

import static dev.orket.testkit.assertj.OrketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.Capability;
import dev.orket.api.FinishReason;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.UnavailableReason;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.server.Answer;
import dev.orket.simulator.server.RecordedRequest;
import dev.orket.simulator.server.ScriptTimeline;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Streaming runs on exact timelines. */
abstract class StreamingContract extends ContractGroup {

    @BeforeEach
    void requireStreaming() {
        assumeDeclared(Capability.STREAMING);
    }

    private RunResult stream(ContractRun run, Answer answer, ScriptTimeline timeline) {
        run.server().enqueue(contract().dialect().streaming(answer, timeline));
        RunResult result = run.execute(contract().request("stream-run", true));
        assertNoLockstepMisses(run);
        return result;
    }

    @Test
    @DisplayName("measures client TTFT, time per output token and wall time exactly on the scripted timeline")
    void clientTimings() {
        Expected expected = new Expected(contract().answer(), contract().timeline(), contract().dialect());
        try (ContractRun run = run()) {
            RunTelemetry t = stream(run, expected.answer, expected.timeline).telemetry();
            assertThat(t).isCompleted().hasClientTtftMs(expected.ttftMs())
                    .hasClientTimePerOutputTokenMs(expected.timePerOutputTokenMs()).hasWallSeconds(expected.wallSeconds());
        }
    }

    @Test
    @DisplayName("maps the server's token counts and timings with the right units")
    void serverFigures() {
        Expected expected = new Expected(contract().answer(), contract().timeline(), contract().dialect());
        try (ContractRun run = run()) {
            RunTelemetry t = stream(run, expected.answer, expected.timeline).telemetry();
            assertThat(t).isCompleted().hasTokenMetricsStatus(TokenMetricsStatus.OK)
                    .hasPromptTokens(expected.promptTokens()).hasOutputTokens(expected.outputTokens())
                    .hasTotalTokens(expected.promptTokens() + expected.outputTokens())
                    .hasServerPromptMs(expected.serverPromptMs()).hasServerGenerationMs(expected.serverGenerationMs())
                    .hasInternalModelSeconds(expected.internalModelSeconds())
                    .hasOrchestrationOverheadRatio(expected.orchestrationOverheadRatio()).isClean().isValid();
            if (expected.loadMs() != null) {
                assertThat(t).hasLoadMs(expected.loadMs());
            }
            if (expected.cachedPromptTokens() != null) {
                assertThat(t).hasCachedPromptTokens(expected.cachedPromptTokens());
            }
        }
    }

    @Test
    @DisplayName("reports every token's text in order, one content chunk per event")
    void content() {
        Answer answer = contract().answer();
        try (ContractRun run = run()) {
            RunResult result = stream(run, answer, contract().timeline());
            assertThat(result.outputText()).isEqualTo(answer.text());
            assertThat(result.telemetry()).hasChunkCount(answer.outputTokens())
                    .hasFinishReason(FinishReason.LENGTH);
        }
    }

    @Test
    @DisplayName("sends one streaming request to the dialect's path")
    void request() {
        try (ContractRun run = run()) {
            stream(run, contract().answer(), contract().timeline());
            RecordedRequest request = run.server().takeRequest(Duration.ofSeconds(1));
            assertThat(request).isNotNull();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo(contract().dialect().path());
            assertThat(request.jsonField("stream")).as("the request's stream field").isNotEqualTo("false");
            assertThat(run.server().requestCount()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("keeps exact timings on a second timeline (nothing is hard-coded)")
    void otherTimeline() {
        ScriptTimeline timeline = new ScriptTimeline(Duration.ofMillis(2), Duration.ofMillis(123), Duration.ofMillis(7),
                Duration.ofMillis(1), Duration.ofMillis(3), Duration.ofMillis(20));
        Answer answer = contract().answer().withPrompt(37, 0);
        Expected expected = new Expected(answer, timeline, contract().dialect());
        try (ContractRun run = run()) {
            RunTelemetry t = stream(run, answer, timeline).telemetry();
            assertThat(t).isCompleted().hasClientTtftMs(expected.ttftMs())
                    .hasClientTimePerOutputTokenMs(expected.timePerOutputTokenMs()).hasWallSeconds(expected.wallSeconds())
                    .hasPromptTokens(37).hasServerPromptMs(expected.serverPromptMs())
                    .hasInternalModelSeconds(expected.internalModelSeconds())
                    .hasOrchestrationOverheadRatio(expected.orchestrationOverheadRatio());
        }
    }

    @Test
    @DisplayName("reports an end-of-sequence stop as STOP")
    void endOfSequence() {
        try (ContractRun run = run()) {
            RunTelemetry t = stream(run, contract().answer().withFinishReason(FinishReason.STOP), contract().timeline())
                    .telemetry();
            assertThat(t).isCompleted().hasFinishReason(FinishReason.STOP);
        }
    }

    @Test
    @DisplayName("leaves TTFT unavailable with a reason when the stream ends without content")
    void noContent() {
        Answer empty = contract().answer().withTokens(java.util.List.of()).withFinishReason(FinishReason.STOP);
        try (ContractRun run = run()) {
            RunTelemetry t = stream(run, empty, contract().timeline()).telemetry();
            assertThat(t).isCompleted().hasNoClientTtft(UnavailableReason.NO_OUTPUT_TOKENS).hasChunkCount(0);
        }
    }
}
