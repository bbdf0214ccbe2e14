package dev.orket.core.telemetry;

import static dev.orket.core.telemetry.ScriptedProvider.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.Provenance;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunQualityStatus;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.UnavailableReason;
import dev.orket.api.spi.WireEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Telemetry on a virtual clock")
class TelemetryExactValuesTest {

    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    private final ManualClock clock = new ManualClock();

    private RunResult run(RunRequest request, List<ScriptedProvider.Step> steps) {
        RunExecutor executor = RunExecutor.builder()
                .clock(clock)
                .wallClock(Clock.fixed(START, ZoneOffset.UTC))
                .build();
        return executor.execute(new ScriptedProvider(clock, steps), request);
    }

    private static RunRequest request(boolean stream) {
        return RunRequest.builder("run-1", "tiny", "The quick brown fox").quantTag("Q4_K_M").stream(stream).build();
    }

    /** Prompt 62.5 ms + generation 156.25 ms over a 250 ms wall: every figure is exact in binary. */
    private static List<ScriptedProvider.Step> serverReport() {
        return List.of(
                at(0, new WireEvent.ServerUsage(10, 0, 5)),
                at(0, new WireEvent.ServerTimings(62.5, 156.25, null)));
    }

    private static List<ScriptedProvider.Step> streamingAnswer() {
        List<ScriptedProvider.Step> steps = new ArrayList<>();
        steps.add(at(0, new WireEvent.RequestSent()));
        steps.add(at(10, new WireEvent.ResponseStarted(200)));
        steps.add(at(40, new WireEvent.ContentDelta("a", 1)));
        steps.add(at(40, new WireEvent.ContentDelta("b", 1)));
        steps.add(at(40, new WireEvent.ContentDelta("c", 1)));
        steps.add(at(40, new WireEvent.ContentDelta("d", 1)));
        steps.add(at(40, new WireEvent.ContentDelta("e", 1)));
        steps.add(at(30, serverReport().get(0).event()));
        steps.add(at(0, serverReport().get(1).event()));
        steps.add(at(10, new WireEvent.Completed(FinishReason.LENGTH)));
        return steps;
    }

    private static List<ScriptedProvider.Step> nonStreamingAnswer() {
        List<ScriptedProvider.Step> steps = new ArrayList<>();
        steps.add(at(0, new WireEvent.RequestSent()));
        steps.add(at(240, new WireEvent.ResponseStarted(200)));
        steps.add(at(5, new WireEvent.ResponseBody("abcde")));
        steps.addAll(serverReport());
        steps.add(at(5, new WireEvent.Completed(FinishReason.LENGTH)));
        return steps;
    }

