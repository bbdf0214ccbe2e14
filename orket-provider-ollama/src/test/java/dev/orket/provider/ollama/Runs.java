package dev.orket.provider.ollama;

import dev.orket.api.PromptStyle;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.server.Await;
import dev.orket.simulator.server.RecordedRequest;
import dev.orket.simulator.server.Script;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Test helpers: the fixtures' model, prompts and options, and a run through core's executor. */
final class Runs {

    static final String MODEL = "tiny-random-llama:q4_k_m";

    /** No overhead flag: wall time is real on a loopback server, so the test policy never judges it. */
    static final RunPolicy POLICY = new RunPolicy("test", 1.0, 500.0, 1.0);

    private Runs() {}

    static RunRequest.Builder completion(boolean stream) {
        return RunRequest.builder("run-1", MODEL, "The quick brown fox").maxOutputTokens(16).seed(42L).stream(stream)
                .timeout(Duration.ofSeconds(5));
    }

    static RunRequest.Builder chat(boolean stream) {
        return RunRequest.builder("run-1", MODEL, "Say hello.").promptStyle(PromptStyle.CHAT).maxOutputTokens(16)
                .seed(42L).stream(stream).timeout(Duration.ofSeconds(5));
    }

    static OllamaProvider provider(URI uri) {
        return provider(uri, Map.of());
    }

    static OllamaProvider provider(URI uri, Map<String, String> settings) {
        return new OllamaProviderFactory().create(
                new ProviderConfig(uri, null, Duration.ofSeconds(2), settings));
    }

    /** A whole response sent at once: status, {@code Content-Type}, {@code Content-Length} and the body. */
    static Script body(int status, String contentType, String body) {
        return Script.fixed(status, contentType, body.getBytes(StandardCharsets.UTF_8), Duration.ZERO, Await.NOTHING);
    }

    /** The next request the server received, waiting up to 5 s. */
    static RecordedRequest take(ScriptedInferenceServer server) {
        RecordedRequest request = server.takeRequest(Duration.ofSeconds(5));
        if (request == null) {
            throw new AssertionError("no request reached the scripted server within 5 s");
        }
        return request;
    }

    static RunResult run(OllamaProvider provider, RunRequest request) {
        return RunExecutor.builder().policy(POLICY).build().execute(provider, request);
    }
}
