package dev.orket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.orket.api.Capability;
import dev.orket.api.Readiness;
import dev.orket.simulator.server.Fault;
import dev.orket.simulator.server.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Calls outside runs (readiness, model lists, unloads) have a deadline on the whole exchange and a cap on the body
 * they read whole: a server that sends headers and then nothing, or a body of many megabytes, gets a clear answer
 * naming the endpoint in bounded time, never a hang or an exhausted heap.
 */
abstract class AdminContract extends ContractGroup {

    /**
     * The admin deadline of a fault's checks: the contract's short one for a stall; a generous one for a huge body,
     * so that the cap, not the clock, is what ends the call even on a loaded machine.
     */
    private Duration deadline(Fault fault) {
        return fault == Fault.HUGE_ADMIN_BODY ? Duration.ofSeconds(20) : contract().adminTimeout();
    }

    /** The bound of one check: three admin deadlines (a probe may ask twice) plus slack for a loaded machine. */
    private Duration bound(Fault fault) {
        return deadline(fault).multipliedBy(3).plusSeconds(3);
    }

    @TestFactory
    @DisplayName("every admin fault ends every call outside a run in bounded time with a clear answer")
    Stream<DynamicTest> everyAdminFault() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fault fault : Fault.values()) {
            if (!fault.isAdmin()) {
                continue;
            }
            String name = fault.name().toLowerCase(java.util.Locale.ROOT);
            tests.add(DynamicTest.dynamicTest("probe on " + name + " is blocked with the endpoint named", () -> probe(fault)));
            tests.add(DynamicTest.dynamicTest("listModels on " + name + " fails naming the endpoint and the bound",
                    () -> listModels(fault)));
            tests.add(DynamicTest.dynamicTest("unloadModel on " + name + " returns or fails in bounded time",
                    () -> unload(fault)));
        }
        return tests.stream();
    }

    private ContractRun faulty(Fault fault) {
        ContractRun run = new ContractRun(contract(), null, deadline(fault));
        run.server().setDispatcher(request -> fault.adminScript());
        return run;
    }

    private void probe(Fault fault) {
        try (ContractRun run = faulty(fault)) {
            long started = System.nanoTime();
            Readiness readiness = run.provider().probe(contract().model());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(readiness.ready()).as("ready (" + readiness + ")").isFalse();
            assertThat(readiness.reasons()).isNotEmpty();
            assertThat(readiness.detail()).as("the probe's detail names the endpoint it asked")
                    .contains(firstPath(run));
            assertThat(took).as("time the probe took (admin deadline " + contract().adminTimeout() + ")")
                    .isLessThan(bound(fault));
        }
    }

    private void listModels(Fault fault) {
        if (!declares(Capability.MODEL_LISTING)) {
            return;
        }
        try (ContractRun run = faulty(fault)) {
            long started = System.nanoTime();
            Throwable thrown = catchThrowable(() -> run.provider().listModels());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(thrown).as("listModels on " + fault).isInstanceOf(RuntimeException.class);
            String message = String.valueOf(thrown.getMessage());
            assertThat(message).as("the message names the endpoint").contains(firstPath(run));
            if (fault == Fault.STALLED_ADMIN_BODY) {
                assertThat(message).as("the message names the deadline")
                        .contains(contract().adminTimeout().toMillis() + " ms");
            } else {
                assertThat(message).as("the message names the cap in bytes").containsPattern("[0-9]{6,} bytes");
            }
            assertThat(took).as("time listModels took").isLessThan(bound(fault));
        }
    }

    private void unload(Fault fault) {
        try (ContractRun run = faulty(fault)) {
            long started = System.nanoTime();
            @Nullable Throwable thrown = catchThrowable(() -> run.provider().unloadModel(contract().model()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (thrown != null) {
                assertThat(thrown).isInstanceOf(RuntimeException.class);
            }
            assertThat(took).as("time unloadModel took").isLessThan(bound(fault));
        }
    }

    private static String firstPath(ContractRun run) {
        RecordedRequest request = run.server().takeRequest(Duration.ofSeconds(1));
        assertThat(request).as("the provider asked the server something").isNotNull();
        return request.path();
    }
}
