package dev.orket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.Readiness;
import dev.orket.simulator.server.Script;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The readiness probe: blocked with a reason when unreachable or not ready, ready otherwise. */
abstract class ReadinessContract extends ContractGroup {

    private static final Duration PROBE_BOUND = Duration.ofSeconds(10);

    private void serve(ContractRun run, boolean ready) {
        LinkedBlockingQueue<Script> none = new LinkedBlockingQueue<>();
        run.server().setDispatcher(contract().dialect().dispatcher(contract().model(), ready, request -> none.remove()));
    }

    @Test
    @DisplayName("is ready when the server is up with the model loaded")
    void ready() {
        try (ContractRun run = run()) {
            serve(run, true);
            Readiness readiness = run.provider().probe(contract().model());
            assertThat(readiness.ready()).as("ready (" + readiness + ")").isTrue();
            assertThat(readiness.reasons()).isEmpty();
        }
    }

    @Test
    @DisplayName("is blocked with a reason while the server cannot serve the model yet (loading, or not listed)")
    void notReady() {
        try (ContractRun run = run()) {
            serve(run, false);
            Readiness readiness = run.provider().probe(contract().model());
            assertThat(readiness.ready()).as("ready (" + readiness + ")").isFalse();
            assertThat(readiness.reasons()).isNotEmpty();
            assertThat(readiness.detail()).isNotBlank();
        }
    }

    @Test
    @DisplayName("is blocked with a reason, never an exception, when nothing listens")
    void unreachable() {
        long started = System.nanoTime();
        try (ContractRun run = runAgainstRefusedPort()) {
            Readiness readiness = run.provider().probe(contract().model());
            assertThat(readiness.ready()).isFalse();
            assertThat(readiness.reasons()).isNotEmpty();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROBE_BOUND);
    }
}
