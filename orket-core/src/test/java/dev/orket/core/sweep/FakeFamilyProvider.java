package dev.orket.core.sweep;

import dev.orket.api.Capability;
import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.Readiness;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.ManualClock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A provider answering every quant of a model on a virtual clock: {@code ms per token} per quant,
 * output text per quant, and optional failures or a kill switch that throws mid-sweep.
 */
class FakeFamilyProvider implements InferenceProvider {

    private final ManualClock clock;
    private final Map<String, Long> msPerToken;
    private final Map<String, String> outputs;
    private final List<String> executed = new ArrayList<>();
    private final List<String> unloaded = new ArrayList<>();
    private Predicate<String> killBefore = runId -> false;
    private Set<String> absurd = Set.of();

    FakeFamilyProvider(ManualClock clock, Map<String, Long> msPerToken, Map<String, String> outputs) {
        this.clock = clock;
        this.msPerToken = msPerToken;
        this.outputs = outputs;
    }

    /** Simulates a kill: throws an Error (which no sweep code catches) before the matching run. */
    void killBefore(Predicate<String> runIds) {
        this.killBefore = runIds;
    }

    /** The quants whose server reports absurd numbers (1.7e308 ms, 1e-320 ms, 9e18 tokens). */
    void absurdNumbersFor(Set<String> quants) {
        this.absurd = Set.copyOf(quants);
    }

    List<String> executed() {
        return executed;
    }

    List<String> unloaded() {
        return unloaded;
    }

    @Override
    public void unloadModel(String model) {
        unloaded.add(model);
    }

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public Readiness probe(String model) {
        return Readiness.readyNow();
    }

    @Override
    public void execute(RunRequest request, RunRecorder recorder) {
        if (killBefore.test(request.runId())) {
            throw new SimulatedKill(request.runId());
        }
        executed.add(request.runId());
        String quant = request.model().substring(request.model().indexOf(':') + 1);
        recorder.record(new WireEvent.RequestSent());
        if (!msPerToken.containsKey(quant)) {
            recorder.record(new WireEvent.Failed(FailureKind.MODEL_NOT_FOUND, "no " + request.model(), 404));
            return;
        }
        long perToken = msPerToken.get(quant);
        String[] tokens = outputs.get(quant).split(" ");
        clock.advanceMillis(4);
        recorder.record(new WireEvent.ResponseStarted(200));
        clock.advanceMillis(20);
        for (String token : tokens) {
            recorder.record(new WireEvent.ContentDelta(token + " ", 1));
            clock.advanceMillis(perToken);
        }
        if (absurd.contains(quant)) {
            recorder.record(new WireEvent.ServerUsage(8L, 0L, 9_000_000_000_000_000_000L));
            recorder.record(new WireEvent.ServerTimings(1.7e308, 1e-320, null));
        } else {
            recorder.record(new WireEvent.ServerUsage(8, 0, tokens.length));
            recorder.record(new WireEvent.ServerTimings(20.0, (double) perToken * tokens.length, null));
        }
        recorder.record(new WireEvent.Completed(FinishReason.STOP));
    }

    static final class SimulatedKill extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedKill(String runId) {
            super("killed before " + runId);
        }
    }
}
