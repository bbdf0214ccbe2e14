package dev.orket.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.Capability;
import dev.orket.api.ConfigurationException;
import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.FinishReason;
import dev.orket.api.Readiness;
import dev.orket.api.RunRequest;
import dev.orket.api.ServerIdentity;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.recommend.ContextCeilings;
import dev.orket.core.recommend.ViewOptions;
import dev.orket.core.report.SweepReport;
import dev.orket.core.telemetry.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A context sweep")
class ContextSweepEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Contexts 64 and 128, prompts filled to half; F16 decodes at 125 tok/s, Q8_0 at 200, Q4_K_M at 333. */
    private static final String CONTEXTS = "{\"contexts\": [64, 128], \"adherence_min\": 0.9, \"ttft_ceiling_ms\": 50,"
            + " \"decode_floor_tps\": 150}";

    private final ManualClock clock = new ManualClock();

    /**
     * A family answering on the manual clock: the first token comes after 4 ms plus one ms per prompt word (so TTFT
     * grows with the filled prompt: 37 ms at context 64, 69 ms at 128), then a token every {@code SPEED} ms. F16 and
     * Q8_0 say the same words, which differ per context; Q4_K_M changes two of eight. It reports the context
     * {@code servedContext} gives for the request, and sets the context per request when {@code perRequest}.
     */
    private final class Family implements InferenceProvider {
        private final Function<RunRequest, @Nullable Integer> servedContext;
        private final boolean perRequest;
        private @Nullable Integer loaded;
        final List<RunRequest> requests = new ArrayList<>();

        Family(@Nullable Integer loaded, boolean perRequest, Function<RunRequest, @Nullable Integer> servedContext) {
            this.loaded = loaded;
            this.perRequest = perRequest;
            this.servedContext = servedContext;
        }

        @Override
        public String id() {
            return "family";
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.allOf(Capability.class);
        }

        @Override
        public Readiness probe(String model) {
            return Readiness.readyNow();
        }

        @Override
        public ServerIdentity serverIdentity(String model) {
            return new ServerIdentity("b1", null, model.substring(2), loaded, 1, null, null);
        }

        @Override
        public Map<ExperimentalControl, ControlApplication> controlsFor(RunRequest request) {
            return Map.of(ExperimentalControl.CONTEXT_SIZE, perRequest
                    ? ControlApplication.applied(request.contextSize(), "sent as options.num_ctx")
                    : ControlApplication.notApplied(request.contextSize(), "set at start only"));
        }

        @Override
        public void execute(RunRequest request, RunRecorder recorder) {
            requests.add(request);
            String quant = request.model().substring(2);
            if (perRequest) {
                loaded = servedContext.apply(request);
            }
            String[] words = request.prompt().split(" ");
            String base = request.contextSize() != null && request.contextSize() == 128 ? "p q r s t u v w"
                    : "a b c d e f g h";
            String[] tokens = (quant.equals("Q4_K_M") ? base.replace(base.charAt(2), 'x').replace(base.charAt(6), 'y')
                    : base).split(" ");
            long perToken = SweepEngineTest.SPEED.get(quant);
            recorder.record(new WireEvent.RequestSent());
            clock.advanceMillis(4);
            recorder.record(new WireEvent.ResponseStarted(200));
            clock.advanceMillis(words.length);
            for (String token : tokens) {
                recorder.record(new WireEvent.ContentDelta(token + " ", 1));
                clock.advanceMillis(perToken);
            }
            recorder.record(new WireEvent.ServerUsage((long) words.length + 1, 0L, (long) tokens.length));
            // The server's own prompt time is the wait for the first token, so the client adds only its 4 ms.
            recorder.record(new WireEvent.ServerTimings((double) words.length, (double) perToken * tokens.length,
                    null));
            recorder.record(new WireEvent.Completed(FinishReason.STOP));
        }
    }

    private SweepEngine.Builder engine(String contextSweep, Path dir) {
        String text = String.format(SweepEngineTest.CONFIG, ", \"context_sweep\": " + contextSweep);
        return SweepEngineTest.engineOn(text, dir, clock);
    }

    /** Cells whose server starts at the cell's context, as a managed llama-server with -c does. */
    private CellProvider.Opener managed(List<Family> servers) {
        return cell -> {
            Family family = new Family(cell.context(), false, request -> cell.context());
            servers.add(family);
            return new CellProvider() {
                @Override
                public InferenceProvider provider() {
                    return family;
                }

                @Override
                public Set<Long> serverProcessIds() {
                    return Set.of();
                }

                @Override
                public void close() {
                    // Nothing runs.
                }
            };
        };
    }

    @Test
    @DisplayName("runs each quant at each context with its prompt filled, scores against the baseline at the same"
            + " context, and judges each (quant, context) into context_ceilings")
    void managedCells(@TempDir Path dir) throws IOException {
        List<Family> servers = new ArrayList<>();

        SweepOutcome outcome = engine(CONTEXTS, dir).providerPerCell("family", managed(servers)).build().run();
        SweepReport.Written report = SweepReport.write(dir, outcome.sweepId(), ViewOptions.DEFAULT, RunPolicy.DEFAULT);

        assertThat(outcome.status()).isEqualTo(SweepOutcome.Status.COMPLETED);
        assertThat(outcome.blockedCells()).isEmpty();
        assertThat(servers).hasSize(6);
        for (Family server : servers) {
            for (RunRequest request : server.requests) {
                int context = request.contextSize();
                long filler = List.of(request.prompt().split(" ")).stream().filter("the"::equals).count();
                assertThat(filler).as(request.runId()).isEqualTo(context / 2);
                assertThat(request.prompt()).endsWith(request.sessionId().equals("s1") ? " hello" : " bye");
                assertThat(request.runId()).contains("@" + context + "/");
            }
        }
        List<LedgerEntry> runs = RunLedger.readAll(dir.resolve("runs.jsonl"));
        assertThat(runs).hasSize(6 * 6);
        assertThat(runs.get(0).runId()).isEqualTo("m/F16@64/s1/r1");
        assertThat(runs).allSatisfy(e -> {
            assertThat(e.telemetry().identity().contextSize()).isEqualTo(e.telemetry().serverContextSize());
            assertThat(e.runId()).contains("@" + e.telemetry().identity().contextSize() + "/");
        });
        // Q8_0 says what F16 says at its own context: scored against F16 at another context it would score 0.
        assertThat(runs).filteredOn(e -> e.runId().startsWith("m/Q8_0@128/")).extracting(LedgerEntry::qualityScore)
                .containsOnly(1.0);
        assertThat(runs).filteredOn(e -> e.runId().startsWith("m/Q4_K_M@128/")).extracting(LedgerEntry::qualityScore)
                .containsOnly(0.75);
        assertThat(RunLedger.readAll(dir.resolve("canary.jsonl"))).extracting(LedgerEntry::runId)
                .containsExactly("canary/m/F16@64/c1", "canary/m/F16@64/c2", "canary/m/F16@64/c3");
        assertThat(report.ledger().missingRuns()).isEmpty();

        List<ContextCeilings.Ceiling> ceilings = report.contextCeilings().ceilings();
        assertThat(ceilings).extracting(c -> c.quantTag() + "=" + c.contextCeiling())
                .containsExactly("F16=null", "Q8_0=64", "Q4_K_M=null");
        assertThat(ceilings.get(0).perContext()).extracting(p -> p.context() + " " + p.reasons())
                .containsExactly("64 [decode_below_floor]", "128 [ttft_above_ceiling, decode_below_floor]");
        assertThat(ceilings.get(1).perContext()).extracting(p -> p.context() + " " + p.reasons())
                .containsExactly("64 []", "128 [ttft_above_ceiling]");
        assertThat(ceilings.get(2).perContext()).extracting(p -> p.context() + " " + p.reasons())
                .containsExactly("64 [adherence_below_min]", "128 [adherence_below_min, ttft_above_ceiling]");
        ContextCeilings.PerContext q8 = ceilings.get(1).perContext().get(0);
        assertThat(q8.medianTtftMs()).isEqualTo(37.0);
        assertThat(q8.medianDecodeTps()).isEqualTo(200.0);
        assertThat(q8.medianAdherence()).isEqualTo(1.0);
        assertThat(q8.validRuns()).isEqualTo(6);
        assertThat(ceilings.get(1).perContext().get(1).medianTtftMs()).isEqualTo(69.0);

        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.path("context_thresholds").path("ttft_ceiling_ms").asDouble()).isEqualTo(50.0);
        assertThat(summary.path("context_ceilings").get(1).path("context_ceiling").asInt()).isEqualTo(64);
        assertThat(summary.path("cells")).extracting(c -> c.path("quant_tag").asText() + "@" + c.path("context").asInt())
                .containsExactly("F16@64", "F16@128", "Q4_K_M@64", "Q4_K_M@128", "Q8_0@64", "Q8_0@128");
        assertThat(summary.path("frontiers")).extracting(f -> f.path("context").asInt()).containsExactly(64, 128);
        assertThat(summary.path("recommendations")).extracting(r -> r.path("context").asInt()).containsExactly(64, 128);
        String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("<h2>Context ceilings</h2>").contains("<th>64</th><th>128</th><th>ceiling</th>")
                .contains("Recommendation for m at context 128");
        JsonNode manifest = JSON.readTree(dir.resolve("sweep_manifest.json").toFile());
        assertThat(manifest.path("cells")).extracting(c -> c.path("context").asInt())
                .containsExactly(64, 128, 64, 128, 64, 128);
        assertThat(manifest.path("context_sweep").path("contexts").toString()).isEqualTo("[64,128]");
        assertThat(manifest.path("cell_identities").path("m/Q8_0@128").path("server_context_size").asInt())
                .isEqualTo(128);
    }

    @Test
    @DisplayName("a server fixed at another context blocks the cell before its first run with context_mismatch")
    void fixedContextServer(@TempDir Path dir) throws IOException {
        Family server = new Family(128, false, request -> 128);

        SweepOutcome outcome = engine(CONTEXTS.replace("[64, 128]", "[128, 256]"), dir).provider(server).build().run();
        SweepReport.Written report = SweepReport.write(dir, outcome.sweepId(), ViewOptions.DEFAULT, RunPolicy.DEFAULT);

        assertThat(outcome.blockedCells()).containsExactly(Map.entry("m/F16@256", "context_mismatch:256!=128"),
                Map.entry("m/Q8_0@256", "context_mismatch:256!=128"),
                Map.entry("m/Q4_K_M@256", "context_mismatch:256!=128"));
        assertThat(server.requests).noneMatch(r -> r.contextSize() == 256);
        ContextCeilings.PerContext blocked = report.contextCeilings().ceilings().get(1).perContext().get(1);
        assertThat(blocked.passed()).isFalse();
        assertThat(blocked.reasons()).containsExactly("cell_blocked", "no_valid_runs");
        assertThat(blocked.blockedReason()).isEqualTo("context_mismatch:256!=128");
        assertThat(Files.readString(dir.resolve("blocked_cells.json"))).contains("\"m/Q8_0@256\":"
                + "\"context_mismatch:256!=128\"");
    }

    @Test
    @DisplayName("a context set per request (Ollama's num_ctx) is checked after the cell's first completed run: a stale"
            + " context before it does not block, a capped one after it does")
    void perRequestContext(@TempDir Path dir) {
        // Loaded at 2048 before the sweep (another client's load); serves at most 128 whatever num_ctx asks.
        Family server = new Family(2048, true, request -> Math.min(request.contextSize(), 128));

        SweepOutcome outcome = engine(CONTEXTS.replace("[64, 128]", "[64, 256]"), dir).provider(server).build().run();

        assertThat(outcome.canary().passed()).isTrue();
        assertThat(outcome.blockedCells()).containsOnlyKeys("m/F16@256", "m/Q8_0@256", "m/Q4_K_M@256")
                .containsValue("context_mismatch:256!=128");
        // Each @256 cell ran its warm-up and stopped there: no measured run at the wrong context.
        assertThat(server.requests).filteredOn(r -> r.contextSize() == 256).extracting(RunRequest::runId)
                .containsExactly("m/F16@256/warmup/w1", "m/Q8_0@256/warmup/w1", "m/Q4_K_M@256/warmup/w1");
        assertThat(RunLedger.readAll(dir.resolve("runs.jsonl"))).hasSize(3 * 6)
                .allSatisfy(e -> assertThat(e.runId()).contains("@64/"));
    }

    @Test
    @DisplayName("a resumed sweep whose profile file changed is refused: same config text, another plan")
    void changedProfileRefused(@TempDir Path dir) throws IOException {
        Path profiles = dir.resolve("profiles.json");
        Files.writeString(profiles, ContextProfiles.shipped(), StandardCharsets.UTF_8);
        Path config = dir.resolve("sweep.json");
        Files.writeString(config, String.format(SweepEngineTest.CONFIG, ", \"context_sweep\": {\"profile\": \"safe\","
                + " \"profiles_file\": \"profiles.json\", \"prompt_fill\": 0.01}"));
        Path out = dir.resolve("out");
        Family server = new Family(null, true, RunRequest::contextSize);
        SweepEngine.builder().config(SweepConfigReader.read(config)).provider(server).outputDir(out).clock(clock)
                .sleeper(d -> clock.advanceMillis(d.toMillis())).scorer(SweepEngineTest.AGREEMENT)
                .higherPrecisionFirst(SweepEngineTest.PRECISION).build().run();

        Files.writeString(profiles, ContextProfiles.shipped().replace("[4096, 8192, 16384]", "[4096, 8192]"),
                StandardCharsets.UTF_8);

        SweepConfig changed = SweepConfigReader.read(config);
        assertThatThrownBy(() -> SweepEngine.builder().config(changed).provider(server).outputDir(out).clock(clock)
                .build().run())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("holds a sweep whose context_sweep resolved to")
                .hasMessageContaining("(its profiles_file changed); restore the profile file or choose a new output"
                        + " directory.");
    }
}
