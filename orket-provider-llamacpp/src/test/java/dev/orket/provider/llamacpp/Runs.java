package dev.orket.provider.llamacpp;

import dev.orket.api.PromptStyle;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.server.RecordedRequest;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Shortcuts for running requests through the core's executor in tests. */
final class Runs {
    private Runs() {}

    static LlamaCppProvider provider(URI baseUrl) {
        return new LlamaCppProviderFactory().create(ProviderConfig.of(baseUrl));
    }

    static RunRequest request(PromptStyle style, boolean stream) {
        return RunRequest.builder("run-1", "tiny", "The quick brown fox").promptStyle(style).stream(stream)
                .maxOutputTokens(16).seed(42L).timeout(Duration.ofSeconds(10)).build();
    }

    /** The request's method and target as the server received them, e.g. {@code GET /health}. */
    static String requestLine(ScriptedInferenceServer server) {
        RecordedRequest request = server.takeRequest(Duration.ofSeconds(5));
        if (request == null) {
            throw new AssertionError("no request reached the scripted server within 5 s");
        }
        return request.method() + " " + request.target();
    }

    static RunResult execute(InferenceProvider provider, RunRequest request) {
        return RunExecutor.builder().build().execute(provider, request);
    }

    /** Runs and keeps every event the provider reported, in order. */
    static List<WireEvent> events(InferenceProvider provider, RunRequest request) {
        List<WireEvent> events = new ArrayList<>();
        provider.execute(request, event -> {
            synchronized (events) {
                events.add(event);
            }
        });
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
