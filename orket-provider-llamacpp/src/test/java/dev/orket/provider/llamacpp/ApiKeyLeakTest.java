package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.orket.api.ApiKey;
import dev.orket.api.FailureKind;
import dev.orket.api.PromptStyle;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.core.artifact.TelemetryJson;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.server.Faults;
import dev.orket.simulator.server.RecordedRequest;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Plants an API key, runs successful and failing runs (401 included), writes their telemetry JSON,
 * and greps every artifact, exception and log line for the key: it may only appear in the
 * Authorization header on the wire.
 */
class ApiKeyLeakTest {

    private static final String SECRET = "sk-orket-PLANTED-7f3a9c2e41";

    @Test
    @DisplayName("the API key is sent only as a bearer header and appears in no artifact, message or log line")
    void keyNeverLeaks(@TempDir Path artifacts) throws Exception {
        LoggerFactory.getLogger(ApiKeyLeakTest.class).info("api key leak test starts");
        List<String> texts = new ArrayList<>();
        List<RunResult> results = new ArrayList<>();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                LlamaCppProvider provider = new LlamaCppProviderFactory().create(new ProviderConfig(server.baseUri(),
                        ApiKey.of(SECRET), Duration.ofSeconds(5), Map.of()))) {
            server.enqueue(Fixture.load("completion-stream.http").script());
            server.enqueue(Fixture.load("v1-chat-completions.http").script());
            server.enqueue(Fixture.load("error-unauthorized.http").script());
            server.enqueue(Fixture.load("error-unauthorized-wrong-key.http").script());
            server.enqueue(Fixture.load("error-generation-invalid-utf8-stream.http").script());
            server.enqueue(Fixture.load("error-unauthorized.http").script());
            server.enqueue(Fixture.load("error-unauthorized.http").script());
            server.enqueue(Fixture.load("error-unauthorized.http").script());
            results.add(Runs.execute(provider, Runs.request(PromptStyle.COMPLETION, true)));
            results.add(Runs.execute(provider, Runs.request(PromptStyle.CHAT, false)));
            results.add(Runs.execute(provider, Runs.request(PromptStyle.CHAT, true)));
            results.add(Runs.execute(provider, Runs.request(PromptStyle.COMPLETION, false)));
            results.add(Runs.execute(provider, Runs.request(PromptStyle.COMPLETION, true)));
            texts.add(provider.probe("tiny").toString());
            texts.add(describe(catchThrowable(provider::props)));
            texts.add(describe(catchThrowable(provider::listModels)));
            texts.add(provider.toString());
            assertThat(server.requestCount()).isEqualTo(8);
            for (int i = 0; i < 8; i++) {
                RecordedRequest request = server.takeRequest(Duration.ofSeconds(1));
                assertThat(request).isNotNull();
                assertThat(request.header("Authorization")).isEqualTo("Bearer " + SECRET);
                assertThat(request.target()).doesNotContain(SECRET);
                assertThat(request.bodyUtf8()).doesNotContain(SECRET);
                assertThat(request.headers()).filteredOn(header -> !header.getKey().equalsIgnoreCase("Authorization"))
                        .allSatisfy(header -> assertThat(header.getValue()).doesNotContain(SECRET));
            }
        }
        try (LlamaCppProvider provider = new LlamaCppProviderFactory().create(new ProviderConfig(
                Faults.refusedConnectionUri(), ApiKey.of(SECRET), Duration.ofSeconds(5), Map.of()))) {
            results.add(Runs.execute(provider, Runs.request(PromptStyle.COMPLETION, true)));
            texts.add(provider.probe("tiny").toString());
            texts.add(describe(catchThrowable(provider::props)));
        }
        assertThat(results.get(0).telemetry().outcome().failureKind()).isNull();
        assertThat(results.get(2).telemetry().outcome().failureKind()).isEqualTo(FailureKind.UNAUTHORIZED);
        assertThat(results.get(5).telemetry().outcome().failureKind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
        StringBuilder ledger = new StringBuilder();
        for (RunResult result : results) {
            ledger.append(TelemetryJson.toJson(result.telemetry())).append('\n');
            texts.add(result.toString());
            texts.add(result.outputText());
        }
        Path ledgerFile = artifacts.resolve("runs.jsonl");
        Files.writeString(ledgerFile, ledger, StandardCharsets.UTF_8);
        texts.add(Files.readString(ledgerFile, StandardCharsets.UTF_8));
        texts.add(new ProviderConfig(URI.create("http://h:1"), ApiKey.of(SECRET), Duration.ofSeconds(1), Map.of())
                .toString());

        Path log = Path.of("target/orket-provider-llamacpp-test.log");
        assertThat(log).exists();
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(logText).contains("api key leak test starts").contains("POST /completion");
        texts.add(logText);
        for (String text : texts) {
            assertThat(text).doesNotContain(SECRET).doesNotContain(SECRET.substring(3, 20));
        }
    }

    private static String describe(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
