package dev.orket.testkit;

import static dev.orket.testkit.assertj.OrketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orket.api.Capability;
import dev.orket.api.FailureKind;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.UnsupportedCapabilityException;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.telemetry.RecordingListener;
import dev.orket.core.telemetry.SidecarVerdict;
import dev.orket.core.telemetry.TelemetryCalculator;
import dev.orket.core.telemetry.TelemetryRecorder;
import dev.orket.simulator.server.Script;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A declared capability works; an undeclared one fails with UNSUPPORTED_CAPABILITY. */
abstract class CapabilitiesContract extends ContractGroup {

    @Test
    @DisplayName("declares at least one generation mode")
    void declaresAMode() {
        try (ContractRun run = run()) {
            assertThat(run.provider().capabilities()).containsAnyOf(Capability.STREAMING, Capability.NON_STREAMING);
        }
    }

    @Test
    @DisplayName("reports an undeclared generation mode itself as UNSUPPORTED_CAPABILITY, without a request")
    void undeclaredMode() {
        try (ContractRun run = run()) {
            boolean streaming = run.provider().capabilities().contains(Capability.STREAMING);
            boolean whole = run.provider().capabilities().contains(Capability.NON_STREAMING);
            assumeTrue(!streaming || !whole, "the provider declares both generation modes");
            RunRequest request = contract().request("undeclared-mode", !streaming);
            TelemetryRecorder recorder = new TelemetryRecorder(request, run.provider().id(), run.clock(), Instant.EPOCH,
                    RecordingListener.NONE);
            run.provider().execute(request, recorder);
            RunTelemetry t = TelemetryCalculator.compute(recorder.observation(),
                    SidecarVerdict.notApplicable("sidecar_disabled").summary(), Map.of(), RunPolicy.DEFAULT);
            assertThat(t).hasFailed(FailureKind.UNSUPPORTED_CAPABILITY);
            assertThat(run.server().requestCount()).as("requests sent for an undeclared mode").isZero();
        }
    }

    @Test
    @DisplayName("lists the server's models when it declares model listing, and throws UnsupportedCapabilityException otherwise")
    void modelListing() {
        try (ContractRun run = run()) {
            LinkedBlockingQueue<Script> none = new LinkedBlockingQueue<>();
            run.server().setDispatcher(contract().dialect().dispatcher(contract().model(), true,
                    request -> none.remove()));
            if (run.provider().capabilities().contains(Capability.MODEL_LISTING)) {
                assertThat(run.provider().listModels()).contains(contract().model());
            } else {
                assertThatThrownBy(() -> run.provider().listModels()).isInstanceOf(UnsupportedCapabilityException.class);
            }
        }
    }

    @Test
    @DisplayName("reports server timings and token counts when it declares them")
    void timingsAndCounts() {
        try (ContractRun run = run()) {
            boolean streaming = run.provider().capabilities().contains(Capability.STREAMING);
            run.server().enqueue(contract().dialect().script(streaming, contract().answer(), contract().timeline()));
            RunTelemetry t = run.execute(contract().request("capabilities", streaming)).telemetry();
            assertThat(t).isCompleted();
            if (run.provider().capabilities().contains(Capability.SERVER_TIMINGS)) {
                assertThat(t.tokenMetrics().serverPromptMs().isPresent()).as("server_prompt_ms present").isTrue();
                assertThat(t.tokenMetrics().serverGenerationMs().isPresent()).as("server_generation_ms present").isTrue();
            }
            if (run.provider().capabilities().contains(Capability.TOKEN_COUNTS)) {
                assertThat(t.tokenMetrics().promptTokens().isPresent()).as("prompt_tokens present").isTrue();
                assertThat(t.tokenMetrics().outputTokens().isPresent()).as("output_tokens present").isTrue();
            }
        }
    }
}
