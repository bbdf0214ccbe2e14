package dev.orket.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.Readiness;
import dev.orket.api.ServerIdentity;
import dev.orket.simulator.server.Await;
import dev.orket.simulator.server.RecordedRequest;
import dev.orket.simulator.server.Script;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Readiness, model listing and server identity: llama-server from its real captures, vLLM from the shape of its
 * {@code ModelCard} and {@code /version} (no capture exists), and the answers that block a probe.
 */
class ProbeAndIdentityTest {

    /** A vLLM model list ({@code ModelList} of {@code ModelCard}s, {@code vllm/entrypoints/openai}). */
    static final String VLLM_MODELS = "{\"object\":\"list\",\"data\":[{\"id\":\"Qwen/Qwen2.5-7B-Instruct-AWQ\","
            + "\"object\":\"model\",\"created\":1795562232,\"owned_by\":\"vllm\",\"root\":\"/models/Qwen2.5-7B-Instruct-AWQ\","
            + "\"parent\":null,\"max_model_len\":8192,\"permission\":[]}]}";

    private static Script recorded(String fixture) {
        return Fixtures.exchange(fixture).toScript(ScriptTimeline.DEFAULT, Await.NOTHING);
    }

    /** A server answering each path with its script, and 404 {@code File Not Found} elsewhere. */
    private static ScriptedInferenceServer serving(Map<String, Script> routes) {
        ScriptedInferenceServer server = ScriptedInferenceServer.start();
        server.setDispatcher(request -> routes.getOrDefault(request.path(), recorded("error-unknown-endpoint.http")));
        return server;
    }

