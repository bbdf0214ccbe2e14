package dev.orket.testkit;

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

/**
 * A provider without a network: it records a fixed streamed answer, moving the virtual clock itself
 * (request at 0, first token at 40 ms, one every 10 ms). Used where the contract needs a run but the
 * subject is not the provider.
 */
final class InProcessProvider implements InferenceProvider {

    private final VirtualClock clock;

    InProcessProvider(VirtualClock clock) {
        this.clock = clock;
    }

    @Override
    public String id() {
        return "in-process";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.STREAMING, Capability.SERVER_TIMINGS, Capability.TOKEN_COUNTS);
    }

    @Override
    public Readiness probe(String model) {
        return Readiness.readyNow();
    }

    @Override
    public void execute(RunRequest request, RunRecorder recorder) {
        Duration start = clock.now();
        recorder.record(new WireEvent.RequestSent());
        clock.advanceTo(start.plusMillis(5));
        recorder.record(new WireEvent.ResponseStarted(200));
        for (int i = 0; i < 8; i++) {
            clock.advanceTo(start.plusMillis(40 + 10L * i));
            recorder.record(new WireEvent.ContentDelta(" token" + i, 1));
        }
        clock.advanceTo(start.plusMillis(115));
        recorder.record(new WireEvent.ServerUsage(10, 0, 8));
        recorder.record(new WireEvent.ServerTimings(36.0, 70.0, null));
        recorder.record(new WireEvent.Completed(FinishReason.LENGTH));
    }
}
