package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.recommend.ContextCeilings;
import dev.orket.core.recommend.ViewOptions;
import dev.orket.core.report.SweepReport;
import dev.orket.core.sweep.CellProvider;
import dev.orket.core.sweep.OutputLock;
import dev.orket.core.sweep.QuantOrder;
import dev.orket.core.sweep.SessionScoring;
import dev.orket.core.sweep.Shard;
import dev.orket.core.sweep.SweepConfig;
import dev.orket.core.sweep.SweepConfigReader;
import dev.orket.core.sweep.SweepEngine;
import dev.orket.core.sweep.SweepOutcome;
import dev.orket.simulator.VirtualClock;
import dev.orket.simulator.server.QuantProfile;
import dev.orket.simulator.server.ScriptTimeline;
import dev.orket.simulator.server.ScriptedInferenceServer;
import dev.orket.simulator.server.SimulatedQuantFamily;
import dev.orket.simulator.sidecar.ScriptedSidecar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context sweep in the ci lane on the simulated family, whose documented KV-cache model
 * ({@code docs/simulated-quant-family.md#context}) makes every median, and so every ceiling, computable in advance: the
 * sweep must find exactly those.
 */
@DisplayName("A context sweep of the simulated family")
class ContextSweepSimulatedTest {

    private static final List<String> QUANTS = List.of("F16", "Q8_0", "Q5_K_M", "Q4_K_M");
    private static final List<Integer> CONTEXTS = List.of(1024, 2048, 4096, 8192);
    private static final String PROMPT = "The quick brown fox";
    private static final int OUTPUT_TOKENS = 16;
    private static final double ADHERENCE_MIN = 0.95;
    private static final double TTFT_CEILING_MS = 500.0;
    private static final double DECODE_FLOOR_TPS = 70.0;
    private static final long CARD_MIB = 24_576;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Model milliseconds on the virtual clock: speed factor 1, no jitter. */
    private final SimulatedQuantFamily family = SimulatedQuantFamily.of("tiny-llama", 1.0);

    private static String config() {
        return "{\n"
                + "  \"sweep_id\": \"sim-context\",\n"
                + "  \"provider\": {\"id\": \"llamacpp\", \"base_url\": \"http://127.0.0.1:1\"},\n"
                + "  \"models\": [{\"name\": \"tiny-llama\", \"quants\": [\"F16\", \"Q8_0\", \"Q5_K_M\", \"Q4_K_M\"],"
                + " \"server_model_template\": \"{model}:{quant}\"}],\n"
                + "  \"context_sweep\": {\"contexts\": [1024, 2048, 4096, 8192], \"adherence_min\": " + ADHERENCE_MIN
                + ", \"ttft_ceiling_ms\": " + TTFT_CEILING_MS + ", \"decode_floor_tps\": " + DECODE_FLOOR_TPS
                + ", \"prompt_fill\": 0.5},\n"
                + "  \"sessions\": [{\"id\": \"fox\", \"prompt\": \"" + PROMPT + "\", \"max_output_tokens\": "
                + OUTPUT_TOKENS + ", \"scorer\": \"baseline_agreement\"}],\n"
                + "  \"repetitions\": 3, \"warmup_runs\": 1, \"canary\": {\"runs\": 3},\n"
                + "  \"controls\": {\"seed\": 42, \"temperature\": 0.0},\n"
                + "  \"execution_lane\": \"ci\", \"vram_profile\": \"balanced\", \"stream\": true\n"
                + "}";
    }

    /**
     * Runs the sweep (or one shard of it) against the simulated family: each cell's "server" is the family at the
     * cell's context, as a llama-server started with -c, behind one provider on a virtual clock.
     */
    private SweepOutcome sweep(Path out, Shard shard) {
        SweepConfig config = SweepConfigReader.parse(config(), "sim-context.json");
        VirtualClock clock = new VirtualClock();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(clock);
                InferenceProvider provider = new LlamaCppProviderFactory().create(ProviderConfig.of(server.baseUri()))) {
            CellProvider.Opener atContext = cell -> {
                server.setDispatcher(family.atContext(cell.context()));
                return new CellProvider() {
                    @Override
                    public InferenceProvider provider() {
                        return provider;
                    }

                    @Override
                    public Set<Long> serverProcessIds() {
                        return Set.of();
                    }

                    @Override
                    public void close() {
                        // The next cell's opener serves the family at its own context.
                    }
                };
            };
            SweepOutcome outcome = SweepEngine.builder()
                    .config(config)
                    .providerPerCell("llamacpp", atContext)
                    .sidecarPerCell("scripted", cell -> ScriptedSidecar.forQuant(
                            family.atContext(cell.context()).quantByTag(cell.quant()), CARD_MIB))
                    .recordingListener(server.lockstep())
                    .clock(clock)
                    .sleeper(clock::advanceBy)
                    .scorer(SessionScoring.forSessions(config.sessions()))
                    .higherPrecisionFirst(QuantOrder.HIGHER_PRECISION_FIRST)
                    .outputDir(out)
                    .shard(shard)
                    .build()
                    .run();
            assertThat(server.lockstepMisses()).isEmpty();
            return outcome;
        }
    }

    /** What the documented model says one (quant, context) measures: its medians are every run's figures. */
    private record Expected(double ttftMs, double decodeTps, double adherence, long vramMib, List<String> reasons) {}

    private Expected expected(String tag, int context) {
        QuantProfile quant = family.atContext(context).quantByTag(tag);
        // The filled prompt: context / 2 filler words, the session's 4 words and the BOS token.
        int promptTokens = context / 2 + 4 + 1;
        ScriptTimeline timeline = family.timeline(quant, promptTokens);
        double ttft = timeline.firstTokenAt().toNanos() / 1e6;
        double decode = OUTPUT_TOKENS * 1000.0 / timeline.serverGenerationMs(OUTPUT_TOKENS);
        double adherence = quant.measuredQuality(OUTPUT_TOKENS);
        List<String> reasons = new ArrayList<>();
        if (adherence < ADHERENCE_MIN) {
            reasons.add("adherence_below_min");
        }
        if (ttft > TTFT_CEILING_MS) {
            reasons.add("ttft_above_ceiling");
        }
        if (decode < DECODE_FLOOR_TPS) {
            reasons.add("decode_below_floor");
        }
        return new Expected(ttft, decode, adherence, quant.vramMib(), reasons);
    }

    @Test
    @DisplayName("finds exactly the ceilings, medians and reasons the documented KV-cache model implies")
    void ceilingsAsDocumented(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("whole");

        SweepOutcome outcome = sweep(out, Shard.WHOLE);
        SweepReport.Written report = SweepReport.write(out, outcome.sweepId(), ViewOptions.DEFAULT, RunPolicy.DEFAULT);

        assertThat(outcome.status()).isEqualTo(SweepOutcome.Status.COMPLETED);
        assertThat(outcome.blockedCells()).isEmpty();
        Map<String, @Nullable Integer> ceilings = new LinkedHashMap<>();
        for (ContextCeilings.Ceiling ceiling : report.contextCeilings().ceilings()) {
            ceilings.put(ceiling.quantTag(), ceiling.contextCeiling());
            Integer implied = null;
            for (ContextCeilings.PerContext c : ceiling.perContext()) {
                Expected e = expected(ceiling.quantTag(), c.context());
                String at = ceiling.quantTag() + "@" + c.context();
                assertThat(c.medianTtftMs()).as(at + " TTFT").isEqualTo(e.ttftMs());
                assertThat(c.medianDecodeTps()).as(at + " decode").isEqualTo(e.decodeTps());
                assertThat(c.medianAdherence()).as(at + " adherence").isEqualTo(e.adherence());
                assertThat(c.medianPeakVramUsedMb()).as(at + " VRAM").isEqualTo((double) e.vramMib());
                assertThat(c.reasons()).as(at + " reasons").isEqualTo(e.reasons());
                assertThat(c.validRuns()).as(at).isEqualTo(3);
                if (e.reasons().isEmpty()) {
                    implied = c.context();
                }
            }
            assertThat(ceiling.contextCeiling()).as(ceiling.quantTag()).isEqualTo(implied);
        }
        // The table in docs/simulated-quant-family.md#context.
        Map<String, @Nullable Integer> documented = new LinkedHashMap<>();
        documented.put("F16", 2048);
        documented.put("Q8_0", 2048);
        documented.put("Q5_K_M", 4096);
        documented.put("Q4_K_M", null);
        assertThat(ceilings).containsExactlyEntriesOf(documented);
        assertThat(report.contextCeilings().ceilings().get(0).perContext().get(3).reasons())
                .containsExactly("ttft_above_ceiling", "decode_below_floor");
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.path("context_ceilings").get(2).path("context_ceiling").asInt()).isEqualTo(4096);
        assertThat(summary.path("recommendations")).extracting(r -> r.path("context").asInt())
                .containsExactlyElementsOf(CONTEXTS);
    }

    @Test
    @DisplayName("three shards, merged, give the whole sweep's context ceilings")
    void shardsMerge(@TempDir Path dir) throws IOException {
        Path whole = dir.resolve("whole");
        sweep(whole, Shard.WHOLE);
        SweepReport.Written wholeReport = SweepReport.write(whole, "sim-context", ViewOptions.DEFAULT,
                RunPolicy.DEFAULT);
        List<Path> shards = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path shard = dir.resolve("s" + i);
            assertThat(sweep(shard, Shard.parse(i + "/3")).status()).isEqualTo(SweepOutcome.Status.COMPLETED);
            shards.add(shard);
        }

        SweepReport.Written merged;
        try (OutputLock lock = OutputLock.acquire(dir.resolve("merged"))) {
            merged = SweepReport.merge(lock, shards, ViewOptions.DEFAULT, RunPolicy.DEFAULT);
        }

        assertThat(merged.contextCeilings()).isEqualTo(wholeReport.contextCeilings());
        assertThat(merged.ledger().missingRuns()).isEmpty();
        assertThat(merged.summary().kpis().totalRuns()).isEqualTo(QUANTS.size() * CONTEXTS.size() * 3);
    }
}
