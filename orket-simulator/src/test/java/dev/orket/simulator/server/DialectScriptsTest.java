package dev.orket.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.simulator.internal.JsonTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DialectScriptsTest {

    private static final Answer ANSWER = Answer.fixture("tiny-random-llama:q4_k_m").withPrompt(10, 3);
    private static final ScriptTimeline TIMELINE = ScriptTimeline.DEFAULT;

    private static List<Object> events(byte[] body) throws IOException {
        List<Object> events = new ArrayList<>();
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
            String payload = line.startsWith("data: ") ? line.substring(6) : line;
            if (!payload.isEmpty() && !payload.equals("[DONE]")) {
                events.add(JsonTree.parse(payload));
            }
        }
        return events;
    }

    private static @Nullable String text(Object event) {
        for (Object candidate : new Object[] {JsonTree.at(event, "content"), JsonTree.at(event, "response"),
            JsonTree.at(event, "message", "content")}) {
            if (candidate instanceof String) {
                return (String) candidate;
            }
        }
        Object choices = JsonTree.at(event, "choices");
        if (choices instanceof List && !((List<?>) choices).isEmpty()) {
            Object content = JsonTree.at(((List<?>) choices).get(0), "delta", "content");
            return content instanceof String ? (String) content : null;
        }
        return null;
    }

    static List<ServerDialect> builtIn() {
        return ServerDialect.builtIn();
    }

    static List<ServerDialect> ollamaDialects() {
        return List.of(ServerDialect.OLLAMA_GENERATE, ServerDialect.OLLAMA_CHAT);
    }

    @ParameterizedTest
    @MethodSource("builtIn")
    @DisplayName("a streamed answer carries every token in order, one event per token, on the timeline")
    void streaming(ServerDialect dialect) throws IOException {
        Script script = dialect.streaming(ANSWER, TIMELINE);
        StringBuilder text = new StringBuilder();
        int contentSteps = 0;
        for (ScriptStep step : script.steps()) {
            if (step instanceof ScriptStep.Data && step.await() == Await.CONTENT) {
                assertThat(step.at()).isEqualTo(TIMELINE.tokenAt(contentSteps));
                contentSteps++;
            }
        }
        for (Object event : events(script.body())) {
            String piece = text(event);
            text.append(piece == null ? "" : piece);
        }
        assertThat(contentSteps).isEqualTo(ANSWER.outputTokens());
        assertThat(text.toString()).isEqualTo(ANSWER.text());
        assertThat(script.duration()).isEqualTo(TIMELINE.endAt(ANSWER.outputTokens()));
        assertThat(script.steps().get(script.steps().size() - 1)).isEqualTo(
                new ScriptStep.End(TIMELINE.endAt(ANSWER.outputTokens()), Await.TERMINAL));
    }

    @Test
    @DisplayName("llama.cpp's timings follow the timeline: prompt_ms = first token - overhead - load, predicted_ms = (n-1) gaps")
    void llamaTimings() throws IOException {
        for (boolean stream : new boolean[] {true, false}) {
            List<Object> events = events(ServerDialect.LLAMACPP_COMPLETION.script(stream, ANSWER, TIMELINE).body());
            Object last = events.get(events.size() - 1);
            assertThat(JsonTree.at(last, "stop")).isEqualTo(true);
            assertThat(JsonTree.at(last, "stop_type")).isEqualTo("limit");
            assertThat(JsonTree.at(last, "timings", "prompt_ms")).isEqualTo(34.0);
            assertThat(JsonTree.at(last, "timings", "predicted_ms")).isEqualTo(150.0);
            assertThat(JsonTree.at(last, "timings", "prompt_n")).isEqualTo(7L);
            assertThat(JsonTree.at(last, "timings", "cache_n")).isEqualTo(3L);
            assertThat(JsonTree.at(last, "timings", "predicted_n")).isEqualTo(16L);
            assertThat(JsonTree.at(last, "timings", "predicted_per_token_ms")).isEqualTo(10.0);
            assertThat(JsonTree.at(last, "tokens_evaluated")).isEqualTo(10L);
        }
        String stream = new String(ServerDialect.LLAMACPP_COMPLETION.streaming(ANSWER, TIMELINE).body(),
                StandardCharsets.UTF_8);
        assertThat(stream).doesNotContain("[DONE]");
    }

    @Test
    @DisplayName("the OpenAI-compatible stream ends with finish, usage with timings, then [DONE]")
    void openAi() throws IOException {
        String body = new String(ServerDialect.LLAMACPP_CHAT.streaming(ANSWER, TIMELINE).body(), StandardCharsets.UTF_8);
        assertThat(body).endsWith("data: [DONE]\n\n");
        List<Object> events = events(body.getBytes(StandardCharsets.UTF_8));
        assertThat((List<?>) JsonTree.at(events.get(0), "choices")).hasSize(1);
        Object usage = events.get(events.size() - 1);
        assertThat(JsonTree.at(usage, "usage", "prompt_tokens")).isEqualTo(10L);
        assertThat(JsonTree.at(usage, "usage", "completion_tokens")).isEqualTo(16L);
        assertThat(JsonTree.at(usage, "usage", "prompt_tokens_details", "cached_tokens")).isEqualTo(3L);
        assertThat(JsonTree.at(usage, "timings", "prompt_ms")).isEqualTo(34.0);
        Object whole = events(ServerDialect.LLAMACPP_CHAT.nonStreaming(ANSWER, TIMELINE).body()).get(0);
        assertThat(JsonTree.at(whole, "object")).isEqualTo("chat.completion");
    }

    @ParameterizedTest
    @MethodSource("ollamaDialects")
    @DisplayName("Ollama's final object has the six metrics in nanoseconds")
    void ollama(ServerDialect dialect) throws IOException {
        for (boolean stream : new boolean[] {true, false}) {
            List<Object> events = events(dialect.script(stream, ANSWER, TIMELINE).body());
            @SuppressWarnings("unchecked")
            Map<String, Object> last = (Map<String, Object>) events.get(events.size() - 1);
            assertThat(last).containsEntry("done", true).containsEntry("done_reason", "length")
                    .containsEntry("prompt_eval_count", 10L).containsEntry("prompt_eval_duration", 34_000_000L)
                    .containsEntry("eval_count", 16L).containsEntry("eval_duration", 150_000_000L)
                    .containsEntry("load_duration", 2_000_000L).containsEntry("total_duration", 191_000_000L);
        }
        assertThat(OllamaDialect.createdAt(java.time.Duration.ofNanos(3_102_755))).isEqualTo("2026-08-22T09:30:00.003102755Z");
        assertThat(OllamaDialect.createdAt(java.time.Duration.ofMillis(40))).isEqualTo("2026-08-22T09:30:00.04Z");
    }

    @Test
    @DisplayName("utility routes answer like the real servers")
    void utilityRoutes() throws IOException {
        assertThat(new String(LlamaCppScripts.loading().body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"error\":{\"message\":\"Loading model\",\"type\":\"unavailable_error\",\"code\":503}}");
        assertThat(LlamaCppScripts.loading().status()).isEqualTo(503);
        Object props = JsonTree.parse(new String(LlamaCppScripts.props("m", "Q8_0", 4096).body(), StandardCharsets.UTF_8));
        assertThat(JsonTree.at(props, "default_generation_settings", "n_ctx")).isEqualTo(4096L);
        assertThat(JsonTree.at(props, "model_ftype")).isEqualTo("Q8_0");
        Object ps = JsonTree.parse(new String(OllamaScripts.ps("m:q4", 100, 80, 512).body(), StandardCharsets.UTF_8));
        assertThat(ps.toString()).contains("size_vram=80");
        assertThat(new String(OllamaScripts.version().body(), StandardCharsets.UTF_8)).isEqualTo("{\"version\":\"0.33.0-rc2\"}");
        assertThat(new String(OllamaScripts.unknownRoute().body(), StandardCharsets.UTF_8)).isEqualTo("404 page not found");
        JsonTree.parse(new String(OllamaScripts.show("m", "Q4_K_M", 512).body(), StandardCharsets.UTF_8));
        JsonTree.parse(new String(OllamaScripts.tags(List.of("a:b"), List.of("Q8_0")).body(), StandardCharsets.UTF_8));
        JsonTree.parse(new String(LlamaCppScripts.models("m").body(), StandardCharsets.UTF_8));
        for (int status : new int[] {400, 404, 500, 503, 418}) {
            JsonTree.parse(new String(LlamaCppScripts.errorScript(status).body(), StandardCharsets.UTF_8));
            JsonTree.parse(new String(OllamaScripts.errorScript(status).body(), StandardCharsets.UTF_8));
        }
    }
}
