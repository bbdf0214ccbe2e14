package dev.orket.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.RunRequest;
import dev.orket.simulator.server.RecordedRequest;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Requests are the bytes Ollama's own examples send")
class RequestBodyTest {

    private static String sent(RunRequest request, Map<String, String> settings, String fixture) throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri(), settings)) {
            server.enqueue(Fixture.load(fixture).script());
            Runs.run(provider, request);
            RecordedRequest received = Runs.take(server);
            assertThat(received.method()).isEqualTo("POST");
            assertThat(received.header("Content-Type")).isEqualTo("application/json");
            return received.path() + " " + received.bodyUtf8();
        }
    }

    @Test
    @DisplayName("generate, streaming and not, matches the fixtures byte for byte")
    void generate() throws Exception {
        for (String fixture : List.of("generate-stream.http", "generate.http")) {
            Fixture expected = Fixture.load(fixture);
            boolean stream = fixture.contains("stream");
            assertThat(sent(Runs.completion(stream).build(), Map.of(), fixture))
                    .isEqualTo("/api/generate " + expected.requestBody().strip());
        }
    }

    @Test
    @DisplayName("chat, streaming and not, with a system prompt setting, matches the fixtures byte for byte")
    void chat() throws Exception {
        Map<String, String> system = Map.of(OllamaSettings.SYSTEM_PROMPT, "You are a test fixture.");
        for (String fixture : List.of("chat-stream.http", "chat.http")) {
            Fixture expected = Fixture.load(fixture);
            boolean stream = fixture.contains("stream");
            assertThat(sent(Runs.chat(stream).build(), system, fixture))
                    .isEqualTo("/api/chat " + expected.requestBody().strip());
        }
    }

    @Test
    @DisplayName("num_ctx, temperature, num_thread, stop, keep_alive and think pass through")
    void options() throws Exception {
        RunRequest request = Runs.completion(false).contextSize(4096).temperature(0.0).threads(8)
                .stopSequences(List.of("\n\n")).build();
        assertThat(sent(request, Map.of(OllamaSettings.KEEP_ALIVE, "-1", OllamaSettings.THINK, "false",
                OllamaSettings.RAW, "false"), "generate.http"))
                .isEqualTo("/api/generate {\"model\":\"tiny-random-llama:q4_k_m\",\"prompt\":\"The quick brown fox\","
                        + "\"options\":{\"num_ctx\":4096,\"num_predict\":16,\"seed\":42,\"temperature\":0.0,"
                        + "\"num_thread\":8,\"stop\":[\"\\n\\n\"]},\"stream\":false,\"keep_alive\":-1,\"think\":false}");
        assertThat(sent(Runs.completion(false).build(), Map.of(OllamaSettings.KEEP_ALIVE, "24h",
                OllamaSettings.THINK, "high"), "generate.http"))
                .endsWith("\"stream\":false,\"keep_alive\":\"24h\",\"think\":\"high\"}");
    }

    @Test
    @DisplayName("unload sends keep_alive 0 like the fixture")
    void unload() throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            Fixture fixture = Fixture.load("generate-unload.http");
            server.enqueue(fixture.script());
            provider.unload(Runs.MODEL);
            assertThat(Runs.take(server).bodyUtf8()).isEqualTo(fixture.requestBody().strip());
        }
    }
}
