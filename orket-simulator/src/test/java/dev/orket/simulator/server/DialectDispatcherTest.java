package dev.orket.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The utility routes of the built-in dialects, ready and not, over real loopback HTTP. */
class DialectDispatcherTest {

    private static final String MODEL = "tiny-random-llama:q4_k_m";

    private static String get(ServerDialect dialect, boolean ready, String path) {
        LinkedBlockingQueue<Script> generation = new LinkedBlockingQueue<>();
        generation.add(Script.json(299, "{\"generation\":true}"));
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.setDispatcher(dialect.dispatcher(MODEL, ready, request -> generation.remove()));
            return new String(RawHttp.get(server.baseUri(), path), StandardCharsets.UTF_8);
        }
    }

    @Test
    @DisplayName("llama.cpp: health, props and model lists when ready, 503 Loading model on every path when not")
    void llamaCpp() {
        for (ServerDialect dialect : new ServerDialect[] {ServerDialect.LLAMACPP_COMPLETION,
            ServerDialect.LLAMACPP_CHAT}) {
            assertThat(get(dialect, true, "/health")).startsWith("HTTP/1.1 200 ").endsWith("{\"status\":\"ok\"}");
            assertThat(get(dialect, true, "/v1/health")).startsWith("HTTP/1.1 200 ");
            assertThat(get(dialect, true, "/props")).contains("\"model_alias\":\"" + MODEL + "\"", "\"n_ctx\":512",
                    "\"model_ftype\":\"Q4_K - Medium\"");
            assertThat(get(dialect, true, "/v1/models")).contains("\"id\":\"" + MODEL + "\"");
            assertThat(get(dialect, true, "/models")).contains("\"id\":\"" + MODEL + "\"");
            assertThat(get(dialect, true, dialect.path())).startsWith("HTTP/1.1 299 ");
            for (String path : new String[] {"/health", "/props", "/v1/models", dialect.path()}) {
                assertThat(get(dialect, false, path)).as(path).startsWith("HTTP/1.1 503 ")
                        .endsWith(LlamaCppScripts.LOADING_BODY);
            }
        }
    }

    @Test
    @DisplayName("Ollama: root, version, tags, ps and show list the model when ready and leave it out when not")
    void ollama() {
        for (ServerDialect dialect : new ServerDialect[] {ServerDialect.OLLAMA_GENERATE, ServerDialect.OLLAMA_CHAT}) {
            assertThat(get(dialect, true, "/")).endsWith("Ollama is running");
            assertThat(get(dialect, false, "/")).endsWith("Ollama is running");
            assertThat(get(dialect, true, "/api/version")).contains("\"version\":\"0.33.0-rc2\"");
            assertThat(get(dialect, true, "/api/tags")).contains("\"name\":\"" + MODEL + "\"",
                    "\"quantization_level\":\"Q4_K_M\"");
            assertThat(get(dialect, false, "/api/tags")).endsWith("{\"models\":[]}");
            assertThat(get(dialect, true, "/api/ps")).contains("\"name\":\"" + MODEL + "\"", "\"size_vram\":9175040",
                    "\"context_length\":512");
            assertThat(get(dialect, false, "/api/ps")).endsWith("{\"models\":[]}");
            assertThat(get(dialect, true, "/api/show")).startsWith("HTTP/1.1 200 ").contains("Q4_K_M");
            assertThat(get(dialect, false, "/api/show")).startsWith("HTTP/1.1 404 ");
            assertThat(get(dialect, true, dialect.path())).startsWith("HTTP/1.1 299 ");
        }
    }

    @Test
    @DisplayName("the error scripts carry each server's real bodies and headers")
    void errorScripts() {
        assertThat(new String(LlamaCppScripts.errorScript(400).body(), StandardCharsets.UTF_8))
                .contains("invalid_request_error");
        assertThat(LlamaCppScripts.errorScript(418).status()).isEqualTo(418);
        assertThat(LlamaCppScripts.notFound().status()).isEqualTo(404);
        assertThat(new String(OllamaScripts.errorScript(503).body(), StandardCharsets.UTF_8)).contains("server busy");
        assertThat(OllamaScripts.errorScript(418).header("Content-Type")).startsWith("application/json");
        assertThat(OllamaScripts.unknownRoute().status()).isEqualTo(404);
        assertThat(ServerDialect.OLLAMA_CHAT.httpError(500).failureKind())
                .isEqualTo(dev.orket.api.FailureKind.SERVER_ERROR);
    }
}
