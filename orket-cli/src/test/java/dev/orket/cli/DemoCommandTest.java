package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("orket demo")
class DemoCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    @DisplayName("runs a whole sweep over loopback HTTP and recommends the quant the family's parameters imply")
    void demo(@TempDir Path base) throws IOException {
        Path dir = base.resolve("demo");

        Cli cli = Cli.run("demo", "--out", dir.toString(), "--repetitions", "3");

        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("the sweep recommends Q5_K_M: match")
                .contains("output directory: " + dir.toAbsolutePath());
        JsonNode summary = MAPPER.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("recommendations").get(0).get("winner_quant_tag").asText()).isEqualTo("Q5_K_M");
        assertThat(summary.get("valid_runs").asInt()).isEqualTo(7 * 2 * 3);
        assertThat(Files.readAllLines(dir.resolve("runs.jsonl"))).hasSize(7 * 2 * 3).allSatisfy(line -> {
            JsonNode run = MAPPER.readTree(line);
            // The simulated server says which quant it serves, and it is the one each cell asked for.
            assertThat(run.get("served_quant_tag").asText()).isEqualTo(run.get("quant_tag").asText());
            assertThat(run.get("quant_tag_verified").asBoolean()).as(line).isTrue();
        });
        assertThat(MAPPER.readTree(dir.resolve("sweep_manifest.json").toFile()).get("cell_identities").size())
                .isEqualTo(7);
        for (String artifact : List.of("sweep_manifest.json", "summary.json", "canary_verdict.json")) {
            JsonNode node = MAPPER.readTree(dir.resolve(artifact).toFile());
            assertThat(node.get("execution_lane").asText()).as(artifact).isEqualTo("ci");
            assertThat(node.get("vram_profile").asText()).as(artifact).isEqualTo("balanced");
        }
        assertThat(Files.readString(dir.resolve("report.html"))).contains("data-quant=\"Q5_K_M\"");
    }

    @Test
    @DisplayName("the demo has real noise: a real canary CV under its threshold, median intervals with width, and the"
            + " recommendation's noise checks on real intervals; each run's jitter is its run id's")
    void realNoise(@TempDir Path base) throws IOException {
        Path dir = base.resolve("demo");

        Cli cli = Cli.run("demo", "--out", dir.toString(), "--repetitions", "5");

        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("the sweep recommends Q5_K_M: match")
                .contains("quality over 16 tokens is within 0.95 of F16's");
        JsonNode canary = MAPPER.readTree(dir.resolve("canary_verdict.json").toFile());
        assertThat(canary.get("passed").asBoolean()).isTrue();
        // Jitter of +-2 % bounds the CV of 3 canary runs by 0.0236 (docs/simulated-quant-family.md#jitter).
        assertThat(canary.get("internal_latency_cv").asDouble()).isGreaterThan(0.0).isLessThan(0.0236);
        JsonNode summary = MAPPER.readTree(dir.resolve("summary.json").toFile());
        for (JsonNode cell : summary.get("cells")) {
            for (String metric : List.of("generation_tokens_per_second", "client_ttft_ms")) {
                JsonNode ci = cell.get("metrics").get(metric).get("median_ci");
                assertThat(ci.get("upper").asDouble()).as(cell.get("quant_tag") + " " + metric)
                        .isGreaterThan(ci.get("lower").asDouble());
            }
        }
        JsonNode recommendation = summary.get("recommendations").get(0);
        JsonNode figures = recommendation.get("deciding_figures");
        assertThat(figures.get("winner").get("generation_tokens_per_second_ci").get(1).asDouble())
                .isGreaterThan(figures.get("winner").get("generation_tokens_per_second_ci").get(0).asDouble());
        // Q5_K_M decodes about 10 % faster than Q6_K: beyond +-2 % noise, and the intervals say so.
        assertThat(recommendation.get("runner_up_quant_tag").asText()).isEqualTo("Q6_K");
        assertThat(recommendation.get("speed_difference_exceeds_noise").asBoolean()).isTrue();
        java.util.Set<Double> speeds = new java.util.HashSet<>();
        for (String line : Files.readAllLines(dir.resolve("runs.jsonl"))) {
            JsonNode run = MAPPER.readTree(line);
            if (run.get("run_id").asText().startsWith("tiny-llama/Q5_K_M/fox/")) {
                speeds.add(run.get("generation_tokens_per_second").asDouble());
            }
        }
        assertThat(speeds).hasSize(5);
    }

    @Test
    @DisplayName("a demo killed with SIGKILL mid-run and resumed yields the same summary as an uninterrupted one")
    void killAndResume(@TempDir Path base) throws Exception {
        Path uninterrupted = base.resolve("whole");
        assertThat(Cli.run("demo", "--out", uninterrupted.toString(), "--repetitions", "3").exitCode()).isZero();

        Path killed = base.resolve("killed");
        Process process = new ProcessBuilder(Jvm.orket(List.of(), "demo", "--out", killed.toString(), "--repetitions", "3"))
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("killed.log").toFile())
                .start();
        Path ledger = killed.resolve("runs.jsonl");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Jvm.lines(ledger) < 10 && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        process.destroyForcibly();
        process.waitFor();
        int before = Jvm.lines(ledger);
        assertThat(before).as(Files.readString(base.resolve("killed.log"))).isBetween(10, 41);

        Cli resumed = Cli.run("demo", "--out", killed.toString(), "--resume");

        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
        assertThat(resumed.out()).contains("resumed");
        assertThat(resumed.err()).contains("orket: took over the lock of " + killed + " left by process "
                + process.pid() + ", which ended without releasing it");
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(ledger)) {
            ids.add(MAPPER.readTree(line).get("run_id").asText());
        }
        assertThat(ids).hasSize(42).doesNotHaveDuplicates();
        assertThat(Files.readString(killed.resolve("summary.json")))
                .isEqualTo(Files.readString(uninterrupted.resolve("summary.json")));
    }
}
