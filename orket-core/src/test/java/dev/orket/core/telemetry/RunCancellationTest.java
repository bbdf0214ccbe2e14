package dev.orket.core.telemetry;

import dev.orket.core.host.MeasuredServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.Capability;
import dev.orket.api.Readiness;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Cancelling a run")
class RunCancellationTest {

    /** A provider that sends its request and then waits, as a stream that goes quiet. */
    private static final class Waiting implements InferenceProvider {
        final CountDownLatch sent = new CountDownLatch(1);
        final boolean registers;

        Waiting(boolean registers) {
            this.registers = registers;
        }

        @Override
        public String id() {
            return "waiting";
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
            CountDownLatch cancelled = new CountDownLatch(1);
            String[] reason = new String[1];
            if (registers) {
                recorder.whenCancelled(why -> {
                    reason[0] = why;
                    cancelled.countDown();
                });
            }
            recorder.record(new WireEvent.RequestSent());
            sent.countDown();
            try {
                if (cancelled.await(10, TimeUnit.SECONDS)) {
                    recorder.record(new WireEvent.Cancelled(reason[0]));
                } else {
                    recorder.record(new WireEvent.Failed(dev.orket.api.FailureKind.TIMEOUT, "not cancelled", null));
                }
            } catch (InterruptedException e) {
                recorder.record(new WireEvent.Cancelled("the calling thread was interrupted"));
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RunTelemetry cancelWhileRunning(Waiting provider) throws Exception {
        RunCancellation cancellation = new RunCancellation();
        CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
            try {
                provider.sent.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cancellation.cancel("operator");
        });
        RunTelemetry t = RunExecutor.builder().build().execute(provider, RunRequest.builder("r", "m", "p").build(),
                MeasuredServer.UNKNOWN, Map.of(), cancellation).telemetry();
        canceller.get(5, TimeUnit.SECONDS);
        assertThat(cancellation.isCancelled()).isTrue();
        assertThat(cancellation.reason()).isEqualTo("operator");
        return t;
    }

    @Test
    @DisplayName("a provider that registers hears the reason on the cancelling thread and records it")
    void registered() throws Exception {
        RunTelemetry t = cancelWhileRunning(new Waiting(true));
        assertThat(t.outcome().terminalState()).isEqualTo(TerminalState.CANCELLED);
        assertThat(t.outcome().failureMessage()).isEqualTo("operator");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    @DisplayName("a provider that registers nothing is interrupted, and the executor clears that interrupt after")
    void interruptedFallback() throws Exception {
        RunTelemetry t = cancelWhileRunning(new Waiting(false));
        assertThat(t.outcome().terminalState()).isEqualTo(TerminalState.CANCELLED);
        assertThat(Thread.interrupted()).as("the executor's own interrupt is not left on the caller").isFalse();
    }

    @Test
    @DisplayName("cancelling twice keeps the first reason; cancelling after the run does nothing")
    void idempotent() {
        RunCancellation cancellation = new RunCancellation();
        RunTelemetry t = RunExecutor.builder().build().execute(new ScriptedProvider(new ManualClock(),
                java.util.List.of(ScriptedProvider.at(0, new WireEvent.RequestSent()),
                        ScriptedProvider.at(1, new WireEvent.ResponseStarted(200)),
                        ScriptedProvider.at(1, new WireEvent.Completed(null)))),
                RunRequest.builder("r", "m", "p").build(), MeasuredServer.UNKNOWN, Map.of(), cancellation).telemetry();
        assertThat(t.completed()).isTrue();
        cancellation.cancel("late");
        cancellation.cancel("later");
        assertThat(cancellation.reason()).isEqualTo("late");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
