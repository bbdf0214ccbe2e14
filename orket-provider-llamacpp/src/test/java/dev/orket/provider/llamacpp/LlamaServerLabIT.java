package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.api.ExecutionLane;
import dev.orket.api.PromptStyle;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.core.telemetry.RunExecutor;
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
 * The lab-cpu lane on the real llama-server: every GGUF file of {@code ORKET_GGUF_DIR} on its own managed server,
 * streaming and not, {@code /completion} and {@code /v1/chat/completions}. Each run's telemetry is compared with the
 * server's own {@code timings}, read from the raw response bytes by a recording proxy rather than through the
 * provider under test.
 */
class LlamaServerLabIT {

    private static LabLane.LlamaServerLab lab;

    @BeforeAll
    static void lab() {
        lab = LabLane.llamaServer(LlamaServerLabIT.class);
    }

    @Test
    @DisplayName("every quant, both endpoints, streaming and not: completed, and internal model time is the server's own")
    void everyQuantMatchesTheServersTimings() {
        long started = System.nanoTime();
        RunExecutor executor = RunExecutor.builder().build();
        ManagedLlamaServer.Options options = ManagedLlamaServer.options(lab.executable(), lab.ggufFiles().get(0))
                .contextSize(512).threads(2).seed(42L).parallel(1).extraArgs(List.of("--no-ui"))
                .startupDeadline(Duration.ofSeconds(60));
        List<QuantSweep.Cell<List<Checked>>> cells = QuantSweep.run(options, lab.ggufFiles(), server -> {
            List<Checked> checked = new ArrayList<>();
            try (RecordingProxy proxy = RecordingProxy.start(server.baseUrl());
                    LlamaCppProvider provider = new LlamaCppProviderFactory()
                            .create(ProviderConfig.of(proxy.baseUrl()))) {
                for (PromptStyle style : PromptStyle.values()) {
                    for (boolean stream : new boolean[] {true, false}) {
                        RunRequest request = RunRequest.builder(server.quantTag() + "/" + style + "/" + stream, "tiny",
                                        "The quick brown fox jumps over the lazy dog")
                                .promptStyle(style).stream(stream).maxOutputTokens(16).seed(42L).temperature(0.0)
                                .quantTag(server.quantTag()).executionLane(ExecutionLane.LAB).build();
                        long mark = proxy.mark();
                        RunTelemetry telemetry = executor.execute(provider, request, Set.of(server.pid())).telemetry();
                        checked.add(new Checked(telemetry, rawTimings(proxy.receivedSince(mark))));
                    }
                }
            }
            return checked;
        });

        int runs = 0;
        for (QuantSweep.Cell<List<Checked>> cell : cells) {
            assertThat(cell.startFailure()).as("%s did not start: %s", cell.model(), cell.outputTail()).isNull();
            for (Checked run : cell.result()) {
                runs++;
                RunTelemetry t = run.telemetry;
                String id = t.identity().runId();
                assertThat(t.outcome().terminalState()).as(id + " " + t.outcome()).isEqualTo(TerminalState.COMPLETED);
                assertThat(t.tokenMetrics().status()).as(id).isEqualTo(TokenMetricsStatus.OK);
                Map<String, Double> raw = run.timings;
                assertThat(raw).as(id + ": the raw response carries timings").containsKeys("prompt_ms", "predicted_ms",
                        "prompt_n", "predicted_n", "cache_n");
                assertThat(t.internalModelSeconds().require()).as(id + " internal_model_seconds")
                        .isEqualTo((raw.get("prompt_ms") + raw.get("predicted_ms")) / 1000);
                assertThat(t.tokenMetrics().promptTokens().require()).as(id + " prompt tokens")
                        .isEqualTo(raw.get("prompt_n") + raw.get("cache_n"));
                assertThat(t.tokenMetrics().cachedPromptTokens().require()).as(id + " cached tokens")
                        .isEqualTo(raw.get("cache_n"));
                assertThat(t.tokenMetrics().outputTokens().require()).as(id + " output tokens")
                        .isEqualTo(raw.get("predicted_n"));
                double wallMs = t.wallSeconds().require() * 1000;
                if (t.identity().stream()) {
                    assertThat(t.tokenMetrics().clientTtftMs().require()).as(id + " ttft").isBetween(0.0, wallMs);
                } else {
                    assertThat(t.tokenMetrics().clientTtftMs().isPresent()).as(id + " ttft of a whole response")
                            .isFalse();
                }
                assertThat(t.orchestrationOverheadRatio().require()).as(id + " overhead").isBetween(0.0, 1.0);
            }
        }
        assertThat(cells).hasSize(lab.ggufFiles().size());
        LabLane.printTotals("every quant x {completion, chat} x {stream, whole}", runs, cells.size(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static final class Checked {
        final RunTelemetry telemetry;
        final Map<String, Double> timings;

        Checked(RunTelemetry telemetry, Map<String, Double> timings) {
            this.telemetry = telemetry;
            this.timings = timings;
        }
    }

    /** The numeric fields of the last {@code "timings"} object in the raw response bytes. */
    static Map<String, Double> rawTimings(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("\"timings\":");
        Map<String, Double> fields = new HashMap<>();
        if (at < 0) {
            return fields;
        }
        int start = text.indexOf('{', at);
        try (JsonParser parser = new JsonFactory().createParser(response, start, response.length - start)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value.isNumeric()) {
                    fields.put(name, parser.getDoubleValue());
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new AssertionError("unparsable timings in the raw response: " + text.substring(at), e);
        }
        return fields;
    }
}
