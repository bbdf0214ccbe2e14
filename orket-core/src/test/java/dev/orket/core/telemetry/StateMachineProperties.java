package dev.orket.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.spi.IllegalTransitionException;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.artifact.TelemetryJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

class StateMachineProperties {

    enum Kind {
        CONNECT, CONNECTED, REUSED, SENT, STARTED, DELTA, BODY, USAGE, TIMINGS, FACTS, FLAG, COMPLETED, FAILED, CANCELLED
    }

    record Step(Kind kind, long delayMillis) {}

    /**
     * The grammar of legal runs, written independently of the production table: the state a step leads
     * to, or null when the step is illegal there.
     */
    private static @Nullable String oracle(String state, Kind kind, boolean stream) {
        if (state.equals("COMPLETED") || state.equals("FAILED") || state.equals("CANCELLED")) {
            return null;
        }
        switch (kind) {
            case FAILED:
                return "FAILED";
            case CANCELLED:
                return "CANCELLED";
            case FLAG:
                return state;
            case CONNECT:
                return state.equals("CREATED") ? "CONNECTING" : null;
            case CONNECTED:
                return state.equals("CONNECTING") ? "CONNECTED" : null;
            case REUSED:
                return state.equals("CREATED") ? "CONNECTED" : null;
            case SENT:
                return state.equals("CREATED") || state.equals("CONNECTED") ? "REQUEST_SENT" : null;
            case STARTED:
                return state.equals("REQUEST_SENT") ? "AWAITING_FIRST_TOKEN" : null;
            case DELTA:
                return stream && (state.equals("AWAITING_FIRST_TOKEN") || state.equals("STREAMING")) ? "STREAMING" : null;
            case BODY:
                return !stream && state.equals("AWAITING_FIRST_TOKEN") ? "RESPONSE_RECEIVED" : null;
            case USAGE:
            case TIMINGS:
            case FACTS:
                return Set.of("AWAITING_FIRST_TOKEN", "STREAMING", "RESPONSE_RECEIVED").contains(state) ? state : null;
            case COMPLETED:
                if (state.equals("STREAMING") || state.equals("RESPONSE_RECEIVED")) {
                    return "COMPLETED";
                }
                return stream && state.equals("AWAITING_FIRST_TOKEN") ? "COMPLETED" : null;
            default:
                throw new AssertionError(kind);
        }
    }

