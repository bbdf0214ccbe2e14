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
