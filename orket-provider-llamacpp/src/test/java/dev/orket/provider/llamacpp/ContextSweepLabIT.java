package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.ControlStatus;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.recommend.ContextCeilings;
import dev.orket.core.recommend.ViewOptions;
import dev.orket.core.report.SweepReport;
import dev.orket.core.sweep.ContextFill;
import dev.orket.core.sweep.LedgerEntry;
import dev.orket.core.sweep.QuantOrder;
import dev.orket.core.sweep.RunLedger;
import dev.orket.core.sweep.SessionScoring;
import dev.orket.core.sweep.SweepConfig;
import dev.orket.core.sweep.SweepConfigReader;
import dev.orket.core.sweep.SweepEngine;
import dev.orket.core.sweep.SweepOutcome;
import dev.orket.testkit.lab.LabLane;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab-cpu lane: a context sweep on the real llama-server. Every quant is asked to run at contexts 128, 256 and
 * 512 on a managed server started with {@code -c <context>}. This build pads the context to a multiple of 256, so
 * {@code -c 128} serves 256: those cells are blocked with {@code context_mismatch:128!=256} instead of being measured
 * at a context they did not get; 256 and 512 are confirmed by the server, the prompt filler's token count is exact
 * on the real tokenizer, and each (quant, context) is judged into {@code context_ceilings}.
 */
class ContextSweepLabIT {

    private static final String SESSION_PROMPT = "The quick brown fox";
    private static final List<Integer> CONTEXTS = List.of(128, 256, 512);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The shipped policy, except that host contention and orchestration overhead are tolerated: the lab-cpu machine is
     * shared (other builds run beside this test), contention has its own lab test (HostContentionLabIT), and the tiny
     * model's runs last a few milliseconds, of which the client's HTTP share is a large part. What this test proves —
     * contexts confirmed, prompts filled, verdicts from medians — needs valid runs on a busy host too.
     */
    private static final RunPolicy SHARED_HOST = new RunPolicy("2-shared-lab-host", 1.0, 500.0, 1_000.0, 100.0);

    private static LabLane.LlamaServerLab lab;

    @BeforeAll
    static void lab() {
        lab = LabLane.llamaServer(ContextSweepLabIT.class);
    }

    @Test
    @DisplayName("the filler's token count is floor(fill x context) on the real tokenizer (/tokenize)")
    void fillerTokensAreExact() throws Exception {
        try (ManagedLlamaServer server = ManagedLlamaServer.start(ManagedLlamaServer.options(lab.executable(),
                lab.gguf("Q8_0")).contextSize(512).threads(2).parallel(1).extraArgs(List.of("--no-ui"))
                .startupDeadline(Duration.ofSeconds(60)))) {
            int session = tokens(server.baseUrl(), SESSION_PROMPT);
            for (int context : CONTEXTS) {
                for (double fill : new double[] {0.25, 0.5, 0.75}) {
                    int filled = tokens(server.baseUrl(), ContextFill.prompt(SESSION_PROMPT, context, fill));
                    assertThat(filled - session).as("context %d fill %s", context, fill)
                            .isEqualTo(ContextFill.fillerTokens(context, fill));
                }
            }
        }
    }

