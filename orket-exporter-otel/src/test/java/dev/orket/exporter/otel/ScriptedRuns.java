package dev.orket.exporter.otel;

import dev.orket.api.Capability;
import dev.orket.api.ExecutionLane;
import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.PromptStyle;
import dev.orket.api.Readiness;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.ServerIdentity;
import dev.orket.api.VramProfile;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.simulator.VirtualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Real telemetry records for the exporter's tests: each run goes through {@link RunExecutor} (the recorder, the state
 * machine and the telemetry calculator) on a provider that replays wire events at fixed virtual times, so every
 * figure of the record, and therefore of the span and the metrics, has an exact expected value.
 */
final class ScriptedRuns {

    /** The wall-clock instant every run starts at: the span's start. */
    static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    /** The provider id the records carry: {@code gen_ai.provider.name}. */
    static final String PROVIDER = "scripted";

    private ScriptedRuns() {}

    /** A request and the record it produced. */
    record Run(RunRequest request, RunTelemetry telemetry) {}

    /** A wire event at a time since the request was created. */
    record Step(long atMillis, WireEvent event) {}

    static Step at(long millis, WireEvent event) {
        return new Step(millis, event);
    }

    /**
     * The wire events of a streamed chat run, CLEAN and valid: first chunk at 250 ms, five chunks 125 ms apart carrying
     * 9 tokens, the server reporting 16 prompt and 9 output tokens in 250 + 500 ms, completed at 1 000 ms. Record: TTFT
     * 250 ms, time per output token 500 / 8 = 62.5 ms, wall 1.0 s, internal 0.75 s, overhead 0.25.
     */
    static final List<Step> STREAMING_CHAT = List.of(
            at(0, new WireEvent.RequestSent()),
            at(125, new WireEvent.ResponseStarted(200)),
            at(250, new WireEvent.ContentDelta("He", 2)),
            at(375, new WireEvent.ContentDelta("llo", 2)),
            at(500, new WireEvent.ContentDelta(", w", 2)),
            at(625, new WireEvent.ContentDelta("orl", 2)),
            at(750, new WireEvent.ContentDelta("d", 1)),
            at(875, new WireEvent.ServerUsage(16, 0, 9)),
            at(875, new WireEvent.ServerTimings(250.0, 500.0, null)),
            at(875, new WireEvent.ServerFacts(4096)),
            at(1000, new WireEvent.Completed(FinishReason.STOP)));

    /** The request of the streamed chat run: every request parameter and label set. */
    static RunRequest streamingChatRequest() {
        return RunRequest.builder("sweep-7/tiny/Q4_K_M/s1/r1", "tiny-q4", "Say hello")
                .sweepId("sweep-7")
                .sessionId("s1")
                .quantTag("Q4_K_M")
                .modelFamily("tiny")
                .promptStyle(PromptStyle.CHAT)
                .stream(true)
                .maxOutputTokens(64)
                .seed(42L)
                .temperature(0.25)
                .executionLane(ExecutionLane.LAB)
                .vramProfile(VramProfile.STRESS)
                .build();
    }

    /** What the streamed chat run's server says it serves: the configured quant, so {@code quant_tag_verified}. */
    static final ServerIdentity TINY_SERVER =
            new ServerIdentity("b10587-3f545bec", "tiny-Q4_K_M.gguf", "Q4_K_M", 4096, 1, "llama", "1.1B");

    /** The streamed chat run ({@link #STREAMING_CHAT}) on {@link #TINY_SERVER}. */
    static Run streamingChat() {
        return run(streamingChatRequest(), STREAMING_CHAT, TINY_SERVER);
    }

    /**
     * A non-streamed completion with none of max tokens, seed or temperature set, on a server that reports token
     * counts but no timings: POLLUTED by {@code MISSING_TOKEN_TIMINGS}, invalid, wall 0.5 s.
     */
    static Run nonStreamingCompletion() {
        RunRequest request = RunRequest.builder("run-2", "tiny-f16", "The quick brown fox")
                .promptStyle(PromptStyle.COMPLETION)
                .stream(false)
                .build();
        return run(request, List.of(
                at(0, new WireEvent.RequestSent()),
                at(400, new WireEvent.ResponseStarted(200)),
                at(400, new WireEvent.ResponseBody("jumps over the lazy dog")),
                at(400, new WireEvent.ServerUsage(4, null, 6)),
                at(500, new WireEvent.Completed(FinishReason.LENGTH))));
    }

