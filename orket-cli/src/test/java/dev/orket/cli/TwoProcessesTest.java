package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.simulator.server.ScriptedInferenceServer;
import dev.orket.simulator.server.SimulatedQuantFamily;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Two orket processes on one output directory")
class TwoProcessesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    @DisplayName("the second exits 3 naming the directory and the holder's pid; once the holder is killed, its lock is"
            + " taken over and nothing is duplicated")
    void secondProcessRefused(@TempDir Path base) throws Exception {
        // Slow enough (real time, about 10 ms per token) that the first sweep is still running when the second starts.
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.setDispatcher(SimulatedQuantFamily.of("tiny-llama", 1.0));
            Path config = base.resolve("sweep.json");
            Files.writeString(config, "{\"sweep_id\": \"shared\", \"provider\": {\"id\": \"llamacpp\", \"base_url\": \""
                    + server.baseUri() + "\"}, \"models\": [{\"name\": \"tiny-llama\", \"quants\": [\"Q8_0\", \"Q4_K_M\"]}],"
                    + " \"sessions\": [{\"id\": \"fox\", \"prompt\": \"The quick brown fox\", \"max_output_tokens\": 12}],"
                    + " \"repetitions\": 200, \"warmup_runs\": 0, \"canary\": {\"runs\": 0}, \"timeout_ms\": 20000,"
                    + " \"execution_lane\": \"ci\", \"vram_profile\": \"balanced\"}");
            Path dir = base.resolve("out");
            Process first = new ProcessBuilder(Jvm.orket(List.of(), "sweep", config.toString(), "--out", dir.toString()))
                    .redirectErrorStream(true).redirectOutput(base.resolve("first.log").toFile()).start();
            try {
                Path ledger = dir.resolve("runs.jsonl");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (Jvm.lines(ledger) < 1 && first.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(Jvm.lines(ledger)).as(Files.readString(base.resolve("first.log"))).isPositive();

                Process second = new ProcessBuilder(Jvm.orket(List.of(), "sweep", config.toString(), "--out",
                        dir.toString(), "--resume")).redirectErrorStream(true).start();
                String secondOutput = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
                Cli report = Cli.run("report", dir.toString());

                assertThat(first.isAlive()).as("the first sweep must still be running for this test to mean anything")
                        .isTrue();
                String refusal = "orket: Output directory " + dir + " is in use by another Orket process (pid "
                        + first.pid() + ", since ";
                assertThat(second.exitValue()).as(secondOutput).isEqualTo(3);
                assertThat(secondOutput).startsWith(refusal);
                assertThat(report.exitCode()).isEqualTo(3);
                assertThat(report.err()).startsWith(refusal);
            } finally {
                first.destroyForcibly();
                first.waitFor();
            }

            Cli after = Cli.run("report", dir.toString());

            assertThat(after.exitCode()).as(after.err()).isZero();
            assertThat(after.err()).contains("took over the lock of " + dir + " left by process " + first.pid())
                    .contains("planned run(s) are missing from runs.jsonl");
            List<String> ids = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("runs.jsonl"))) {
                ids.add(MAPPER.readTree(line).get("run_id").asText());
            }
            assertThat(ids).doesNotHaveDuplicates();
        }
    }
}
