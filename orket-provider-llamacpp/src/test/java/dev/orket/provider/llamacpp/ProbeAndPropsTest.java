package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.Readiness;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.simulator.server.Fault;
import dev.orket.simulator.server.Faults;
import dev.orket.simulator.server.Script;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Readiness, /props and /v1/models answers, replayed from captures. */
class ProbeAndPropsTest {

    @ParameterizedTest
    @ValueSource(strings = {"health.http", "health-v1.http", "health-busy.http", "auth-health-public.http"})
    @DisplayName("a 200 /health is ready, even while every slot is busy")
    void ready(String fixture) throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load(fixture).script());
            assertThat(provider.probe("tiny")).isEqualTo(Readiness.readyNow());
            assertThat(Runs.requestLine(server)).isEqualTo("GET /health");
        }
    }

    @Test
    @DisplayName("GET /props, /v1/models and /health have a deadline on the whole exchange and a 16 MiB cap, each named")
    void boundedAdminCalls() {
        Map<String, Consumer<LlamaCppProvider>> calls = new LinkedHashMap<>();
        calls.put("GET /props", LlamaCppProvider::props);
        calls.put("GET /v1/models", LlamaCppProvider::listModels);
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                LlamaCppProvider provider = new LlamaCppProviderFactory().create(ProviderConfig.of(server.baseUri())
                        .withAdminTimeout(Duration.ofMillis(400)))) {
            server.setDispatcher(request -> Fault.STALLED_ADMIN_BODY.adminScript());
            for (Map.Entry<String, Consumer<LlamaCppProvider>> call : calls.entrySet()) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> call.getValue().accept(provider)).as(call.getKey())
                        .isInstanceOf(ServerUnavailableException.class)
                        .hasMessageContaining(call.getKey()).hasMessageContaining("did not finish within 400 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(
                        Duration.ofSeconds(3));
            }
            Readiness stalled = provider.probe("m");
            assertThat(stalled.reasons()).containsExactly("unreachable");
            assertThat(stalled.detail()).contains("GET /health", "400 ms");

        }
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                LlamaCppProvider provider = new LlamaCppProviderFactory().create(ProviderConfig.of(server.baseUri())
                        .withAdminTimeout(Duration.ofSeconds(20)))) {
            // A generous deadline: the cap, not the clock, must end the call on a loaded machine too.
            server.setDispatcher(request -> Fault.HUGE_ADMIN_BODY.adminScript());
            for (Map.Entry<String, Consumer<LlamaCppProvider>> call : calls.entrySet()) {
                assertThatThrownBy(() -> call.getValue().accept(provider)).as(call.getKey())
                        .isInstanceOf(ServerUnavailableException.class)
                        .hasMessageContaining(call.getKey()).hasMessageContaining("16777216 bytes");
            }
            assertThat(provider.probe("m").detail()).contains("GET /health", "16777216 bytes");
        }
    }

    @Test
    @DisplayName("503 Loading model is blocked model_loading with the server's words")
    void loading() throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("health-loading.http").script());
            Readiness readiness = provider.probe("tiny");
            assertThat(readiness.ready()).isFalse();
            assertThat(readiness.reasons()).containsExactly("model_loading");
            assertThat(readiness.detail()).contains("HTTP 503").contains("Loading model");
        }
    }

    @Test
    @DisplayName("other 503s are server_busy and 401 is unauthorized")
    void busyAndUnauthorized() throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("error-slots-fail-on-no-slot.http").script());
            server.enqueue(Fixture.load("error-unauthorized.http").script());
            assertThat(provider.probe("tiny").reasons()).containsExactly("server_busy");
            assertThat(provider.probe("tiny").reasons()).containsExactly("unauthorized");
        }
    }

    @Test
    @DisplayName("nothing listening is blocked unreachable")
    void unreachable() throws Exception {
        URI refused = Faults.refusedConnectionUri();
        try (LlamaCppProvider provider = Runs.provider(refused)) {
            Readiness readiness = provider.probe("tiny");
            assertThat(readiness.reasons()).containsExactly("unreachable");
            assertThat(readiness.detail()).contains(refused.getHost() + ":" + refused.getPort());
            assertThatThrownBy(provider::props).isInstanceOf(ServerUnavailableException.class)
                    .hasMessageContaining("GET /props");
        }
    }

    @Test
    @DisplayName("/props gives build, model path, per-slot n_ctx, ftype, quant tag and slots")
    void props() throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("props.http").script());
            assertThat(provider.props()).isEqualTo(new ServerProps("b10587-3f545bec",
                    "models/tiny-random-llama-Q4_K_M.gguf", 512, "Q4_K - Medium", "Q4_K_M", 1));
        }
    }

    @Test
    @DisplayName("/props of an older server: top-level n_ctx, no ftype, tag from the file name")
    void olderProps() throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Script.json(200,
                    "{\"n_ctx\":4096,\"model_path\":\"/m/llama-3-8b.Q5_K_S.gguf\",\"total_slots\":2}"));
            assertThat(provider.props()).isEqualTo(new ServerProps(null, "/m/llama-3-8b.Q5_K_S.gguf", 4096, null,
                    "Q5_K_S", 2));
        }
    }

    @Test
    @DisplayName("a props query answered 503 is a ServerUnavailableException with the status")
    void propsWhileLoading() throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("health-loading.http").script());
            assertThatThrownBy(provider::props).isInstanceOf(ServerUnavailableException.class)
                    .hasMessageContaining("HTTP 503: Loading model")
                    .satisfies(e -> assertThat(((ServerUnavailableException) e).httpStatus()).isEqualTo(503));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1-models.http", "models.http", "auth-v1-models-bearer.http"})
    @DisplayName("/v1/models lists data[].id")
    void models(String fixture) throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load(fixture).script());
            assertThat(provider.listModels()).containsExactly("models/tiny-random-llama-Q4_K_M.gguf");
            assertThat(Runs.requestLine(server)).isEqualTo("GET /v1/models");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"F32,all F32", "F16,F16", "BF16,BF16", "Q8_0,Q8_0", "Q6_K,Q6_K", "Q5_K_M,Q5_K - Medium",
            "Q5_0,Q5_0", "Q4_K_M,Q4_K - Medium", "Q4_K_S,Q4_K - Small", "Q4_0,Q4_0", "Q3_K_M,Q3_K - Medium",
            "Q2_K,Q2_K - Medium", "IQ4_XS,IQ4_XS - 4.25 bpw"})
    @DisplayName("each quant-sweep server's /props maps its ftype to the file's quant tag")
    void quantSweepProps(String tag, String ftype) throws Exception {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("quant-sweep/props-" + tag + ".http").script());
            server.enqueue(Fixture.load("quant-sweep/v1-models-" + tag + ".http").script());
            ServerProps props = provider.props();
            assertThat(props.ftype()).isEqualTo(ftype);
            assertThat(props.quantTag()).isEqualTo(tag);
            assertThat(props.contextSize()).isEqualTo(512);
            assertThat(props.modelPath()).isEqualTo("models/tiny-random-llama-" + tag + ".gguf");
            assertThat(provider.listModels()).isEqualTo(List.of("models/tiny-random-llama-" + tag + ".gguf"));
        }
    }
}
