package dev.orket.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.api.ApiKey;
import dev.orket.api.ExecutionLane;
import dev.orket.api.PromptStyle;
import dev.orket.api.Readiness;
import dev.orket.api.RunRequest;
import dev.orket.api.ServerIdentity;
import dev.orket.api.TerminalState;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.provider.llamacpp.ManagedLlamaServer;
import dev.orket.provider.llamacpp.QuantSweep;
import dev.orket.testkit.lab.LabLane;
import dev.orket.testkit.lab.RecordingProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The lab-cpu lane on the real llama-server's OpenAI endpoints: every GGUF file of {@code ORKET_GGUF_DIR} on its own
 * managed server, {@code /v1/completions} and {@code /v1/chat/completions}, streaming and not, through the openai
 * provider. Each run's counts are compared with the server's own {@code usage} and its internal model time with the
 * server's own {@code timings}, both read from the raw response bytes by a recording proxy rather than through the
 * provider under test.
 */
class OpenAiLlamaServerLabIT {

    private static LabLane.LlamaServerLab lab;

    @BeforeAll
    static void lab() {
        lab = LabLane.llamaServer(OpenAiLlamaServerLabIT.class);
    }

    @Test
    @DisplayName("every quant, both OpenAI endpoints, streaming and not: completed, counts are the server's usage,"
            + " internal model time is the server's timings")
    void everyQuantMatchesTheServersOwnFigures() {
        long started = System.nanoTime();
        RunExecutor executor = RunExecutor.builder().build();
        ManagedLlamaServer.Options options = ManagedLlamaServer.options(lab.executable(), lab.ggufFiles().get(0))
                .contextSize(512).threads(2).seed(42L).parallel(1).extraArgs(List.of("--no-ui"))
                .startupDeadline(Duration.ofSeconds(60));
        List<QuantSweep.Cell<Cell>> cells = QuantSweep.run(options, lab.ggufFiles(), server -> {
            List<Checked> checked = new ArrayList<>();
            try (RecordingProxy proxy = RecordingProxy.start(server.baseUrl());
                    OpenAiProvider provider = new OpenAiProviderFactory().create(ProviderConfig.of(proxy.baseUrl()))) {
                Readiness readiness = provider.probe("tiny");
                ServerIdentity identity = provider.serverIdentity("tiny");
                for (PromptStyle style : PromptStyle.values()) {
                    for (boolean stream : new boolean[] {true, false}) {
                        RunRequest request = RunRequest.builder(server.quantTag() + "/" + style.jsonName() + "/"
                                        + (stream ? "stream" : "whole"), "tiny",
                                        "The quick brown fox jumps over the lazy dog")
                                .promptStyle(style).stream(stream).maxOutputTokens(16).seed(42L).temperature(0.0)
                                .quantTag(server.quantTag()).executionLane(ExecutionLane.LAB).build();
                        long mark = proxy.mark();
                        RunResult result = executor.execute(provider, request, Set.of(server.pid()));
                        byte[] raw = proxy.receivedSince(mark);
                        checked.add(new Checked(result, lastObject(raw, "usage"), lastObject(raw, "timings")));
                    }
                }
                return new Cell(readiness, identity, server.model().getFileName().toString(), checked);
            }
        });

        int runs = 0;
        for (QuantSweep.Cell<Cell> cell : cells) {
            assertThat(cell.startFailure()).as("%s did not start: %s", cell.model(), cell.outputTail()).isNull();
            Cell result = cell.result();
            assertThat(result.readiness.ready()).as(cell.model() + " " + result.readiness).isTrue();
            assertThat(result.identity.modelFile()).as("model file").isEqualTo(result.file);
            assertThat(result.identity.contextSize()).as("context size").isEqualTo(512);
            assertThat(result.identity.build()).as("build").isNotBlank();
            Map<String, String> texts = new HashMap<>();
            for (Checked run : result.runs) {
                runs++;
                var t = run.result.telemetry();
                String id = t.identity().runId();
                assertThat(t.outcome().terminalState()).as(id + " " + t.outcome()).isEqualTo(TerminalState.COMPLETED);
                assertThat(t.tokenMetrics().status()).as(id).isEqualTo(TokenMetricsStatus.OK);
                Map<String, Double> usage = run.usage;
                Map<String, Double> timings = run.timings;
                assertThat(usage).as(id + ": the raw response carries usage").containsKeys("prompt_tokens",
                        "completion_tokens", "cached_tokens");
                assertThat(timings).as(id + ": the raw response carries timings").containsKeys("prompt_ms",
                        "predicted_ms");
                assertThat(t.tokenMetrics().promptTokens().require()).as(id + " prompt tokens")
                        .isEqualTo(usage.get("prompt_tokens"));
                assertThat(t.tokenMetrics().outputTokens().require()).as(id + " output tokens")
                        .isEqualTo(usage.get("completion_tokens"));
                assertThat(t.tokenMetrics().cachedPromptTokens().require()).as(id + " cached tokens")
                        .isEqualTo(usage.get("cached_tokens"));
                assertThat(t.tokenMetrics().serverPromptMs().require()).as(id + " server prompt ms")
                        .isEqualTo(timings.get("prompt_ms"));
                assertThat(t.tokenMetrics().serverGenerationMs().require()).as(id + " server generation ms")
                        .isEqualTo(timings.get("predicted_ms"));
                assertThat(t.internalModelSeconds().require()).as(id + " internal_model_seconds")
                        .isEqualTo((timings.get("prompt_ms") + timings.get("predicted_ms")) / 1000);
                double wallMs = t.wallSeconds().require() * 1000;
                if (t.identity().stream()) {
                    assertThat(t.tokenMetrics().clientTtftMs().require()).as(id + " ttft").isBetween(0.0, wallMs);
                    assertThat(t.tokenMetrics().chunkCount()).as(id + " chunks").isPositive();
                } else {
                    assertThat(t.tokenMetrics().clientTtftMs().isPresent()).as(id + " ttft of a whole response")
                            .isFalse();
                }
                assertThat(t.orchestrationOverheadRatio().require()).as(id + " overhead").isBetween(0.0, 1.0);
                // The same seed at temperature 0 gives the same text, streamed or whole.
                String previous = texts.putIfAbsent(id.split("/")[1], run.result.outputText());
                if (previous != null) {
                    assertThat(run.result.outputText()).as(id + " text, streamed and whole").isEqualTo(previous);
                }
            }
        }
        assertThat(cells).hasSize(lab.ggufFiles().size());
        LabLane.printTotals("openai provider on llama-server /v1: every quant x {completions, chat} x {stream, whole}",
                runs, cells.size(), Duration.ofNanos(System.nanoTime() - started));
    }

