package dev.orket.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.FailureKind;
import dev.orket.api.Readiness;
import dev.orket.api.RunQualityReason;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.simulator.server.Fault;
import dev.orket.simulator.server.Faults;
import dev.orket.simulator.server.ScriptedInferenceServer;
import dev.orket.simulator.server.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Model facts, loaded models, version, listing, probe and unload")
class AdminEndpointsTest {

    private static OllamaProvider bounded(URI base) {
        return new OllamaProviderFactory().create(ProviderConfig.of(base)
                .withAdminTimeout(Duration.ofMillis(400)));
    }

    private interface Call {
        void run(OllamaProvider provider);
    }

    /** Every call outside a run, by its endpoint. */
    private static final Map<String, Call> CALLS = new LinkedHashMap<>();

    static {
        CALLS.put("GET /api/version", OllamaProvider::version);
        CALLS.put("GET /api/tags", OllamaProvider::listModels);
        CALLS.put("GET /api/ps", OllamaProvider::loadedModels);
        CALLS.put("POST /api/show", provider -> provider.showModel(Runs.MODEL));
        CALLS.put("POST /api/generate", provider -> provider.unload(Runs.MODEL));
    }

    @Test
    @DisplayName("every admin call has a deadline on the whole exchange: a body stalled after its headers is a TIMEOUT"
            + " naming the endpoint, not a hang")
    void stalledBodies() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                OllamaProvider provider = bounded(server.baseUri())) {
            server.setDispatcher(request -> Fault.STALLED_ADMIN_BODY.adminScript());
            for (Map.Entry<String, Call> call : CALLS.entrySet()) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> call.getValue().run(provider)).as(call.getKey())
                        .isInstanceOfSatisfying(OllamaRequestException.class, e -> {
                            assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
                            assertThat(e.getMessage()).contains(call.getKey(), "did not finish within 400 ms");
                        });
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as(call.getKey())
                        .isLessThan(Duration.ofSeconds(3));
            }
        }
    }

    @Test
    @DisplayName("every admin call reads at most 16 MiB whole: a larger body fails naming the endpoint and the cap"
            + " (with a deadline generous enough that the cap, not the clock, ends it)")
    void hugeBodies() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                OllamaProvider provider = new OllamaProviderFactory().create(ProviderConfig.of(server.baseUri())
                        .withAdminTimeout(Duration.ofSeconds(20)))) {
            server.setDispatcher(request -> Fault.HUGE_ADMIN_BODY.adminScript());
            for (Map.Entry<String, Call> call : CALLS.entrySet()) {
                assertThatThrownBy(() -> call.getValue().run(provider)).as(call.getKey())
                        .isInstanceOfSatisfying(OllamaRequestException.class, e -> {
                            assertThat(e.kind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE);
                            assertThat(e.getMessage()).contains(call.getKey(), "16777216 bytes");
                        });
            }
        }
    }

    @Test
    @DisplayName("/api/show gives quantization, parameter size, family and the trained context")
    void show() throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("show.http").script());
            ModelFacts facts = provider.showModel(Runs.MODEL);
            assertThat(facts).isEqualTo(new ModelFacts(Runs.MODEL, "Q4_K_M", "2.23M", "llama", "gguf", "llama",
                    2_230_528L, 512, List.of("completion")));
            RecordedRequest request = Runs.take(server);
            assertThat(request.path()).isEqualTo("/api/show");
            assertThat(request.bodyUtf8()).isEqualTo("{\"model\":\"tiny-random-llama:q4_k_m\"}");
        }
    }

    @Test
    @DisplayName("/api/show of a real capture (old server, null arrays)")
    void showVerbatim() {
        byte[] body = Fixture.resource("/fixtures/ollama/verbatim/attogram-show-dolphin3-8b.jq.json");
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Runs.body(200, "application/json; charset=utf-8",
                    new String(body, StandardCharsets.UTF_8)));
            ModelFacts facts = provider.showModel("dolphin3:8b");
            assertThat(facts.quantizationLevel()).isEqualTo("Q4_K_M");
            assertThat(facts.parameterSize()).isEqualTo("8.0B");
            assertThat(facts.architecture()).isEqualTo("llama");
            assertThat(facts.trainedContextLength()).isEqualTo(131072);
        }
    }

    @Test
    @DisplayName("/api/show of a missing model throws MODEL_NOT_FOUND naming `ollama pull`")
    void showMissing() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("error-model-not-found-show.http").script());
            assertThatThrownBy(() -> provider.showModel("nope")).isInstanceOfSatisfying(OllamaRequestException.class,
                    e -> {
                        assertThat(e.kind()).isEqualTo(FailureKind.MODEL_NOT_FOUND);
                        assertThat(e.httpStatus()).isEqualTo(404);
                        assertThat(e.getMessage()).contains("ollama pull nope");
                    });
        }
    }

    @Test
    @DisplayName("/api/ps: a CPU-only runner is a full spill; the partial-offload capture spills 13%")
    void ps() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("ps.http").script());
            LoadedModel cpu = provider.loadedModel("tiny-random-llama:Q4_K_M").orElseThrow();
            assertThat(cpu).isEqualTo(new LoadedModel(Runs.MODEL, 9_175_040L, 0L, 512, "Q4_K_M",
                    "2026-08-22T09:35:00.412907114Z"));
            assertThat(cpu.vramSpillFraction()).isEqualTo(1.0);
            assertThat(cpu.vramSpillFlag()).hasValueSatisfying(
                    flag -> assertThat(flag.reason()).isEqualTo(RunQualityReason.VRAM_SPILL));

            byte[] partial = Fixture.resource("/fixtures/ollama/verbatim/attogram-ps-partial-offload-mistral-7b.jq.json");
            server.enqueue(Runs.body(200, "application/json", new String(partial, StandardCharsets.UTF_8)));
            LoadedModel mistral = provider.loadedModel("mistral:7b").orElseThrow();
            assertThat(mistral.vramSpillFraction()).isCloseTo(1 - 7206864896.0 / 8329906176.0,
                    org.assertj.core.data.Offset.offset(1e-12));
            assertThat(mistral.contextLength()).isEqualTo(16384);
            assertThat(mistral.vramSpillFlag().orElseThrow().detail()).startsWith("13% of mistral:7b outside VRAM");

            server.enqueue(Fixture.load("ps-empty.http").script());
            assertThat(provider.loadedModel(Runs.MODEL)).isEmpty();
        }
    }

    @Test
    @DisplayName("a completed run whose model spilled out of VRAM (per /api/ps right after it) is VRAM_SPILL")
    void runTaggedWithSpill() throws InterruptedException {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                OllamaProvider provider = Runs.provider(server.baseUri(), Map.of("check_vram_after_run", "true"))) {
            server.enqueue(Fixture.load("generate.http").script());
            server.enqueue(Fixture.load("ps.http").script());

            var telemetry = Runs.run(provider, Runs.completion(false).build()).telemetry();

            assertThat(telemetry.completed()).isTrue();
            assertThat(telemetry.quality().reasons()).contains(RunQualityReason.VRAM_SPILL);
            assertThat(telemetry.qualityDetails().get(RunQualityReason.VRAM_SPILL)).contains("outside VRAM");
            Runs.take(server);
            assertThat(Runs.take(server).path()).isEqualTo("/api/ps");
        }
    }

    @Test
    @DisplayName("a model fully in VRAM has no spill flag")
    void fullyInVram() {
        byte[] docs = Fixture.resource("/fixtures/ollama/verbatim/docs-api-ps.json");
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Runs.body(200, "application/json", new String(docs, StandardCharsets.UTF_8)));
            LoadedModel loaded = provider.loadedModels().get(0);
            assertThat(loaded.vramSpillFraction()).isEqualTo(0.0);
            assertThat(loaded.vramSpillFlag()).isEmpty();
        }
    }

    @Test
    @DisplayName("/api/version, /api/tags and the probe")
    void versionTagsProbe() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("version.http").script());
            assertThat(provider.version()).isEqualTo("0.33.0-rc2");

            server.enqueue(Fixture.load("tags.http").script());
            assertThat(provider.listModels()).containsExactly("tiny-random-llama:q4_k_m", "tiny-random-llama:q8_0");

            server.enqueue(Fixture.load("version.http").script());
            server.enqueue(Fixture.load("tags.http").script());
            assertThat(provider.probe("tiny-random-llama:q8_0")).isEqualTo(Readiness.readyNow());

            server.enqueue(Fixture.load("version.http").script());
            server.enqueue(Fixture.load("tags.http").script());
            Readiness missing = provider.probe("llama3.2");
            assertThat(missing.reasons()).containsExactly("model_not_found");
            assertThat(missing.detail()).contains("ollama pull llama3.2");
        }
    }

    @Test
    @DisplayName("the probe says unreachable when nothing listens")
    void probeUnreachable() throws IOException {
        try (OllamaProvider provider = Runs.provider(Faults.refusedConnectionUri())) {
            Readiness readiness = provider.probe(Runs.MODEL);
            assertThat(readiness.ready()).isFalse();
            assertThat(readiness.reasons()).containsExactly("unreachable");
        }
    }

    @Test
    @DisplayName("the verbatim tags capture lists every model")
    void tagsVerbatim() {
        byte[] tags = Fixture.resource("/fixtures/ollama/verbatim/attogram-tags.jq.json");
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Runs.body(200, "application/json", new String(tags, StandardCharsets.UTF_8)));
            assertThat(provider.listModels()).hasSize(7)
                    .contains("hf.co/bartowski/Ministral-8B-Instruct-2410-GGUF:IQ4_XS");
        }
    }
}