    @Test
    @DisplayName("a streamed answer yields exact TTFT, time per token, wall, internal time and overhead")
    void streamingExactValues() {
        RunResult result = run(request(true), streamingAnswer());
        RunTelemetry t = result.telemetry();

        assertThat(t.outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
        assertThat(t.outcome().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(t.outcome().httpStatus()).isEqualTo(200);
        assertThat(t.tokenMetrics().clientTtftMs().value()).isEqualTo(50.0);
        assertThat(t.tokenMetrics().clientTtftMs().provenance()).isEqualTo(Provenance.CLIENT_MEASURED);
        assertThat(t.tokenMetrics().clientTimePerOutputTokenMs().value()).isEqualTo(40.0);
        assertThat(t.wallSeconds().value()).isEqualTo(0.25);
        assertThat(t.internalModelSeconds().value()).isEqualTo(0.21875);
        assertThat(t.internalModelSeconds().provenance()).isEqualTo(Provenance.DERIVED);
        assertThat(t.orchestrationOverheadRatio().value()).isEqualTo(0.125);
        assertThat(t.tokenMetrics().promptTokensPerSecond().value()).isEqualTo(160.0);
        assertThat(t.tokenMetrics().generationTokensPerSecond().value()).isEqualTo(32.0);
        assertThat(t.tokenMetrics().totalTokens().value()).isEqualTo(15.0);
        assertThat(t.tokenMetrics().chunkCount()).isEqualTo(5);
        assertThat(t.tokenMetrics().status()).isEqualTo(TokenMetricsStatus.OK);
        assertThat(t.quality().status()).isEqualTo(RunQualityStatus.CLEAN);
        assertThat(t.validity().valid()).isTrue();
        assertThat(t.startedAt()).isEqualTo(START);
        assertThat(t.endedAt()).isEqualTo(START.plusMillis(250));
        assertThat(result.outputText()).isEqualTo("abcde");
    }

    @Test
    @DisplayName("connect time is its own field: a 7 ms connect changes neither TTFT nor wall time nor overhead")
    void connectTimeIsApart() {
        List<ScriptedProvider.Step> steps = new ArrayList<>();
        steps.add(at(3, new WireEvent.ConnectStarted()));
        steps.add(at(7, new WireEvent.Connected()));
        steps.addAll(streamingAnswer());
        RunTelemetry t = run(request(true), steps).telemetry();

        assertThat(t.tokenMetrics().clientConnectMs().value()).isEqualTo(7.0);
        assertThat(t.tokenMetrics().clientConnectMs().provenance()).isEqualTo(Provenance.CLIENT_MEASURED);
        assertThat(t.tokenMetrics().clientTtftMs().value()).isEqualTo(50.0);
        assertThat(t.wallSeconds().value()).isEqualTo(0.25);
        assertThat(t.orchestrationOverheadRatio().value()).isEqualTo(0.125);
        assertThat(t.endedAt()).isEqualTo(START.plusMillis(260));
    }

    @Test
    @DisplayName("connect time is unavailable with the reason: reused, cut short, or never reported")
    void connectTimeReasons() {
        List<ScriptedProvider.Step> reused = new ArrayList<>();
        reused.add(at(0, new WireEvent.ConnectionReused()));
        reused.addAll(streamingAnswer());
        assertThat(run(request(true), reused).telemetry().tokenMetrics().clientConnectMs().unavailableReason())
                .isEqualTo(UnavailableReason.CONNECTION_REUSED);

        List<ScriptedProvider.Step> refused = List.of(at(0, new WireEvent.ConnectStarted()),
                at(2, new WireEvent.Failed(FailureKind.CONNECTION_REFUSED, "refused", null)));
        assertThat(run(request(true), refused).telemetry().tokenMetrics().clientConnectMs().unavailableReason())
                .isEqualTo(UnavailableReason.RUN_ENDED_EARLY);

        assertThat(run(request(true), streamingAnswer()).telemetry().tokenMetrics().clientConnectMs()
                .unavailableReason()).isEqualTo(UnavailableReason.NOT_REPORTED_BY_PROVIDER);
    }

    @Test
    @DisplayName("streaming and non-streaming give the same counts, server timings and status for the same answer")
    void streamingAndNonStreamingAgree() {
        RunTelemetry streamed = run(request(true), streamingAnswer()).telemetry();
        clock.advanceMillis(1000);
        RunResult whole = run(request(false), nonStreamingAnswer());
        RunTelemetry single = whole.telemetry();

        assertThat(single.tokenMetrics().promptTokens()).isEqualTo(streamed.tokenMetrics().promptTokens());
        assertThat(single.tokenMetrics().outputTokens()).isEqualTo(streamed.tokenMetrics().outputTokens());
        assertThat(single.tokenMetrics().serverPromptMs()).isEqualTo(streamed.tokenMetrics().serverPromptMs());
        assertThat(single.tokenMetrics().serverGenerationMs()).isEqualTo(streamed.tokenMetrics().serverGenerationMs());
        assertThat(single.tokenMetrics().status()).isEqualTo(streamed.tokenMetrics().status());
        assertThat(single.internalModelSeconds()).isEqualTo(streamed.internalModelSeconds());
        assertThat(single.wallSeconds()).isEqualTo(streamed.wallSeconds());
        assertThat(single.orchestrationOverheadRatio()).isEqualTo(streamed.orchestrationOverheadRatio());
        assertThat(single.quality()).isEqualTo(streamed.quality());
        assertThat(whole.outputText()).isEqualTo("abcde");
    }

    @Test
    @DisplayName("a non-streaming run has no client TTFT, with the reason, never back-filled with wall time")
    void nonStreamingHasNoTtft() {
        RunTelemetry t = run(request(false), nonStreamingAnswer()).telemetry();

        assertThat(t.tokenMetrics().clientTtftMs().value()).isNull();
        assertThat(t.tokenMetrics().clientTtftMs().unavailableReason()).isEqualTo(UnavailableReason.NOT_STREAMING);
        assertThat(t.tokenMetrics().clientTimePerOutputTokenMs().unavailableReason())
                .isEqualTo(UnavailableReason.NOT_STREAMING);
        assertThat(t.tokenMetrics().chunkCount()).isZero();
    }

    @Test
    @DisplayName("a refused connection still yields a full record with wall time, reasons and nulls with reasons")
    void failedAtConnect() {
        RunTelemetry t = run(request(true), List.of(
                at(0, new WireEvent.RequestSent()),
                at(3, new WireEvent.Failed(FailureKind.CONNECTION_REFUSED, "Connection refused", null))))
                .telemetry();

        assertThat(t.outcome().terminalState()).isEqualTo(TerminalState.FAILED);
        assertThat(t.outcome().failureKind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
        assertThat(t.wallSeconds().value()).isEqualTo(0.003);
        assertThat(t.internalModelSeconds().unavailableReason()).isEqualTo(UnavailableReason.INPUT_UNAVAILABLE);
        assertThat(t.orchestrationOverheadRatio().unavailableReason()).isEqualTo(UnavailableReason.INPUT_UNAVAILABLE);
        assertThat(t.tokenMetrics().clientTtftMs().unavailableReason()).isEqualTo(UnavailableReason.RUN_ENDED_EARLY);
        assertThat(t.tokenMetrics().promptTokens().unavailableReason()).isEqualTo(UnavailableReason.RUN_ENDED_EARLY);
        assertThat(t.tokenMetrics().status()).isEqualTo(TokenMetricsStatus.TOKEN_AND_TIMING_UNAVAILABLE);
        assertThat(t.quality().reasons()).containsExactly(RunQualityReason.MISSING_TOKEN_TIMINGS);
        assertThat(t.validity().invalidReasons()).containsExactly("run_quality:MISSING_TOKEN_TIMINGS",
                "terminal_state:FAILED", "token_metrics:TOKEN_AND_TIMING_UNAVAILABLE");
    }

    @Test
    @DisplayName("a mid-stream failure keeps the TTFT it observed and the server figures it got")
    void failedMidStream() {
        RunTelemetry t = run(request(true), List.of(
                at(0, new WireEvent.RequestSent()),
                at(10, new WireEvent.ResponseStarted(200)),
                at(20, new WireEvent.ContentDelta("x", 1)),
                at(20, new WireEvent.Failed(FailureKind.STREAM_ERROR, "boom", 200))))
                .telemetry();

        assertThat(t.tokenMetrics().clientTtftMs().value()).isEqualTo(30.0);
        assertThat(t.tokenMetrics().clientTimePerOutputTokenMs().unavailableReason())
                .isEqualTo(UnavailableReason.TOO_FEW_OUTPUT_TOKENS);
        assertThat(t.wallSeconds().value()).isEqualTo(0.05);
        assertThat(t.outcome().failureMessage()).isEqualTo("boom");
        assertThat(t.validity().valid()).isFalse();
    }

    @Test
    @DisplayName("a provider that returns without a terminal event is recorded as PROVIDER_ERROR")
    void providerStopsEarly() {
        RunTelemetry t = run(request(true), List.of(at(0, new WireEvent.RequestSent()))).telemetry();

        assertThat(t.outcome().failureKind()).isEqualTo(FailureKind.PROVIDER_ERROR);
        assertThat(t.outcome().failureMessage()).contains("REQUEST_SENT");
    }

    @Test
    @DisplayName("a cached prompt on a run meant to be cold is PROMPT_CACHE_HIT; prompt speed counts uncached tokens")
    void promptCacheHit() {
        List<ScriptedProvider.Step> steps = new ArrayList<>(streamingAnswer());
        steps.set(7, at(30, new WireEvent.ServerUsage(10, 8, 5)));
        RunTelemetry t = run(request(true).toBuilder().expectColdPromptCache(true).build(), steps).telemetry();

        assertThat(t.quality().reasons()).containsExactly(RunQualityReason.PROMPT_CACHE_HIT);
        assertThat(t.tokenMetrics().promptTokensPerSecond().value()).isEqualTo(32.0);
        assertThat(t.validity().valid()).isFalse();
    }

    @Test
    @DisplayName("overhead above the policy's ratio is HIGH_ORCHESTRATION_OVERHEAD")
    void highOverhead() {
        List<ScriptedProvider.Step> steps = new ArrayList<>(streamingAnswer());
        steps.set(9, at(250, new WireEvent.Completed(FinishReason.STOP)));
        RunTelemetry t = run(request(true), steps).telemetry();

        assertThat(t.wallSeconds().value()).isEqualTo(0.49);
        assertThat(t.orchestrationOverheadRatio().value()).isEqualTo((0.49 - 0.21875) / 0.49);
        assertThat(t.quality().reasons()).containsExactly(RunQualityReason.HIGH_ORCHESTRATION_OVERHEAD);
    }

    @Test
    @DisplayName("what the server tells only after a completed run tags it; failing to ask never fails the run")
    void qualityAfterRun() {
        ScriptedProvider spilled = new ScriptedProvider(clock, streamingAnswer()) {
            @Override
            public java.util.Map<RunQualityReason, String> qualityAfterRun(RunRequest request) {
                return java.util.Map.of(RunQualityReason.VRAM_SPILL, "25% outside VRAM");
            }
        };
        ScriptedProvider broken = new ScriptedProvider(clock, streamingAnswer()) {
            @Override
            public java.util.Map<RunQualityReason, String> qualityAfterRun(RunRequest request) {
                throw new IllegalStateException("ps unreachable");
            }
        };
        RunExecutor executor = RunExecutor.builder().clock(clock).build();

        RunTelemetry tagged = executor.execute(spilled, request(true)).telemetry();
        RunTelemetry clean = executor.execute(broken, request(true)).telemetry();

        assertThat(tagged.quality().reasons()).containsExactly(RunQualityReason.VRAM_SPILL);
        assertThat(tagged.qualityDetails()).containsEntry(RunQualityReason.VRAM_SPILL, "25% outside VRAM");
        assertThat(clean.completed()).isTrue();
        assertThat(clean.quality().status()).isEqualTo(RunQualityStatus.CLEAN);
    }

    @Test
    @DisplayName("a request for an undeclared mode fails with UNSUPPORTED_CAPABILITY before the provider runs")
    void unsupportedMode() {
        RunExecutor executor = RunExecutor.builder().clock(clock).build();
        ScriptedProvider nonStreamingOnly = new ScriptedProvider(clock, nonStreamingAnswer(),
                java.util.EnumSet.of(dev.orket.api.Capability.NON_STREAMING));

        RunTelemetry t = executor.execute(nonStreamingOnly, request(true)).telemetry();

        assertThat(t.outcome().failureKind()).isEqualTo(FailureKind.UNSUPPORTED_CAPABILITY);
        assertThat(t.outcome().failureMessage()).contains("streaming");
    }
}
