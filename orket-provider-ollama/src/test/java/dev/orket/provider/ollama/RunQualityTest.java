package dev.orket.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.RunQualityReason;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.UnavailableReason;
import dev.orket.simulator.server.ScriptedInferenceServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Run quality the provider detects: unit anomalies, silent truncation, hidden KV-cache hits")
class RunQualityTest {

    private static String finalLine(long promptCount, long promptNs, long evalCount, long evalNs, long loadNs) {
        return "{\"model\":\"m\",\"response\":\"ab\",\"done\":true,\"done_reason\":\"stop\",\"load_duration\":" + loadNs
                + ",\"prompt_eval_count\":" + promptCount + ",\"prompt_eval_duration\":" + promptNs
                + ",\"eval_count\":" + evalCount + ",\"eval_duration\":" + evalNs + "}";
    }

    private static RunTelemetry once(OllamaProvider provider, ScriptedInferenceServer server, String body) {
        server.enqueue(Runs.body(200, "application/json; charset=utf-8", body));
        return Runs.run(provider, Runs.completion(false).build()).telemetry();
    }

    @Test
    @DisplayName("durations in milliseconds instead of nanoseconds are UNIT_ANOMALY, read as milliseconds, run invalid")
    void unitAnomaly() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            RunTelemetry telemetry = once(provider, server, finalLine(10, 1, 16, 3, 2));
            assertThat(telemetry.outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
            assertThat(telemetry.quality().reasons()).containsExactly(RunQualityReason.UNIT_ANOMALY);
            assertThat(telemetry.qualityDetails().get(RunQualityReason.UNIT_ANOMALY))
                    .contains("eval_duration 3 for eval_count 16");
            assertThat(telemetry.tokenMetrics().serverPromptMs().value()).isEqualTo(1.0);
            assertThat(telemetry.tokenMetrics().serverGenerationMs().value()).isEqualTo(3.0);
            assertThat(telemetry.tokenMetrics().loadMs().value()).isEqualTo(2.0);
            assertThat(telemetry.tokenMetrics().outputTokens().value()).isEqualTo(16.0);
            assertThat(telemetry.validity().valid()).isFalse();
        }
    }

    @Test
    @DisplayName("just above 1 µs per token is plausible; one output token with a tiny eval_duration too")
    void unitBoundary() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            assertThat(once(provider, server, finalLine(10, 1000, 16, 15_000, 5)).quality().reasons()).isEmpty();
            assertThat(once(provider, server, finalLine(11, 1000, 16, 14_999, 5)).quality().reasons())
                    .contains(RunQualityReason.UNIT_ANOMALY);
            assertThat(once(provider, server, finalLine(12, 999, 16, 15_000, 5)).quality().reasons())
                    .contains(RunQualityReason.UNIT_ANOMALY);
            assertThat(once(provider, server, finalLine(13, 5000, 1, 10, 5)).quality().reasons()).isEmpty();
        }
    }

    @Test
    @DisplayName("the cache-hit fixture after an uncached run of the same prompt is PROMPT_CACHE_HIT, prompt tokens/s null")
    void cacheHit() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("generate.http").script());
            server.enqueue(Fixture.load("generate-cache-hit.http").script());
            RunTelemetry cold = Runs.run(provider, Runs.completion(false).build()).telemetry();
            RunTelemetry warm = Runs.run(provider, Runs.completion(false).expectColdPromptCache(true).build())
                    .telemetry();
            assertThat(cold.quality().reasons()).isEmpty();
            assertThat(cold.tokenMetrics().promptTokensPerSecond().value()).isEqualTo(10 * 1000 / 0.923);
            assertThat(warm.quality().reasons()).containsExactly(RunQualityReason.PROMPT_CACHE_HIT);
            assertThat(warm.qualityDetails().get(RunQualityReason.PROMPT_CACHE_HIT)).contains("0.232 ms", "0.923 ms");
            assertThat(warm.tokenMetrics().promptTokensPerSecond().unavailableReason())
                    .isEqualTo(UnavailableReason.PROMPT_CACHE_HIT);
            assertThat(warm.tokenMetrics().generationTokensPerSecond().value()).isEqualTo(16 * 1000 / 2.438);
        }
    }

    @Test
    @DisplayName("a different prompt is never compared")
    void otherPromptNotCompared() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("generate.http").script());
            server.enqueue(Fixture.load("generate-cache-hit.http").script());
            Runs.run(provider, Runs.completion(false).build());
            RunTelemetry other = Runs.run(provider, Runs.completion(false).prompt("Another prompt").build())
                    .telemetry();
            assertThat(other.quality().reasons()).isEmpty();
        }
    }

    @Test
    @DisplayName("a lower prompt_eval_count than earlier for the same prompt is PROMPT_TRUNCATED")
    void truncatedAgainstEarlierRun() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            assertThat(once(provider, server, finalLine(2100, 90_000_000, 16, 2_000_000, 5)).quality().reasons())
                    .isEmpty();
            RunTelemetry cut = once(provider, server, finalLine(1026, 45_000_000, 16, 2_000_000, 5));
            assertThat(cut.quality().reasons()).containsExactly(RunQualityReason.PROMPT_TRUNCATED);
            assertThat(cut.qualityDetails().get(RunQualityReason.PROMPT_TRUNCATED)).contains("1026 < 2100");
        }
    }

    @Test
    @DisplayName("an expected count registered by the caller catches truncation on the first run")
    void truncatedAgainstExpectedCount() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            provider.expectPromptTokens(Runs.completion(false).build(), 2100);
            RunTelemetry cut = once(provider, server, finalLine(1026, 45_000_000, 16, 2_000_000, 5));
            assertThat(cut.quality().reasons()).containsExactly(RunQualityReason.PROMPT_TRUNCATED);
            assertThat(cut.qualityDetails().get(RunQualityReason.PROMPT_TRUNCATED)).contains("expected");
        }
    }

    @Test
    @DisplayName("prompt_eval_count reaching the requested num_ctx is PROMPT_TRUNCATED (servers up to 0.29)")
    void truncatedToContext() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Runs.body(200, "application/json", finalLine(512, 9_000_000, 16, 2_000_000, 5)));
            RunTelemetry telemetry = Runs.run(provider, Runs.completion(false).contextSize(512).build()).telemetry();
            assertThat(telemetry.quality().reasons()).containsExactly(RunQualityReason.PROMPT_TRUNCATED);
        }
    }

    @Test
    @DisplayName("a cold load is reported as load ms and core flags COLD_MODEL_LOAD (verbatim cold-load capture)")
    void coldLoad() {
        String body = "{\"model\":\"gemma3n:e2b\",\"response\":\"hi\",\"done\":true,\"done_reason\":\"stop\","
                + "\"total_duration\":4650954900,\"load_duration\":4280545400,\"prompt_eval_count\":13,"
                + "\"prompt_eval_duration\":196012600,\"eval_count\":10,\"eval_duration\":172958000}";
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            RunTelemetry telemetry = once(provider, server, body);
            assertThat(telemetry.tokenMetrics().loadMs().value()).isEqualTo(4280.5454);
            assertThat(telemetry.quality().reasons()).containsExactly(RunQualityReason.COLD_MODEL_LOAD);
        }
    }
}
