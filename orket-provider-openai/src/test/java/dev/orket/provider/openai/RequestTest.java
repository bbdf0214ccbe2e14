package dev.orket.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.ApiKey;
import dev.orket.api.ControlStatus;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.PromptStyle;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.core.artifact.TelemetryJson;
import dev.orket.simulator.server.RecordedRequest;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What goes on the wire: the path, the body of each endpoint and mode, the key in its header and nowhere else. */
class RequestTest {

    private static RecordedRequest send(ProviderConfig config, RunRequest request, String fixture) {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                OpenAiProvider provider = new OpenAiProviderFactory().create(new ProviderConfig(server.baseUri(),
                        config.apiKey(), Duration.ofSeconds(5), config.settings()))) {
            server.enqueue(Fixtures.exchange(fixture).toScript(ScriptTimeline.DEFAULT));
            Runs.execute(provider, request);
            RecordedRequest recorded = server.takeRequest(Duration.ofSeconds(5));
            assertThat(recorded).isNotNull();
            return recorded;
        }
    }

    private static ProviderConfig plain() {
        return ProviderConfig.of(URI.create("http://127.0.0.1:9"));
    }

    @Test
    @DisplayName("a streamed completion: POST /v1/completions with prompt, stream_options.include_usage and the controls")
    void streamedCompletion() {
        RunRequest request = Runs.request(PromptStyle.COMPLETION, true).toBuilder().temperature(0.0)
                .stopSequences(List.of("ate", "\"q\"")).build();
        RecordedRequest sent = send(plain(), request, "v1-completions-stream-usage.http");
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/completions");
        assertThat(sent.header("Accept")).isEqualTo("text/event-stream");
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        assertThat(sent.bodyUtf8()).isEqualTo("{\"model\":\"tiny\",\"prompt\":\"The quick brown fox\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"max_tokens\":16,\"seed\":42,\"temperature\":0.0,"
                + "\"stop\":[\"ate\",\"\\\"q\\\"\"]}");
        assertThat(sent.header("Authorization")).isNull();
    }

    @Test
    @DisplayName("a whole chat: POST /v1/chat/completions with one user message and no stream_options")
    void wholeChat() {
        RecordedRequest sent = send(plain(), Runs.request(PromptStyle.CHAT, false), "v1-chat-completions.http");
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("Accept")).isEqualTo("application/json");
        assertThat(sent.bodyUtf8()).isEqualTo("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"The quick brown fox\"}],\"stream\":false,\"max_tokens\":16,\"seed\":42}");
    }

    @Test
    @DisplayName("api_prefix moves the API's paths")
    void prefix() {
        ProviderConfig config = new ProviderConfig(URI.create("http://127.0.0.1:9"), null, Duration.ofSeconds(5),
                Map.of(OpenAiProviderFactory.API_PREFIX, "/openai/v1"));
        assertThat(send(config, Runs.request(PromptStyle.CHAT, false), "v1-chat-completions.http").path())
                .isEqualTo("/openai/v1/chat/completions");
    }

    @Test
    @DisplayName("a run that expects a cold cache sends what cold_cache names, and nothing by default")
    void coldCache() {
        RunRequest cold = Runs.request(PromptStyle.CHAT, false).toBuilder().expectColdPromptCache(true).build();
        assertThat(send(plain(), cold, "v1-chat-completions.http").bodyUtf8()).doesNotContain("cache");
        ProviderConfig llama = new ProviderConfig(URI.create("http://127.0.0.1:9"), null, Duration.ofSeconds(5),
                Map.of(OpenAiProviderFactory.COLD_CACHE, "cache_prompt_false"));
        assertThat(send(llama, cold, "v1-chat-completions.http").jsonField("cache_prompt")).isEqualTo("false");
        ProviderConfig vllm = new ProviderConfig(URI.create("http://127.0.0.1:9"), null, Duration.ofSeconds(5),
                Map.of(OpenAiProviderFactory.COLD_CACHE, "cache_salt"));
        assertThat(send(vllm, cold, "v1-chat-completions.http").jsonField("cache_salt")).isEqualTo("orket-run-1");
        assertThat(send(vllm, Runs.request(PromptStyle.CHAT, false), "v1-chat-completions.http").bodyUtf8())
                .doesNotContain("cache_salt");
    }

    @Test
    @DisplayName("the API key travels in the Authorization header only: not in the URL, the record or a message")
    void apiKey() throws Exception {
        String secret = "sk-orket-test-4711";
        ProviderConfig config = new ProviderConfig(URI.create("http://127.0.0.1:9"), ApiKey.of(secret),
                Duration.ofSeconds(5), Map.of());
        RecordedRequest sent = send(config, Runs.request(PromptStyle.CHAT, true), "error-unauthorized.http");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + secret);
        assertThat(sent.target()).doesNotContain(secret);
        assertThat(sent.bodyUtf8()).doesNotContain(secret);

        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                OpenAiProvider provider = new OpenAiProviderFactory().create(new ProviderConfig(server.baseUri(),
                        ApiKey.of(secret), Duration.ofSeconds(5), Map.of()))) {
            server.enqueue(Fixtures.exchange("error-unauthorized.http").toScript(ScriptTimeline.DEFAULT));
            RunTelemetry t = Runs.execute(provider, Runs.request(PromptStyle.CHAT, true)).telemetry();
            assertThat(TelemetryJson.toJson(t)).doesNotContain(secret);
            assertThat(t.outcome().failureMessage()).contains("Invalid API Key").doesNotContain(secret);
            assertThat(provider.toString()).doesNotContain(secret);
            assertThat(provider.probe("tiny").detail()).doesNotContain(secret);
        }
    }

    @Test
    @DisplayName("seed and temperature are applied; threads and context size are start settings of the server")
    void controls() {
        RunRequest request = Runs.request(PromptStyle.CHAT, true).toBuilder().temperature(0.5).threads(4)
                .contextSize(4096).build();
        try (OpenAiProvider provider = Runs.provider(URI.create("http://127.0.0.1:9"))) {
            var controls = provider.controlsFor(request);
            assertThat(controls.get(ExperimentalControl.SEED).status()).isEqualTo(ControlStatus.APPLIED);
            assertThat(controls.get(ExperimentalControl.TEMPERATURE).status()).isEqualTo(ControlStatus.APPLIED);
            assertThat(controls.get(ExperimentalControl.THREADS).status()).isEqualTo(ControlStatus.NOT_APPLIED);
            assertThat(controls.get(ExperimentalControl.CONTEXT_SIZE).status()).isEqualTo(ControlStatus.NOT_APPLIED);
            assertThat(controls.get(ExperimentalControl.CONTEXT_SIZE).detail()).contains("--max-model-len");
            var none = provider.controlsFor(Runs.request(PromptStyle.CHAT, true).toBuilder().seed(null).build());
            assertThat(none.values()).allMatch(c -> c.status() == ControlStatus.NOT_APPLICABLE);
        }
    }
}
