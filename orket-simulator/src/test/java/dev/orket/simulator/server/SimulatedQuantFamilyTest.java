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
            assertThat((Double) JsonTree.at(whole, "timings", "predicted_ms"))
                    .isCloseTo(11 * q4.generationMsPerToken() * 0.1, within(1e-6));
            assertThat((Double) JsonTree.at(whole, "timings", "prompt_ms"))
                    .isCloseTo(5 * q4.promptMsPerToken() * 0.1, within(1e-6));
        }
    }

    private static String body(byte[] raw) {
        return new String(RawHttp.parse(raw).body(), StandardCharsets.UTF_8);
    }
}
