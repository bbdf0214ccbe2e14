package dev.orket.testkit.assertj;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.FailureKind;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.UnavailableReason;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.simulator.VirtualClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OrketAssertionsTest {

    private static RunTelemetry telemetry() {
        VirtualClock clock = new VirtualClock();
        return RunExecutor.builder().clock(clock).build()
                .execute(new FixedProvider(clock), RunRequest.builder("run-1", "m", "p").build())
                .telemetry();
    }

    @Test
    @DisplayName("passes on the exact values")
    void passes() {
        OrketAssertions.assertThat(telemetry()).isCompleted().hasClientTtftMs(40.0).hasWallSeconds(0.1)
                .hasClientTimePerOutputTokenMs(60.0).hasPromptTokens(5).hasOutputTokens(2).hasServerPromptMs(38.0)
                .hasServerGenerationMs(60.0).hasInternalModelSeconds(0.098).hasOrchestrationOverheadRatio(0.02)
                .hasNoLoadMs(UnavailableReason.NOT_REPORTED_BY_SERVER).isClean().isValid().hasChunkCount(2);
    }

    @Test
    @DisplayName("fails with Expected <x> but was <y>")
    void failureMessages() {
        RunTelemetry t = telemetry();
        assertThatThrownBy(() -> OrketAssertions.assertThat(t).hasClientTtftMs(45.0))
                .hasMessageContaining("Expected <45.0> but was <40.0> (client_ttft_ms, run run-1)");
        assertThatThrownBy(() -> OrketAssertions.assertThat(t).hasFailed(FailureKind.TIMEOUT))
                .hasMessageContaining("Expected <FAILED> but was <COMPLETED> (terminal_state");
        assertThatThrownBy(() -> OrketAssertions.assertThat(t).hasLoadMs(1.0))
                .hasMessageContaining("Expected <1.0> but was <unavailable: not_reported_by_server> (load_ms");
    }
}
