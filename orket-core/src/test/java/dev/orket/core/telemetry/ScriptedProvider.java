package dev.orket.core.telemetry;

import dev.orket.api.Capability;
import dev.orket.api.Readiness;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A provider that replays a list of steps: wait this many virtual milliseconds, then report this event.
 * Exercises the recorder without any network; the testkit's contract suites cover real HTTP.
 */
class ScriptedProvider implements InferenceProvider {

    record Step(long delayMillis, WireEvent event) {}

    private final ManualClock clock;
    private final List<Step> steps;
    private final Set<Capability> capabilities;

    ScriptedProvider(ManualClock clock, List<Step> steps) {
        this(clock, steps, EnumSet.allOf(Capability.class));
    }

    ScriptedProvider(ManualClock clock, List<Step> steps, Set<Capability> capabilities) {
        this.clock = clock;
        this.steps = List.copyOf(steps);
        this.capabilities = Set.copyOf(capabilities);
    }

    static Step at(long delayMillis, WireEvent event) {
        return new Step(delayMillis, event);
    }

    @Override
    public String id() {
        return "scripted";
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public Readiness probe(String model) {
        return Readiness.readyNow();
    }

    @Override
    public void execute(RunRequest request, RunRecorder recorder) {
        for (Step step : steps) {
            clock.advanceMillis(step.delayMillis());
            recorder.record(step.event());
        }
    }
}
