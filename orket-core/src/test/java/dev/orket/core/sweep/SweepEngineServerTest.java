package dev.orket.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.ServerIdentity;
import dev.orket.api.TerminalState;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.core.telemetry.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The sweep engine and the server it measures")
class SweepEngineServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManualClock clock = new ManualClock();

    /** The fake family, saying for each server model what the server serves. */
    private final class IdentifiedProvider extends FakeFamilyProvider {
        private final Function<String, ServerIdentity> identity;
        final List<String> asked = new ArrayList<>();

        IdentifiedProvider(Function<String, ServerIdentity> identity) {
            super(clock, SweepEngineTest.SPEED, SweepEngineTest.OUTPUT);
            this.identity = identity;
        }

        @Override
        public ServerIdentity serverIdentity(String model) {
            asked.add(model);
            return identity.apply(model);
        }
    }

    private static ServerIdentity serving(String quant) {
        return new ServerIdentity("b10587-3f545bec", "m-" + quant + ".gguf", quant, 512, 1, null, null);
    }

    private SweepEngine.Builder engine(String extra, Path dir) {
        String text = String.format(SweepEngineTest.CONFIG, extra);
        if (extra.contains("managed_server")) {
            text = text.replace("\"quants\": [\"Q4_K_M\", \"F16\", \"Q8_0\"]", "\"quants\": [\"Q4_K_M\", \"F16\", \"Q8_0\"],"
                    + " \"gguf_files\": {\"F16\": \"m-F16.gguf\", \"Q8_0\": \"m-Q8_0.gguf\", \"Q4_K_M\": \"m-Q4_K_M.gguf\"}");
        }
        return SweepEngineTest.engineOn(text, dir, clock);
    }

    @Test
    @DisplayName("every run records what the server serves; the manifest records each cell's identity once")
    void identityOnEveryRun(@TempDir Path dir) throws IOException {
        IdentifiedProvider provider = new IdentifiedProvider(model -> serving(model.substring(2)));

        SweepOutcome outcome = engine("", dir).provider(provider).build().run();

        assertThat(outcome.blockedCells()).isEmpty();
        List<LedgerEntry> runs = RunLedger.readAll(dir.resolve("runs.jsonl"));
        assertThat(runs).hasSize(18).allSatisfy(entry -> {
            var t = entry.telemetry();
            assertThat(t.server().servedQuantTag()).isEqualTo(t.identity().quantTag());
            assertThat(t.server().modelFile()).isEqualTo("m-" + t.identity().quantTag() + ".gguf");
            assertThat(t.server().build()).isEqualTo("b10587-3f545bec");
            assertThat(t.quantTagVerified()).isTrue();
            assertThat(t.serverContextSize()).isEqualTo(512);
        });
        JsonNode identities = JSON.readTree(dir.resolve("sweep_manifest.json").toFile()).get("cell_identities");
        assertThat(identities.get("m/Q8_0").get("served_quant_tag").asText()).isEqualTo("Q8_0");
        assertThat(identities.get("m/Q8_0").get("server_model_file").asText()).isEqualTo("m-Q8_0.gguf");
        assertThat(identities.get("m/Q8_0").get("quant_tag_verified").asBoolean()).isTrue();
        assertThat(identities.size()).isEqualTo(3);
        assertThat(provider.asked).containsExactly("m:F16", "m:Q8_0", "m:Q4_K_M");
    }

    @Test
    @DisplayName("a server serving another quant blocks the cell with quant_mismatch, and the other cells run")
    void mismatchBlocksTheCell(@TempDir Path dir) throws IOException {
        IdentifiedProvider provider = new IdentifiedProvider(
                model -> model.equals("m:Q8_0") ? serving("Q6_K") : serving(model.substring(2)));

        SweepOutcome outcome = engine("", dir).provider(provider).build().run();

        assertThat(outcome.blockedCells()).containsExactly(Map.entry("m/Q8_0", "quant_mismatch:Q8_0!=Q6_K"));
        assertThat(RunLedger.readAll(dir.resolve("runs.jsonl"))).hasSize(12)
                .noneMatch(entry -> entry.runId().startsWith("m/Q8_0/"));
        assertThat(Files.readString(dir.resolve("blocked_cells.json"))).contains("\"m/Q8_0\":\"quant_mismatch:Q8_0!=Q6_K\"");
        JsonNode identity = JSON.readTree(dir.resolve("sweep_manifest.json").toFile()).get("cell_identities")
                .get("m/Q8_0");
        assertThat(identity.get("quant_tag_verified").asBoolean(true)).isFalse();
    }

    @Test
    @DisplayName("a server that cannot say what it serves leaves its runs with quant_tag_verified null")
    void unknownIdentity(@TempDir Path dir) {
        SweepOutcome outcome = engine("", dir).provider(new IdentifiedProvider(model -> ServerIdentity.unknown()))
                .build().run();

        assertThat(outcome.blockedCells()).isEmpty();
        assertThat(RunLedger.readAll(dir.resolve("runs.jsonl"))).hasSize(18).allSatisfy(entry -> {
            assertThat(entry.telemetry().quantTagVerified()).isNull();
            assertThat(entry.telemetry().server().isUnknown()).isTrue();
        });
    }

    @Nested
    @DisplayName("a managed server that dies")
    class Restarts {

        private static final String MANAGED = ",\n  \"managed_server\": {\"executable\": \"/bin/false\", \"max_restarts\": %d}";

        /** Cells whose server dies after a number of runs, counting how often each cell was opened. */
        private final class DyingCells implements CellProvider.Opener {
            private final IdentifiedProvider provider = new IdentifiedProvider(model -> serving(model.substring(2)));
            private final int runsBeforeDeath;
            final Map<String, AtomicInteger> opened = new java.util.HashMap<>();

            DyingCells(int runsBeforeDeath) {
                this.runsBeforeDeath = runsBeforeDeath;
            }

            @Override
            public CellProvider open(SweepCell cell) {
                opened.computeIfAbsent(cell.quant(), quant -> new AtomicInteger()).incrementAndGet();
                int startedAt = provider.executed().size();
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
                    public boolean alive() {
                        return !cell.quant().equals("Q8_0") || provider.executed().size() - startedAt < runsBeforeDeath;
                    }

                    @Override
                    public String outputTail() {
                        return "llama_server: killed\n";
                    }

                    @Override
                    public void close() {
                        // Nothing runs.
                    }
                };
            }
        }

        @Test
        @DisplayName("is started again for the cell's next run, and the cell completes")
        void restarted(@TempDir Path dir) {
            DyingCells cells = new DyingCells(4);

            SweepOutcome outcome = engine(String.format(MANAGED, 2), dir).providerPerCell("fake", cells).build().run();

            // Q8_0 runs 1 warm-up + 6 measured runs: its server dies after every 4th run.
            assertThat(outcome.blockedCells()).isEmpty();
            assertThat(cells.opened.get("Q8_0")).hasValue(2);
            assertThat(RunLedger.readAll(dir.resolve("runs.jsonl")))
                    .filteredOn(entry -> entry.runId().startsWith("m/Q8_0/")).hasSize(6)
                    .allSatisfy(entry -> assertThat(entry.telemetry().outcome().terminalState())
                            .isEqualTo(TerminalState.COMPLETED));
        }

        @Test
        @DisplayName("blocks the cell with the server's output tail after max_restarts")
        void blockedAfterMaxRestarts(@TempDir Path dir) {
            DyingCells cells = new DyingCells(1);

            SweepOutcome outcome = engine(String.format(MANAGED, 2), dir).providerPerCell("fake", cells).build().run();

            assertThat(cells.opened.get("Q8_0")).hasValue(3);
            assertThat(outcome.blockedCells().get("m/Q8_0"))
                    .isEqualTo("server_died:restarted 2 times (max_restarts 2); output tail:\nllama_server: killed\n");
            assertThat(RunLedger.readAll(dir.resolve("runs.jsonl")))
                    .filteredOn(entry -> entry.runId().startsWith("m/Q8_0/")).hasSize(2);
            assertThat(RunLedger.readAll(dir.resolve("runs.jsonl")))
                    .filteredOn(entry -> entry.runId().startsWith("m/Q4_K_M/")).hasSize(6);
        }
    }
}