    private static WireEvent event(Kind kind) {
        switch (kind) {
            case CONNECT:
                return new WireEvent.ConnectStarted();
            case CONNECTED:
                return new WireEvent.Connected();
            case REUSED:
                return new WireEvent.ConnectionReused();
            case SENT:
                return new WireEvent.RequestSent();
            case STARTED:
                return new WireEvent.ResponseStarted(200);
            case DELTA:
                return new WireEvent.ContentDelta("t", 1);
            case BODY:
                return new WireEvent.ResponseBody("text");
            case USAGE:
                return new WireEvent.ServerUsage(12, 0, 7);
            case TIMINGS:
                return new WireEvent.ServerTimings(20.0, 70.0, null);
            case FACTS:
                return new WireEvent.ServerFacts(4096);
            case FLAG:
                return new WireEvent.QualityFlag(RunQualityReason.VRAM_SPILL, "0.5 in VRAM");
            case COMPLETED:
                return new WireEvent.Completed(FinishReason.STOP);
            case FAILED:
                return new WireEvent.Failed(FailureKind.STREAM_ERROR, "error", null);
            case CANCELLED:
                return new WireEvent.Cancelled("caller");
            default:
                throw new AssertionError(kind);
        }
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.longs().between(0, 500))
                .as(Step::new);
        return step.list().ofMaxSize(14);
    }

    /** Biased towards legal runs, so that long legal trajectories are common, not only early rejections. */
    @Provide
    Arbitrary<List<Step>> mostlyLegal() {
        Arbitrary<Long> delay = Arbitraries.longs().between(0, 500);
        Arbitrary<List<Step>> middle = Combinators.combine(
                        Arbitraries.of(Kind.DELTA, Kind.DELTA, Kind.USAGE, Kind.TIMINGS, Kind.FACTS, Kind.FLAG), delay)
                .as(Step::new)
                .list()
                .ofMaxSize(8);
        return Combinators.combine(middle, Arbitraries.of(Kind.COMPLETED, Kind.FAILED, Kind.CANCELLED), delay)
                .as((steps, last, d) -> {
                    List<Step> run = new ArrayList<>();
                    if (d % 3 == 0) {
                        run.add(new Step(Kind.CONNECT, 0));
                        run.add(new Step(Kind.CONNECTED, d % 7));
                    } else if (d % 3 == 1) {
                        run.add(new Step(Kind.REUSED, 0));
                    }
                    run.add(new Step(Kind.SENT, 0));
                    run.add(new Step(Kind.STARTED, d));
                    run.addAll(steps);
                    run.add(new Step(last, d));
                    return run;
                });
    }

    @Property(tries = 500)
    void anySequenceIsALegalTrajectoryOrRejectedWithTheSpecificException(
            @ForAll("sequences") List<Step> steps, @ForAll boolean stream) {
        checkSequence(steps, stream);
    }

    @Property(tries = 300)
    void legalLookingRunsFollowTheGrammar(@ForAll("mostlyLegal") List<Step> steps, @ForAll boolean stream) {
        checkSequence(steps, stream);
    }

    private static void checkSequence(List<Step> steps, boolean stream) {
        ManualClock clock = new ManualClock();
        RunRequest request = RunRequest.builder("r", "m", "p").stream(stream).build();
        TelemetryRecorder recorder =
                new TelemetryRecorder(request, "test", clock, java.time.Instant.EPOCH, RecordingListener.NONE);
        String state = "CREATED";
        int terminalEvents = 0;
        for (Step step : steps) {
            clock.advanceMillis(step.delayMillis());
            String expected = oracle(state, step.kind(), stream);
            if (expected == null) {
                String before = state;
                assertThatThrownBy(() -> recorder.record(event(step.kind())))
                        .isInstanceOf(IllegalTransitionException.class)
                        .hasMessageContaining(before);
                assertThat(recorder.state().name()).isEqualTo(before);
                return;
            }
            recorder.record(event(step.kind()));
            state = expected;
            assertThat(recorder.state().name()).isEqualTo(state);
            if (recorder.state().isTerminal()) {
                terminalEvents++;
            }
        }
        if (!recorder.state().isTerminal()) {
            return;
        }
        assertThat(terminalEvents).isEqualTo(1);
        RunTelemetry t = TelemetryCalculator.compute(recorder.observation(),
                dev.orket.api.SidecarSummary.notApplicable("sidecar_disabled"), java.util.Map.of(),
                dev.orket.core.policy.RunPolicy.DEFAULT);
        checkInvariants(t);
    }

    @Property(tries = 300)
    void everyExecutedRunEndsInExactlyOneTerminalStateWithEveryKey(
            @ForAll("mostlyLegal") List<Step> steps, @ForAll boolean stream) {
        ManualClock clock = new ManualClock();
        List<ScriptedProvider.Step> script = new ArrayList<>();
        String state = "CREATED";
        for (Step step : steps) {
            String next = oracle(state, step.kind(), stream);
            if (next == null) {
                break;
            }
            script.add(ScriptedProvider.at(step.delayMillis(), event(step.kind())));
            state = next;
        }
        RunResult result = RunExecutor.builder().clock(clock).build().execute(new ScriptedProvider(clock, script),
                RunRequest.builder("r", "m", "p").stream(stream).build());
        checkInvariants(result.telemetry());
    }

    private static void checkInvariants(RunTelemetry t) {
        double wallMs = t.wallSeconds().require() * 1000.0;
        assertThat(wallMs).isGreaterThanOrEqualTo(0.0);
        if (t.tokenMetrics().clientConnectMs().isPresent()) {
            assertThat(t.tokenMetrics().clientConnectMs().require()).isGreaterThanOrEqualTo(0.0);
        } else {
            assertThat(t.tokenMetrics().clientConnectMs().unavailableReason()).isNotNull();
        }
        if (t.tokenMetrics().clientTtftMs().isPresent()) {
            assertThat(t.tokenMetrics().clientTtftMs().require()).isBetween(0.0, wallMs);
        } else {
            assertThat(t.tokenMetrics().clientTtftMs().unavailableReason()).isNotNull();
        }
        if (t.orchestrationOverheadRatio().isPresent()) {
            assertThat(t.orchestrationOverheadRatio().require()).isBetween(0.0, 1.0);
        }
        String json = TelemetryJson.toJson(t);
        for (String key : TelemetryKeys.REQUIRED) {
            assertThat(json).contains("\"" + key + "\":");
        }
        assertThat(TelemetryJson.fromJson(json)).isEqualTo(t);
    }
}