    @Test
    @DisplayName("every quant at contexts 128, 256 and 512: 128 is blocked naming both values (the server pads it to"
            + " 256), 256 and 512 are confirmed, and the ceilings follow from the medians")
    void contextSweep(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        List<String> quants = List.of("F16", "Q8_0", "Q4_K_M", "Q2_K");
        StringBuilder files = new StringBuilder();
        for (String quant : quants) {
            files.append(files.length() == 0 ? "" : ", ").append('"').append(quant).append("\": \"")
                    .append(lab.gguf(quant)).append('"');
        }
        String config = "{\n"
                + "  \"sweep_id\": \"lab-context\",\n"
                + "  \"provider\": {\"id\": \"llamacpp\", \"base_url\": \"http://127.0.0.1:1\"},\n"
                + "  \"models\": [{\"name\": \"tiny\", \"quants\": [\"F16\", \"Q8_0\", \"Q4_K_M\", \"Q2_K\"],"
                + " \"gguf_files\": {" + files + "}}],\n"
                + "  \"context_sweep\": {\"contexts\": [128, 256, 512], \"adherence_min\": 0.5,"
                + " \"ttft_ceiling_ms\": 40.0, \"decode_floor_tps\": 50.0, \"prompt_fill\": 0.5},\n"
                + "  \"sessions\": [{\"id\": \"fox\", \"prompt\": \"" + SESSION_PROMPT + "\", \"max_output_tokens\": 16,"
                + " \"scorer\": \"baseline_agreement\"}],\n"
                // No canary: its first cell, F16@128, cannot be served at 128 and would stop the sweep.
                + "  \"repetitions\": 3, \"warmup_runs\": 1, \"canary\": {\"runs\": 0},\n"
                + "  \"controls\": {\"seed\": 42, \"temperature\": 0.0, \"threads\": 2},\n"
                + "  \"managed_server\": {\"executable\": \"" + lab.executable() + "\", \"args\": [\"--no-ui\"],"
                + " \"startup_timeout_ms\": 60000},\n"
                + "  \"execution_lane\": \"lab\", \"vram_profile\": \"balanced\", \"stream\": true\n"
                + "}";
        SweepConfig parsed = SweepConfigReader.parse(config, "lab-context.json");
        Path out = dir.resolve("out");

        SweepOutcome outcome = SweepEngine.builder()
                .config(parsed)
                .providerPerCell("llamacpp", new ManagedServerCells(parsed, dir, out))
                .outputDir(out)
                .scorer(SessionScoring.forSessions(parsed.sessions()))
                .higherPrecisionFirst(QuantOrder.HIGHER_PRECISION_FIRST)
                .policy(SHARED_HOST)
                .build()
                .run();
        SweepReport.Written report = SweepReport.write(out, outcome.sweepId(), ViewOptions.DEFAULT, SHARED_HOST);

        assertThat(outcome.status()).as(outcome.canary().reasons().toString()).isEqualTo(SweepOutcome.Status.COMPLETED);
        // llama-server pads -c 128 to 256: the cell is blocked naming both values, never measured at the wrong context.
        assertThat(outcome.blockedCells()).containsOnlyKeys("tiny/F16@128", "tiny/Q8_0@128", "tiny/Q4_K_M@128",
                "tiny/Q2_K@128").containsValue("context_mismatch:128!=256");
        assertThat(java.util.Set.copyOf(outcome.blockedCells().values())).containsExactly("context_mismatch:128!=256");
        List<LedgerEntry> runs = RunLedger.readAll(out.resolve("runs.jsonl"));
        assertThat(runs).hasSize(quants.size() * 2 * 3);
        int fox;
        try (ManagedLlamaServer server = ManagedLlamaServer.start(ManagedLlamaServer.options(lab.executable(),
                lab.gguf("Q8_0")).contextSize(512).threads(2).parallel(1).extraArgs(List.of("--no-ui"))
                .startupDeadline(Duration.ofSeconds(60)))) {
            fox = tokens(server.baseUrl(), SESSION_PROMPT);
        }
        for (LedgerEntry entry : runs) {
            RunTelemetry t = entry.telemetry();
            String id = t.identity().runId();
            int context = t.identity().contextSize();
            assertThat(id).startsWith("tiny/" + t.identity().quantTag() + "@" + context + "/fox/r");
            assertThat(t.outcome().terminalState()).as(id).isEqualTo(TerminalState.COMPLETED);
            assertThat(t.serverContextSize()).as(id + ": the server confirms the cell's context").isEqualTo(context);
            assertThat(t.controlsApplied().of(ExperimentalControl.CONTEXT_SIZE).status()).as(id)
                    .isEqualTo(ControlStatus.APPLIED);
            // The filled prompt on the real tokenizer: filler + session prompt + BOS.
            assertThat(t.tokenMetrics().promptTokens().require()).as(id + " prompt tokens")
                    .isEqualTo(context / 2 + fox + 1.0);
            assertThat(t.validity().valid()).as(id + " " + t.validity().invalidReasons()).isTrue();
        }

        ContextCeilings.Result ceilings = report.contextCeilings();
        assertThat(ceilings.ceilings()).extracting(ContextCeilings.Ceiling::quantTag)
                .containsExactlyElementsOf(quants);
        StringBuilder measured = new StringBuilder();
        for (ContextCeilings.Ceiling ceiling : ceilings.ceilings()) {
            Integer largest = null;
            measured.append(String.format(Locale.ROOT, "%n  %-7s ceiling %-4s", ceiling.quantTag(),
                    ceiling.contextCeiling()));
            for (ContextCeilings.PerContext c : ceiling.perContext()) {
                if (c.context() == 128) {
                    assertThat(c.passed()).isFalse();
                    assertThat(c.reasons()).containsExactly("cell_blocked", "no_valid_runs");
                    assertThat(c.blockedReason()).isEqualTo("context_mismatch:128!=256");
                    measured.append(" | 128: blocked (").append(c.blockedReason()).append(')');
                    continue;
                }
                assertThat(c.validRuns()).isEqualTo(3);
                boolean meets = c.medianAdherence() >= 0.5 && c.medianTtftMs() <= 40.0 && c.medianDecodeTps() >= 50.0;
                assertThat(c.passed()).as(ceiling.quantTag() + "@" + c.context()).isEqualTo(meets);
                if (meets) {
                    largest = c.context();
                }
                measured.append(String.format(Locale.ROOT, " | %d: %s adh %.3f ttft %.1f ms %.0f tok/s", c.context(),
                        c.passed() ? "pass" : "fail " + c.reasons(), c.medianAdherence(), c.medianTtftMs(),
                        c.medianDecodeTps()));
            }
            assertThat(ceiling.contextCeiling()).as(ceiling.quantTag()).isEqualTo(largest);
        }
        JsonNode manifest = JSON.readTree(out.resolve("sweep_manifest.json").toFile());
        for (int context : CONTEXTS) {
            assertThat(manifest.path("cell_identities").path("tiny/Q8_0@" + context).path("server_context_size")
                    .asInt()).isEqualTo(Math.max(256, context));
            assertThat(Files.readString(out.resolve("server-logs").resolve("tiny_Q8_0_c" + context + ".log")))
                    .contains("n_ctx_slot = " + Math.max(256, context));
        }
        assertThat(Files.readString(out.resolve("report.html"))).contains("<h2>Context ceilings</h2>");
        System.out.println("[lab-cpu] context ceilings measured on the real llama-server (adherence >= 0.5, TTFT <= 40"
                + " ms, decode >= 50 tok/s):" + measured);
        LabLane.printTotals("context sweep: 4 quants x contexts 128/256/512 on managed servers (-c per cell; 128"
                + " blocked: padded to 256)", runs.size(), quants.size(), Duration.ofNanos(System.nanoTime() - started));
    }

    /** The token count of a text on the server's tokenizer ({@code POST /tokenize}, no BOS). */
    private static int tokens(URI base, String text) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/tokenize"))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("content", text))))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("tokens").size();
    }
}
