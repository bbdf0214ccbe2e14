package dev.orket.testkit.reference;

import static dev.orket.testkit.assertj.OrketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.Capability;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.VirtualClock;
import dev.orket.simulator.server.QuantProfile;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ScriptedInferenceServer;
import dev.orket.simulator.server.SimulatedQuantFamily;
import dev.orket.simulator.sidecar.ScriptedSidecar;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The simulated quant family through a provider: exact on the virtual clock, quick in real time. */
class SimulatedQuantFamilyRunTest {

    private static final String PROMPT = "The quick brown fox";

    private static RunRequest request(String model, boolean stream) {
        return RunRequest.builder("run-" + model, model, PROMPT).stream(stream).maxOutputTokens(16).seed(42L).build();
    }

    @Test
    @DisplayName("every quant's run has exact timings from the documented model on the virtual clock")
    void exactOnVirtualClock() {
        SimulatedQuantFamily family = SimulatedQuantFamily.standard();
        for (QuantProfile quant : family.quants()) {
            VirtualClock clock = new VirtualClock();
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start(clock);
                    ReferenceProvider provider = new ReferenceProvider(
                            ProviderConfig.of(server.baseUri()), EnumSet.allOf(Capability.class))) {
                server.setDispatcher(family);
                RunResult result = RunExecutor.builder().clock(clock).listener(server.lockstep()).build()
                        .execute(provider, request(family.modelName(quant), true));
                ScriptTimeline timeline = family.timeline(quant, SimulatedQuantFamily.promptTokens(PROMPT));
                assertThat(server.lockstepMisses()).isEmpty();
                assertThat(result.outputText())
                        .isEqualTo(String.join("", SimulatedQuantFamily.generate(quant, PROMPT, 42, 16)));
                assertThat(result.telemetry()).as(quant.tag()).isCompleted().hasPromptTokens(5).hasOutputTokens(16)
                        .hasClientTtftMs(timeline.firstTokenAt().toNanos() / 1e6)
                        .hasServerPromptMs(timeline.serverPromptMs()).hasServerGenerationMs(timeline.serverGenerationMs(16))
                        .hasWallSeconds(timeline.endAt(16).toNanos() / 1e9).hasOrchestrationOverheadRatio(0.0);
            }
        }
    }

    @Test
    @DisplayName("a real-time sweep of 7 quants x 2 runs finishes in seconds and ranks quality by bits per weight")
    void realTimeSweep() {
        SimulatedQuantFamily family = SimulatedQuantFamily.of("tiny-llama", 0.05);
        Map<String, Double> agreement = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                ReferenceProvider provider = new ReferenceProvider(ProviderConfig.of(server.baseUri()),
                        EnumSet.allOf(Capability.class))) {
            server.setDispatcher(family);
            List<String> baseline = SimulatedQuantFamily.baseline(PROMPT, 42, 16);
            for (QuantProfile quant : family.quants()) {
                for (int run = 0; run < 2; run++) {
                    RunExecutor executor = RunExecutor.builder()
                            .sidecar(ScriptedSidecar.forQuant(quant, 24564)).build();
                    RunResult result = executor.execute(provider, request(family.modelName(quant), run == 0));
                    RunTelemetry t = result.telemetry();
                    assertThat(t).as(quant.tag()).isCompleted()
                            .hasServerGenerationMs(family.timeline(quant, 5).serverGenerationMs(16));
                    assertThat(t.sidecar().peakVramUsedMb()).isEqualTo(quant.vramMib());
                    List<String> words = List.of(result.outputText().split("(?= )"));
                    agreement.put(quant.tag(), SimulatedQuantFamily.agreement(baseline, words));
                }
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(agreement.get("F16")).isEqualTo(1.0);
        assertThat(agreement.get("Q5_K_M")).isGreaterThanOrEqualTo(0.95);
        assertThat(agreement.get("Q4_K_M")).isLessThan(0.95);
        assertThat(family.expectedWinner(0.95).tag()).isEqualTo("Q5_K_M");
    }
}
