package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.spi.FactoryResolver;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.ProviderFactory;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The module README's example, compiled and run against a replayed capture. */
class ReadmeExampleTest {

    @Test
    @DisplayName("the README example runs")
    void readme() throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(Fixture.load("completion-stream.http").script());
            URI baseUrl = server.baseUri();
            // README begin
            ProviderFactory factory = FactoryResolver.provider("llamacpp");
            try (InferenceProvider provider = factory.create(ProviderConfig.of(baseUrl))) {
                RunRequest request = RunRequest.builder("run-1", "tiny", "The quick brown fox")
                        .maxOutputTokens(16).seed(42L).build();
                RunTelemetry telemetry = RunExecutor.builder().build().execute(provider, request).telemetry();
                // README end
                assertThat(telemetry.outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
            }
        }
    }
}