    private static List<String> paths(ScriptedInferenceServer server) {
        List<String> paths = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(Duration.ofMillis(50))) != null) {
            paths.add(request.path());
        }
        return paths;
    }

    @Nested
    @DisplayName("llama-server")
    class LlamaServer {

        private ScriptedInferenceServer llama() {
            return serving(Map.of("/health", recorded("health.http"), "/v1/models", recorded("v1-models.http"),
                    "/props", recorded("props.http")));
        }

        @Test
        @DisplayName("is ready for any model name: it serves its one model whatever a request calls it")
        void ready() {
            try (ScriptedInferenceServer server = llama(); OpenAiProvider provider = Runs.provider(server.baseUri())) {
                assertThat(provider.probe("tiny")).isEqualTo(Readiness.readyNow());
                assertThat(paths(server)).containsExactly("/health", "/v1/models");
            }
        }

        @Test
        @DisplayName("identity comes from /v1/models and /props: build, model file, context size, slots")
        void identity() {
            try (ScriptedInferenceServer server = llama(); OpenAiProvider provider = Runs.provider(server.baseUri())) {
                assertThat(provider.serverIdentity("tiny")).isEqualTo(new ServerIdentity("b10587-3f545bec",
                        "tiny-random-llama-Q4_K_M.gguf", null, 512, 1, null, null));
                assertThat(paths(server)).containsExactly("/v1/models", "/props");
            }
        }

        @Test
        @DisplayName("lists the model ids of /v1/models")
        void models() {
            try (ScriptedInferenceServer server = llama(); OpenAiProvider provider = Runs.provider(server.baseUri())) {
                assertThat(provider.listModels()).containsExactly("models/tiny-random-llama-Q4_K_M.gguf");
            }
        }

        @Test
        @DisplayName("is blocked model_loading while /health answers 503 Loading model")
        void loading() {
            try (ScriptedInferenceServer server = serving(Map.of("/health", recorded("health-loading.http")));
                    OpenAiProvider provider = Runs.provider(server.baseUri())) {
                Readiness readiness = provider.probe("tiny");
                assertThat(readiness.reasons()).containsExactly("model_loading");
                assertThat(readiness.detail()).contains("GET /health").contains("HTTP 503").contains("Loading model");
            }
        }

        @Test
        @DisplayName("is blocked unauthorized when /v1/models refuses the key (/health is public)")
        void unauthorized() {
            try (ScriptedInferenceServer server = serving(Map.of("/health", recorded("auth-health-public.http"),
                    "/v1/models", recorded("error-unauthorized.http")));
                    OpenAiProvider provider = Runs.provider(server.baseUri())) {
                Readiness readiness = provider.probe("tiny");
                assertThat(readiness.reasons()).containsExactly("unauthorized");
                assertThat(readiness.detail()).contains("GET /v1/models").contains("Invalid API Key");
            }
        }
    }

    @Nested
    @DisplayName("vLLM")
    class Vllm {

        private ScriptedInferenceServer vllm() {
            return serving(Map.of("/health", Script.fixed(200, "application/json", new byte[0], Duration.ZERO,
                    Await.NOTHING), "/v1/models", Script.json(200, VLLM_MODELS), "/version",
                    Script.json(200, "{\"version\":\"0.11.0\"}")));
        }

        @Test
        @DisplayName("is ready for the model it lists")
        void ready() {
            try (ScriptedInferenceServer server = vllm(); OpenAiProvider provider = Runs.provider(server.baseUri())) {
                assertThat(provider.probe("Qwen/Qwen2.5-7B-Instruct-AWQ").ready()).isTrue();
            }
        }

        @Test
        @DisplayName("is blocked model_not_found for a model it does not list, naming the ids it does")
        void notListed() {
            try (ScriptedInferenceServer server = vllm(); OpenAiProvider provider = Runs.provider(server.baseUri())) {
                Readiness readiness = provider.probe("tiny");
                assertThat(readiness.reasons()).containsExactly("model_not_found");
                assertThat(readiness.detail()).contains("'tiny'").contains("[Qwen/Qwen2.5-7B-Instruct-AWQ]");
            }
        }

        @Test
        @DisplayName("identity: max_model_len is the context size, root the model, /version the build; no /props asked")
        void identity() {
            try (ScriptedInferenceServer server = vllm(); OpenAiProvider provider = Runs.provider(server.baseUri())) {
                assertThat(provider.serverIdentity("Qwen/Qwen2.5-7B-Instruct-AWQ")).isEqualTo(new ServerIdentity(
                        "0.11.0", "Qwen2.5-7B-Instruct-AWQ", null, 8192, null, null, null));
                assertThat(paths(server)).containsExactly("/v1/models", "/version");
            }
        }
    }

    @Test
    @DisplayName("a server without /health (LM Studio) is asked /v1/models alone")
    void noHealthRoute() {
        String models = "{\"object\":\"list\",\"data\":[{\"id\":\"qwen2.5-7b-instruct\",\"object\":\"model\","
                + "\"owned_by\":\"organization_owner\"}]}";
        try (ScriptedInferenceServer server = serving(Map.of("/v1/models", Script.json(200, models)));
                OpenAiProvider provider = Runs.provider(server.baseUri())) {
            assertThat(provider.probe("qwen2.5-7b-instruct").ready()).isTrue();
            assertThat(provider.serverIdentity("qwen2.5-7b-instruct")).isEqualTo(ServerIdentity.unknown());
        }
    }

    @Test
    @DisplayName("a 503 without a loading message is server_busy; an odd status unexpected_status")
    void otherStatuses() {
        try (ScriptedInferenceServer server = serving(Map.of("/health", recorded("error-slots-fail-on-no-slot.http")));
                OpenAiProvider provider = Runs.provider(server.baseUri())) {
            assertThat(provider.probe("m").reasons()).containsExactly("server_busy");
        }
        try (ScriptedInferenceServer server = serving(Map.of("/health", Script.json(418, "{}")));
                OpenAiProvider provider = Runs.provider(server.baseUri())) {
            assertThat(provider.probe("m").reasons()).containsExactly("unexpected_status");
        }
    }

    @Test
    @DisplayName("a model list that is not one is unexpected_response, and listModels says so naming the endpoint")
    void notAList() {
        try (ScriptedInferenceServer server = serving(Map.of("/health", recorded("health.http"), "/v1/models",
                Script.json(200, "{\"object\":\"list\"}")));
                OpenAiProvider provider = Runs.provider(server.baseUri())) {
            assertThat(provider.probe("m").reasons()).containsExactly("unexpected_response");
            assertThatThrownBy(provider::listModels).isInstanceOf(ServerUnavailableException.class)
                    .hasMessageContaining("GET /v1/models").hasMessageContaining("no \"data\" array");
        }
    }

    @Test
    @DisplayName("nothing listening: the probe is blocked unreachable, listModels throws naming the endpoint,"
            + " identity is unknown")
    void unreachable() {
        try (OpenAiProvider provider = Runs.provider(URI.create("http://127.0.0.1:9"))) {
            Readiness readiness = provider.probe("m");
            assertThat(readiness.reasons()).containsExactly("unreachable");
            assertThat(readiness.detail()).contains("GET /health");
            assertThatThrownBy(provider::listModels).isInstanceOf(ServerUnavailableException.class)
                    .hasMessageContaining("/v1/models").hasMessageContaining("Start the server");
            assertThat(provider.serverIdentity("m")).isEqualTo(ServerIdentity.unknown());
        }
    }

    @Test
    @DisplayName("a 401 on /v1/models is a ServerUnavailableException with the status and the server's words")
    void listUnauthorized() {
        try (ScriptedInferenceServer server = serving(Map.of("/v1/models", recorded("error-unauthorized.http")));
                OpenAiProvider provider = Runs.provider(server.baseUri())) {
            assertThatThrownBy(provider::listModels).isInstanceOf(ServerUnavailableException.class)
                    .hasMessageContaining("HTTP 401").hasMessageContaining("Invalid API Key")
                    .satisfies(e -> assertThat(((ServerUnavailableException) e).httpStatus()).isEqualTo(401));
        }
    }

    @Test
    @DisplayName("a closed provider fails its runs as PROVIDER_ERROR and its calls as misuse")
    void closed() {
        OpenAiProvider provider = Runs.provider(URI.create("http://127.0.0.1:9"));
        provider.close();
        assertThat(Runs.events(provider, Runs.request(dev.orket.api.PromptStyle.CHAT, true)))
                .singleElement().hasToString("Failed[kind=PROVIDER_ERROR, message=the openai provider is closed; create"
                        + " a new one, httpStatus=null]");
        assertThatThrownBy(provider::listModels).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> provider.probe("m")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