    /** A streamed completion the server rejects with HTTP 500 at 250 ms: FAILED, {@code SERVER_ERROR}. */
    static Run serverError() {
        RunRequest request = RunRequest.builder("run-3", "tiny-q4", "Say hello").quantTag("Q4_K_M").build();
        return run(request, List.of(
                at(0, new WireEvent.RequestSent()),
                at(250, new WireEvent.ResponseStarted(500)),
                at(250, new WireEvent.Failed(FailureKind.SERVER_ERROR, "slot unavailable", 500))));
    }

    /**
     * A streamed completion cancelled at 300 ms, after its first chunk at 250 ms: CANCELLED, on a server that serves
     * {@code Q8_0} where {@code Q4_K_M} was configured.
     */
    static Run cancelled() {
        RunRequest request = RunRequest.builder("run-4", "tiny-q4", "Say hello").quantTag("Q4_K_M").build();
        return run(request, List.of(
                at(0, new WireEvent.RequestSent()),
                at(125, new WireEvent.ResponseStarted(200)),
                at(250, new WireEvent.ContentDelta("He", 1)),
                at(300, new WireEvent.Cancelled("sweep interrupted"))),
                new ServerIdentity(null, null, "Q8_0", null, null, null, null));
    }

    /** Runs the request on a provider that replays the steps, on a server that does not say what it serves. */
    static Run run(RunRequest request, List<Step> steps) {
        return run(request, steps, ServerIdentity.unknown());
    }

    /** Runs the request on a provider that replays the steps, with the recorder on a virtual clock. */
    static Run run(RunRequest request, List<Step> steps, ServerIdentity server) {
        VirtualClock clock = new VirtualClock();
        RunExecutor executor = RunExecutor.builder()
                .clock(clock)
                .wallClock(Clock.fixed(START, ZoneOffset.UTC))
                .serverIdentity(server)
                // A lab-lane record is sampled on the real host by default; these replays must not depend on it.
                .hostSampler(dev.orket.core.host.HostSampler.disabled("host_sampling_disabled"))
                .build();
        RunTelemetry telemetry = executor.execute(replay(clock, steps), request).telemetry();
        return new Run(request, telemetry);
    }

    /** A provider that replays the steps on the clock the run's recorder reads. */
    static InferenceProvider replay(VirtualClock clock, List<Step> steps) {
        return new Replay(clock, steps);
    }

    /** Replays wire events, moving the virtual clock to each event's time before it reports it. */
    private static final class Replay implements InferenceProvider {
        private final VirtualClock clock;
        private final List<Step> steps;

        Replay(VirtualClock clock, List<Step> steps) {
            this.clock = clock;
            this.steps = List.copyOf(steps);
        }

        @Override
        public String id() {
            return PROVIDER;
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.allOf(Capability.class);
        }

        @Override
        public Readiness probe(String model) {
            return Readiness.readyNow();
        }

        /** The replayed server takes every control per request, as Ollama does. */
        @Override
        public java.util.Map<dev.orket.api.ExperimentalControl, dev.orket.api.ControlApplication> controlsFor(
                RunRequest request) {
            java.util.Map<dev.orket.api.ExperimentalControl, dev.orket.api.ControlApplication> controls =
                    new java.util.EnumMap<>(dev.orket.api.ExperimentalControl.class);
            Object[] values = {request.seed(), request.temperature(), request.threads(), request.contextSize()};
            dev.orket.api.ExperimentalControl[] names = {dev.orket.api.ExperimentalControl.SEED,
                dev.orket.api.ExperimentalControl.TEMPERATURE, dev.orket.api.ExperimentalControl.THREADS,
                dev.orket.api.ExperimentalControl.CONTEXT_SIZE};
            for (int i = 0; i < names.length; i++) {
                controls.put(names[i], values[i] == null ? dev.orket.api.ControlApplication.notApplicable("not requested")
                        : dev.orket.api.ControlApplication.applied(values[i], "sent in the request"));
            }
            return controls;
        }

        @Override
        public void execute(RunRequest request, RunRecorder recorder) {
            for (Step step : steps) {
                clock.advanceTo(Duration.ofMillis(step.atMillis()));
                recorder.record(step.event());
            }
        }
    }
}
