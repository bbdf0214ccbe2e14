package dev.orket.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.orket.simulator.internal.JsonTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SimulatedQuantFamilyTest {

    private final SimulatedQuantFamily family = SimulatedQuantFamily.standard();

    @Test
    @DisplayName("the parameter table is the documented one (docs/simulated-quant-family.md)")
    void parameterTable() {
        assertThat(family.quants()).extracting(QuantProfile::tag)
                .containsExactly("F16", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K");
        QuantProfile q4 = family.quantByTag("q4_k_m");
        assertThat(q4.bitsPerWeight()).isEqualTo(4.85);
        assertThat(q4.generationMsPerToken()).isCloseTo(5.6375, within(1e-12));
        assertThat(q4.promptMsPerToken()).isCloseTo(0.197, within(1e-12));
        assertThat(q4.vramMib()).isEqualTo(636 + 128 + 256);
        assertThat(q4.deviationFraction()).isCloseTo(0.0837, within(1e-4));
        assertThat(family.quantByTag("F16").deviationFraction()).isZero();
        assertThat(family.quantByTag("F16").vramMib()).isEqualTo(2099 + 128 + 256);
        assertThat(family.quantByTag("Q2_K").deviationFraction()).isCloseTo(0.5323, within(1e-4));
    }

    @Test
    @DisplayName("speed rises, quality and VRAM fall as bits per weight fall")
    void monotone() {
        List<QuantProfile> quants = family.quants();
        for (int i = 1; i < quants.size(); i++) {
            QuantProfile higher = quants.get(i - 1);
            QuantProfile lower = quants.get(i);
            assertThat(lower.generationTokensPerSecond()).isGreaterThan(higher.generationTokensPerSecond());
            assertThat(lower.expectedQuality()).isLessThan(higher.expectedQuality());
            assertThat(lower.vramMib()).isLessThan(higher.vramMib());
        }
    }

    @Test
    @DisplayName("the documented parameters make Q5_K_M the winner at a 0.95 quality floor, Q4_K_M at 0.90")
    void expectedWinner() {
        assertThat(family.expectedWinner(0.95).tag()).isEqualTo("Q5_K_M");
        assertThat(family.expectedWinner(0.90).tag()).isEqualTo("Q4_K_M");
        assertThat(family.expectedWinner(0.0).tag()).isEqualTo("Q2_K");
    }

    @Test
    @DisplayName("a quant's output agrees with the baseline at exactly 1 - floor(deviation x n) / n of positions")
    void agreement() {
        for (QuantProfile quant : family.quants()) {
            List<String> baseline = SimulatedQuantFamily.baseline("The quick brown fox", 42, 16);
            List<String> output = SimulatedQuantFamily.generate(quant, "The quick brown fox", 42, 16);
            double expected = 1.0 - Math.floor(quant.deviationFraction() * 16) / 16.0;
            assertThat(SimulatedQuantFamily.agreement(baseline, output)).as(quant.tag()).isEqualTo(expected);
        }
        assertThat(SimulatedQuantFamily.generate(family.quantByTag("F16"), "p", 1, 8))
                .isEqualTo(SimulatedQuantFamily.baseline("p", 1, 8));
    }

    @Test
    @DisplayName("selects the quant by model name and routes the utility paths")
    void dispatch() throws IOException {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(new dev.orket.simulator.VirtualClock())) {
            server.setDispatcher(family);
            Object models = JsonTree.parse(body(RawHttp.get(server.baseUri(), "/v1/models")));
            assertThat((List<?>) JsonTree.at(models, "data")).hasSize(7);
            Object props = JsonTree.parse(body(RawHttp.get(server.baseUri(), "/props?model=tiny-llama:Q8_0")));
            assertThat(JsonTree.at(props, "model_ftype")).isEqualTo("Q8_0");
            assertThat(body(RawHttp.get(server.baseUri(), "/health"))).isEqualTo("{\"status\":\"ok\"}");
            String unknown = new String(RawHttp.post(server.baseUri(), "/completion",
                    "{\"model\":\"tiny-llama:Q9_9\",\"prompt\":\"x\"}"), StandardCharsets.UTF_8);
            assertThat(unknown).startsWith("HTTP/1.1 404 ").contains("tiny-llama:Q4_K_M");
            String missing = new String(RawHttp.post(server.baseUri(), "/completion", "{\"prompt\":\"x\"}"),
                    StandardCharsets.UTF_8);
            assertThat(missing).startsWith("HTTP/1.1 400 ");
            Object whole = JsonTree.parse(body(RawHttp.post(server.baseUri(), "/completion",
                    "{\"model\":\"tiny-llama:Q4_K_M\",\"prompt\":\"The quick brown fox\",\"n_predict\":12,\"seed\":7}")));
            assertThat(JsonTree.at(whole, "content")).isEqualTo(String.join("",
                    SimulatedQuantFamily.generate(family.quantByTag("Q4_K_M"), "The quick brown fox", 7, 12)));
            assertThat(JsonTree.at(whole, "tokens_evaluated")).isEqualTo(5L);
            QuantProfile q4 = family.quantByTag("Q4_K_M");
            // The KV-cache model: decode reads the 5 prompt tokens' cache; prompt attention over 5 x 4 / 2 pairs.
            assertThat((Double) JsonTree.at(whole, "timings", "predicted_ms"))
                    .isCloseTo(11 * (q4.generationMsPerToken() + 5 * 0.0004) * 0.1, within(1e-5));
            assertThat((Double) JsonTree.at(whole, "timings", "prompt_ms"))
                    .isCloseTo((5 * q4.promptMsPerToken() + 10 * 2e-5) * 0.1, within(1e-6));
        }
    }

    @Test
    @DisplayName("the expected winner is judged on the quality the pipeline measures: agreement over the output tokens")
    void expectedWinnerOnMeasuredQuality() {
        QuantProfile q4 = family.quantByTag("Q4_K_M");
        // Q4_K_M changes floor(0.0837 x 16) = 1 of 16 tokens: measured 0.9375, while 1 - d is 0.9163.
        assertThat(q4.measuredQuality(16)).isEqualTo(0.9375);
        assertThat(family.quantByTag("Q5_K_M").measuredQuality(16)).isEqualTo(1.0);
        // At a 0.93 floor the two models disagree: the measured one admits Q4_K_M, the fastest admitted quant.
        assertThat(family.expectedWinner(0.93, 16).tag()).isEqualTo("Q4_K_M");
        assertThat(q4.expectedQuality()).isLessThan(0.93);
        // Over 8 tokens Q4_K_M changes none: every quant down to Q4_K_M measures 1.0.
        assertThat(family.expectedWinner(0.95, 8).tag()).isEqualTo("Q4_K_M");
        assertThat(family.expectedWinner(0.95).tag()).isEqualTo(family.expectedWinner(0.95, 16).tag());
    }

    @Test
    @DisplayName("KV-cache model: prompt time grows faster than the prompt, decode slows with the cache, VRAM with the context")
    void kvCacheModel() {
        QuantProfile f16 = family.quantByTag("F16");
        assertThat(SimulatedQuantFamily.promptMs(f16, 1000)).isCloseTo(1000 * 0.42 + 2e-5 * 1000 * 999 / 2,
                within(1e-9));
        assertThat(SimulatedQuantFamily.promptMs(f16, 2000)).isGreaterThan(2 * SimulatedQuantFamily.promptMs(f16, 1000));
        assertThat(SimulatedQuantFamily.generationMs(f16, 1000)).isCloseTo(14.0 + 0.4, within(1e-12));
        SimulatedQuantFamily at512 = family.atContext(512);
        assertThat(at512.contextSize()).isEqualTo(512);
        assertThat(SimulatedQuantFamily.kvCacheMib(512)).isEqualTo(32);
        assertThat(SimulatedQuantFamily.kvCacheMib(100)).isEqualTo(7);
        for (QuantProfile quant : family.quants()) {
            QuantProfile small = at512.quantByTag(quant.tag());
            assertThat(small.weightsMib()).isEqualTo(quant.weightsMib());
            assertThat(small.vramMib()).isEqualTo(quant.weightsMib() + 32 + 256);
            assertThat(family.atContext(8192).quantByTag(quant.tag()).vramMib())
                    .isEqualTo(quant.weightsMib() + 512 + 256);
        }
    }

    @Test
    @DisplayName("a family at a context reports it in /props and refuses a prompt that does not fit, as llama-server does")
    void atContextOverHttp() throws IOException {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(new dev.orket.simulator.VirtualClock())) {
            server.setDispatcher(family.atContext(8));
            Object props = JsonTree.parse(body(RawHttp.get(server.baseUri(), "/props?model=tiny-llama:Q8_0")));
            assertThat(JsonTree.at(props, "default_generation_settings", "n_ctx")).isEqualTo(8L);
            String fits = new String(RawHttp.post(server.baseUri(), "/completion",
                    "{\"model\":\"tiny-llama:Q8_0\",\"prompt\":\"a b c d e f\",\"n_predict\":1}"),
                    StandardCharsets.UTF_8);
            assertThat(fits).startsWith("HTTP/1.1 200 ");
            String tooLong = new String(RawHttp.post(server.baseUri(), "/completion",
                    "{\"model\":\"tiny-llama:Q8_0\",\"prompt\":\"a b c d e f g\",\"n_predict\":1}"),
                    StandardCharsets.UTF_8);
            assertThat(tooLong).startsWith("HTTP/1.1 400 ").contains("exceed_context_size_error")
                    .contains("request (8 tokens) exceeds the available context size (8 tokens)");
        }
    }

    @Test
    @DisplayName("jitter: each run id gets its own factors within +-2 %, the same every time; no header, no jitter")
    void jitter() throws IOException {
        SimulatedQuantFamily noisy = SimulatedQuantFamily.demo();
        assertThat(noisy.jitter()).isEqualTo(0.02);
        java.util.Set<Double> factors = new java.util.HashSet<>();
        for (int r = 1; r <= 200; r++) {
            String runId = "tiny-llama/Q4_K_M/fox/r" + r;
            double prompt = noisy.promptJitter(runId);
            double decode = noisy.generationJitter(runId);
            assertThat(prompt).isBetween(0.98, 1.02).isEqualTo(noisy.promptJitter(runId));
            assertThat(decode).isBetween(0.98, 1.02).isNotEqualTo(prompt);
            factors.add(decode);
        }
        assertThat(factors).hasSize(200);
        assertThat(family.generationJitter("any")).isEqualTo(1.0);
        assertThat(noisy.generationJitter(null)).isEqualTo(1.0);
        assertThat(noisy.withJitter(0.02, 7).generationJitter("r1")).isNotEqualTo(noisy.generationJitter("r1"));

        QuantProfile q4 = noisy.quantByTag("Q4_K_M");
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(new dev.orket.simulator.VirtualClock())) {
            server.setDispatcher(noisy);
            String request = "{\"model\":\"tiny-llama:Q4_K_M\",\"prompt\":\"The quick brown fox\",\"n_predict\":12}";
            Object jittered = JsonTree.parse(body(RawHttp.post(server.baseUri(), "/completion", request,
                    "X-Orket-Run-Id: run-7\r\n")));
            assertThat((Double) JsonTree.at(jittered, "timings", "predicted_ms"))
                    .isCloseTo(noisy.timeline(q4, 5, "run-7").serverGenerationMs(12), within(1e-9))
                    // The gap is played in whole nanoseconds: 11 gaps round to within 5.5e-6 ms.
                    .isCloseTo(11 * SimulatedQuantFamily.generationMs(q4, 5) * noisy.generationJitter("run-7") * 0.1,
                            within(1e-5));
            assertThat((Double) JsonTree.at(jittered, "timings", "prompt_ms"))
                    .isCloseTo(SimulatedQuantFamily.promptMs(q4, 5) * noisy.promptJitter("run-7") * 0.1, within(1e-6));
            Object plain = JsonTree.parse(body(RawHttp.post(server.baseUri(), "/completion", request)));
            assertThat((Double) JsonTree.at(plain, "timings", "predicted_ms"))
                    .isCloseTo(noisy.timeline(q4, 5).serverGenerationMs(12), within(1e-9))
                    .isCloseTo(11 * SimulatedQuantFamily.generationMs(q4, 5) * 0.1, within(1e-5));
        }
    }

    private static String body(byte[] raw) {
        return new String(RawHttp.parse(raw).body(), StandardCharsets.UTF_8);
    }
}