    @Test
    @DisplayName("a server that requires an API key: the key in the header is accepted, a run without it is UNAUTHORIZED,"
            + " and the key appears in no record or message")
    void apiKey() {
        long started = System.nanoTime();
        String secret = "orket-lab-key-" + Long.toHexString(started);
        ManagedLlamaServer.Options options = ManagedLlamaServer.options(lab.executable(), lab.ggufFiles().get(0))
                .contextSize(512).threads(2).seed(42L).parallel(1).extraArgs(List.of("--no-ui"))
                .apiKey(ApiKey.of(secret)).startupDeadline(Duration.ofSeconds(60));
        RunRequest request = RunRequest.builder("key/chat/stream", "tiny", "The quick brown fox").promptStyle(
                PromptStyle.CHAT).maxOutputTokens(8).seed(42L).executionLane(ExecutionLane.LAB).build();
        try (ManagedLlamaServer server = ManagedLlamaServer.start(options);
                OpenAiProvider keyed = new OpenAiProviderFactory().create(server.providerConfig());
                OpenAiProvider keyless = new OpenAiProviderFactory().create(ProviderConfig.of(server.baseUrl()))) {
            RunExecutor executor = RunExecutor.builder().build();
            assertThat(keyed.probe("tiny").ready()).isTrue();
            assertThat(keyless.probe("tiny").reasons()).containsExactly("unauthorized");
            var accepted = executor.execute(keyed, request, Set.of(server.pid())).telemetry();
            var refused = executor.execute(keyless, request.toBuilder().runId("nokey/chat/stream").build(),
                    Set.of(server.pid())).telemetry();
            assertThat(accepted.outcome().terminalState()).as(accepted.outcome().toString())
                    .isEqualTo(TerminalState.COMPLETED);
            assertThat(refused.outcome().failureKind()).isEqualTo(dev.orket.api.FailureKind.UNAUTHORIZED);
            assertThat(refused.outcome().httpStatus()).isEqualTo(401);
            assertThat(dev.orket.core.artifact.TelemetryJson.toJson(accepted)).doesNotContain(secret);
            assertThat(refused.outcome().failureMessage()).contains("Invalid API Key").doesNotContain(secret);
        }
        LabLane.printTotals("openai provider, API key on llama-server /v1", 2, 1,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static final class Cell {
        final Readiness readiness;
        final ServerIdentity identity;
        final String file;
        final List<Checked> runs;

        Cell(Readiness readiness, ServerIdentity identity, String file, List<Checked> runs) {
            this.readiness = readiness;
            this.identity = identity;
            this.file = file;
            this.runs = runs;
        }
    }

    private static final class Checked {
        final RunResult result;
        final Map<String, Double> usage;
        final Map<String, Double> timings;

        Checked(RunResult result, Map<String, Double> usage, Map<String, Double> timings) {
            this.result = result;
            this.usage = usage;
            this.timings = timings;
        }
    }

    /**
     * The numeric fields (nested ones by their own name, e.g. {@code cached_tokens}) of the last {@code "<name>":{...}}
     * object in the raw response bytes; empty when there is none.
     */
    static Map<String, Double> lastObject(byte[] response, String name) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("\"" + name + "\":{");
        Map<String, Double> fields = new HashMap<>();
        if (at < 0) {
            return fields;
        }
        int start = text.indexOf('{', at);
        try (JsonParser parser = new JsonFactory().createParser(response, start, response.length - start)) {
            int depth = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    if (--depth == 0) {
                        break;
                    }
                } else if (token.isNumeric()) {
                    fields.put(parser.currentName(), parser.getDoubleValue());
                }
            }
        } catch (IOException e) {
            throw new AssertionError("unparsable " + name + " in the raw response: " + text.substring(at), e);
        }
        return fields;
    }
}
