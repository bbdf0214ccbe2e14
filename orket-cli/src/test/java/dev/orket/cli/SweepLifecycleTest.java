package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.simulator.server.ScriptedInferenceServer;
import dev.orket.simulator.server.SimulatedQuantFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("orket sweep and demo: signals, events and shards")
class SweepLifecycleTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    @DisplayName("SIGTERM stops a demo at the current run, exit 130 with a consistent ledger; --resume finishes it"
            + " with the summary of an uninterrupted demo")
    void sigtermAndResume(@TempDir Path base) throws Exception {
        Path whole = base.resolve("whole");
        assertThat(Cli.run("demo", "--out", whole.toString(), "--repetitions", "6").exitCode()).isZero();

        Path stopped = base.resolve("stopped");
        Process process = new ProcessBuilder(Jvm.orket(List.of(), "demo", "--out", stopped.toString(),
                "--repetitions", "6")).redirectErrorStream(true).redirectOutput(base.resolve("stopped.log").toFile())
                .start();
        Path ledger = stopped.resolve("runs.jsonl");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (Jvm.lines(ledger) < 10 && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(base.resolve("stopped.log"));

        assertThat(process.exitValue()).as(log).isEqualTo(130);
        assertThat(log).contains("orket: interrupted; resume with --resume");
        List<String> lines = Files.readAllLines(ledger);
        assertThat(lines.size()).isBetween(10, 7 * 2 * 6 - 1);
        for (String line : lines) {
            assertThat(MAPPER.readTree(line).get("run_id").asText()).isNotEmpty();
        }

        Cli resumed = Cli.run("demo", "--out", stopped.toString(), "--resume");

        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
        Set<String> ids = new HashSet<>();
        for (String line : Files.readAllLines(ledger)) {
            ids.add(MAPPER.readTree(line).get("run_id").asText());
        }
        assertThat(ids).hasSize(7 * 2 * 6);
        assertThat(Files.readString(stopped.resolve("summary.json")))
                .isEqualTo(Files.readString(whole.resolve("summary.json")));
    }

    @Test
    @DisplayName("--json prints one JSON event per line on standard output, from sweep_started to sweep_finished")
    void jsonEvents(@TempDir Path dir) throws IOException {
        SimulatedQuantFamily family = SimulatedQuantFamily.of("tiny-llama", 0.01);
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.setDispatcher(family);
            Path config = dir.resolve("sweep.json");
            Files.writeString(config, "{\"provider\": {\"id\": \"llamacpp\", \"base_url\": \"" + server.baseUri()
                    + "\"}, \"models\": [{\"name\": \"tiny-llama\", \"quants\": [\"Q8_0\", \"Q4_K_M\"],"
                    + " \"server_model_template\": \"{model}:{quant}\"}],"
                    + " \"sessions\": [{\"id\": \"fox\", \"prompt\": \"The quick brown fox\", \"max_output_tokens\": 8}],"
                    + " \"repetitions\": 1, \"warmup_runs\": 0, \"canary\": {\"runs\": 0},"
                    + " \"execution_lane\": \"ci\", \"vram_profile\": \"balanced\"}");

            Cli cli = Cli.run("sweep", config.toString(), "--out", dir.resolve("out").toString(), "--json");

            // Real time on a busy machine may leave the runs invalid (overhead): exit 1 then says so.
            assertThat(cli.exitCode()).as(cli.err()).isIn(0, 1);
            List<String> lines = cli.out().lines().toList();
            assertThat(lines).isNotEmpty();
            for (String line : lines) {
                assertThat(MAPPER.readTree(line).has("event")).as(line).isTrue();
            }
            assertThat(MAPPER.readTree(lines.get(0)).get("event").asText()).isEqualTo("sweep_started");
            assertThat(MAPPER.readTree(lines.get(lines.size() - 1)).get("event").asText()).isEqualTo("sweep_finished");
            assertThat(lines.stream().filter(l -> l.startsWith("{\"event\":\"run_finished\"")).count()).isEqualTo(2);
            assertThat(lines.stream().filter(l -> l.startsWith("{\"event\":\"cell_started\"")).count()).isEqualTo(2);
            assertThat(cli.err()).contains("summary: ");
        }
    }

    @Test
    @DisplayName("three shards of the demo, merged, give the unsharded sweep's runs, cells and recommendation")
    void shardsMerge(@TempDir Path base) throws IOException {
        Path whole = base.resolve("whole");
        assertThat(Cli.run("demo", "--out", whole.toString(), "--repetitions", "3").exitCode()).isZero();
        for (int i = 1; i <= 3; i++) {
            Cli shard = Cli.run("demo", "--out", base.resolve("s" + i).toString(), "--repetitions", "3", "--shard",
                    i + "/3");
            assertThat(shard.exitCode()).as(shard.out() + shard.err()).isZero();
            assertThat(shard.out()).contains("shard " + i + "/3 of the demo written");
        }

        Path merged = base.resolve("merged");
        Cli report = Cli.run("report", base.resolve("s1").toString(), base.resolve("s2").toString(),
                base.resolve("s3").toString(), "--out", merged.toString());

        assertThat(report.exitCode()).as(report.out() + report.err()).isZero();
        assertThat(report.out()).contains("merged 3 shard(s)").contains("recommendation for tiny-llama: Q5_K_M");
        JsonNode mergedSummary = MAPPER.readTree(merged.resolve("summary.json").toFile());
        JsonNode wholeSummary = MAPPER.readTree(whole.resolve("summary.json").toFile());
        assertThat(mergedSummary.get("total_runs")).isEqualTo(wholeSummary.get("total_runs"));
        assertThat(mergedSummary.get("valid_runs")).isEqualTo(wholeSummary.get("valid_runs"));
        assertThat(mergedSummary.get("cells").size()).isEqualTo(wholeSummary.get("cells").size());
        assertThat(mergedSummary.get("recommendations").get(0).get("winner_quant_tag"))
                .isEqualTo(wholeSummary.get("recommendations").get(0).get("winner_quant_tag"));
        // The baseline F16 ran in every shard for scoring, yet counts once.
        assertThat(Files.readAllLines(merged.resolve("runs.jsonl"))).hasSize(7 * 2 * 3);
    }

    @Test
    @DisplayName("merging refuses shards of different sweeps, naming the directory and the field")
    void mergeRefusesMismatch(@TempDir Path base) throws IOException {
        assertThat(Cli.run("demo", "--out", base.resolve("s1").toString(), "--repetitions", "1", "--shard", "1/2")
                .exitCode()).isZero();
        assertThat(Cli.run("demo", "--out", base.resolve("s2").toString(), "--repetitions", "2", "--shard", "2/2")
                .exitCode()).isZero();

        Cli report = Cli.run("report", base.resolve("s1").toString(), base.resolve("s2").toString(), "--out",
                base.resolve("merged").toString());

        assertThat(report.exitCode()).isEqualTo(3);
        assertThat(report.err()).contains("Shard " + base.resolve("s2") + " has config_sha256");
    }
}
