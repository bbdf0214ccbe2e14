package dev.orket.simulator.sidecar;

import dev.orket.api.Capability;
import dev.orket.api.FinishReason;
import dev.orket.api.Readiness;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import dev.orket.simulator.VirtualClock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** A network-free provider for sidecar tests: a 100 ms virtual run with server figures. */
final class FixedProvider implements InferenceProvider {

    private final VirtualClock clock;

    FixedProvider(VirtualClock clock) {
        this.clock = clock;
    }

    @Override
    public String id() {
        return "fixed";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.STREAMING);
    }

    @Override
    public Readiness probe(String model) {
        return Readiness.readyNow();
    }

    @Override
    public void execute(RunRequest request, RunRecorder recorder) {
        recorder.record(new WireEvent.RequestSent());
        recorder.record(new WireEvent.ResponseStarted(200));
        clock.advanceBy(Duration.ofMillis(40));
        recorder.record(new WireEvent.ContentDelta("a", 1));
        clock.advanceBy(Duration.ofMillis(60));
        recorder.record(new WireEvent.ContentDelta("b", 1));
        recorder.record(new WireEvent.ServerUsage(5, 0, 2));
        recorder.record(new WireEvent.ServerTimings(38.0, 60.0, null));
        recorder.record(new WireEvent.Completed(FinishReason.LENGTH));
    }
}
