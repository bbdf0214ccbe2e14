package dev.orket.testkit.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.Capability;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.core.route.RouteSwitch;
import dev.orket.core.route.RouteTarget;
import dev.orket.core.route.Router;
import dev.orket.core.route.RoutingPolicy;
import dev.orket.core.select.ModelSelector;
import dev.orket.core.select.Selection;
import dev.orket.core.select.SelectionConstraints;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.VirtualClock;
import dev.orket.simulator.server.Dispatcher;
import dev.orket.simulator.server.RecordedRequest;
import dev.orket.simulator.server.Script;
import dev.orket.simulator.server.ScriptedInferenceServer;
import dev.orket.simulator.server.SimulatedQuantFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adaptive router (a prototype) on the scripted server with a virtual clock: candidates from the
 * model selector, live telemetry from real HTTP runs, and a load step that makes the preferred quant
 * slow for a while.
 */
@DisplayName("Router on the simulated quant family")
class RouterSimulationTest {

    private static final String PROMPT = "The quick brown fox";

    /** The simulated family, except that while loaded one quant answers five times slower. */
    private static final class LoadStep implements Dispatcher {
        private final SimulatedQuantFamily normal = SimulatedQuantFamily.standard();
        private final SimulatedQuantFamily slow = SimulatedQuantFamily.of(SimulatedQuantFamily.DEFAULT_NAME, 0.5);
        private final String slowModel;
        private volatile boolean loaded;

        LoadStep(String slowModel) {
            this.slowModel = slowModel;
        }

        @Override
        public Script dispatch(RecordedRequest request) {
            boolean slowed = loaded && slowModel.equals(request.jsonField("model"));
            return (slowed ? slow : normal).dispatch(request);
        }
    }

    @Test
    @DisplayName("a load step on A moves traffic to B within the window; it returns after recovery, once")
    void loadStep(@TempDir Path dir) throws IOException {
        SimulatedQuantFamily family = SimulatedQuantFamily.standard();
        Selection selection = ModelSelector.select(List.of(summary(dir)),
                new SelectionConstraints(1_500, 0.9, null, null));
        // Q4_K_M: the fastest within the floor and the budget; Q5_K_M the runner-up; F16 over the budget.
        assertThat(selection.winner().quantTag()).isEqualTo("Q4_K_M");
        assertThat(selection.runnerUp().quantTag()).isEqualTo("Q5_K_M");
        VirtualClock clock = new VirtualClock();
        RoutingPolicy policy = RoutingPolicy.withCeiling(20.0);
        Router router = Router.of(selection, policy, clock);
        RouteTarget a = router.active();
        LoadStep dispatcher = new LoadStep(family.modelName(family.quantByTag(a.quantTag())));
        List<Long> switchedAtRun = new ArrayList<>();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(clock);
                ReferenceProvider provider = new ReferenceProvider(ProviderConfig.of(server.baseUri()),
                        EnumSet.allOf(Capability.class))) {
            server.setDispatcher(dispatcher);
            RunExecutor executor = RunExecutor.builder().clock(clock).listener(server.lockstep()).build();
            for (int n = 0; n < 400; n++) {
                dispatcher.loaded = n >= 100 && n < 250;
                RouteTarget target = router.route();
                RunResult result = executor.execute(provider, RunRequest.builder("run-" + n,
                        family.modelName(family.quantByTag(target.quantTag())), PROMPT)
                        .modelFamily(target.model()).quantTag(target.quantTag()).stream(true).maxOutputTokens(16)
                        .seed(42L).threads(8).build());
                router.record(result.telemetry());
                if (router.switches().size() > switchedAtRun.size()) {
                    switchedAtRun.add((long) n);
                }
                // Requests arrive every 100 ms of virtual time.
                clock.advanceBy(Duration.ofMillis(100));
            }
            assertThat(server.lockstepMisses()).isEmpty();
        }
        List<RouteSwitch> switches = router.switches();
        assertThat(switches).extracting(RouteSwitch::reason).containsExactly(
                RouteSwitch.Reason.P90_LATENCY_ABOVE_CEILING, RouteSwitch.Reason.RECOVERED);
        assertThat(switches.get(0).from()).isEqualTo(a);
        assertThat(switches.get(0).to().quantTag()).isEqualTo("Q5_K_M");
        assertThat(switchedAtRun.get(0)).as("left A within the window").isBetween(100L, 100L + policy.window());
        assertThat(switchedAtRun.get(1)).as("back on A after the load ended").isGreaterThan(250L)
                .isLessThan(250L + policy.window() * policy.probeEvery() + 60);
        assertThat(router.active()).isEqualTo(a);
    }

    /** A hand-written summary of two cells of the family, as a sweep writes it. */
    private static Path summary(Path dir) throws IOException {
        String cells = cell("Q5_K_M", 159.6, 1.0, 1431) + "," + cell("Q4_K_M", 177.4, 0.9375, 1320) + ","
                + cell("F16", 71.4, 1.0, 2783);
        Path file = dir.resolve("summary.json");
        Files.writeString(file, "{\"schema_version\":1,\"record_type\":\"kpi_summary\",\"sweep_id\":\"sim\","
                + "\"execution_lane\":\"ci\",\"vram_profile\":\"balanced\",\"cells\":[" + cells + "]}");
        return file;
    }

    private static String cell(String tag, double speed, double quality, double vram) {
        return "{\"model\":\"tiny-llama\",\"quant_tag\":\"" + tag + "\",\"row_kind\":\"valid_runs\",\"valid_runs\":6,"
                + "\"metrics\":{\"generation_tokens_per_second\":{\"median\":" + speed + "},"
                + "\"quality_score\":{\"median\":" + quality + "},\"peak_vram_used_mb\":{\"median\":" + vram + "},"
                + "\"client_ttft_ms\":{\"median\":1.0}}}";
    }
}
