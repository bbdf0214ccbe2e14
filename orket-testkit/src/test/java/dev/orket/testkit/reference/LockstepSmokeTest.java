package dev.orket.testkit.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.RunRequest;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.ProviderFactory;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.VirtualClock;
import dev.orket.testkit.assertj.OrketAssertions;
import dev.orket.simulator.server.Answer;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ScriptedInferenceServer;
import dev.orket.simulator.server.ServerDialect;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The wiring docs/testkit.md shows: virtual clock, scripted server, lock-step listener, executor. */
class LockstepSmokeTest {

    private final ProviderFactory factory = new ReferenceProviderFactory();

    @Test
    @DisplayName("a streamed run on the default timeline has TTFT 40 ms and wall 0.195 s exactly")
    void streamsOnExactVirtualTimeline() {
        VirtualClock clock = new VirtualClock();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(clock);
                InferenceProvider provider = factory.create(ProviderConfig.of(server.baseUri()))) {
            server.enqueue(ServerDialect.LLAMACPP_COMPLETION.streaming(Answer.fixture("m"), ScriptTimeline.DEFAULT));
            RunExecutor executor = RunExecutor.builder().clock(clock).listener(server.lockstep()).build();
            RunResult result = executor.execute(provider, RunRequest.builder("r1", "m", "The quick brown fox").build());
            assertThat(server.lockstepMisses()).isEmpty();
            OrketAssertions.assertThat(result.telemetry()).hasClientTtftMs(40.0).hasWallSeconds(0.195);
            OrketAssertions.assertThat(result.telemetry()).hasClientTimePerOutputTokenMs(10.0).isCompleted();
            assertThat(result.outputText()).isEqualTo(Answer.fixture("m").text());
        }
    }
}
