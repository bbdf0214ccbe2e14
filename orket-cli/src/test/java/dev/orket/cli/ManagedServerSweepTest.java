package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("orket sweep with a managed llama-server per quant")
class ManagedServerSweepTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** An executable that runs the testkit's stand-in llama-server, or one that exits at once. */
    private static Path executable(Path dir, boolean healthy) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String body = healthy
                ? "exec '" + java + "' -cp '" + System.getProperty("java.class.path")
                        + "' dev.orket.simulator.server.StandInLlamaServer \"$@\"\n"
                : "echo 'error: failed to load model' >&2\nexit 1\n";
        Path script = dir.resolve(healthy ? "llama-server" : "broken-llama-server");
        Files.writeString(script, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static Path config(Path dir, Path executable) throws IOException {
        for (String quant : List.of("Q8_0", "Q4_K_M")) {
            Files.write(dir.resolve("tiny-llama-" + quant + ".gguf"), new byte[] {'G', 'G', 'U', 'F'});
        }
        Path config = dir.resolve("sweep.json");
        Files.writeString(config, "{\"provider\": {\"id\": \"llamacpp\", \"base_url\": \"http://127.0.0.1:1\"},"
                + " \"managed_server\": {\"executable\": \"" + executable + "\", \"context_size\": 2048,"
                + " \"startup_timeout_ms\": 30000},"
                + " \"models\": [{\"name\": \"tiny-llama\", \"quants\": [\"Q8_0\", \"Q4_K_M\"],"
                + " \"gguf_files\": {\"Q8_0\": \"tiny-llama-Q8_0.gguf\", \"Q4_K_M\": \"tiny-llama-Q4_K_M.gguf\"}}],"
                + " \"sessions\": [{\"id\": \"fox\", \"prompt\": \"The quick brown fox\", \"max_output_tokens\": 12}],"
                + " \"repetitions\": 2, \"warmup_runs\": 1, \"canary\": {\"runs\": 0}, \"timeout_ms\": 20000,"
                + " \"execution_lane\": \"lab\", \"vram_profile\": \"balanced\"}");
        return config;
    }

    @Test
    @DisplayName("starts a server per GGUF file, runs the cell over HTTP, stops it and keeps its output")
    void serverPerQuant(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");

        Cli cli = Cli.run("sweep", config(dir, executable(dir, true)).toString(), "--out", out.toString());

        // A lab-lane sweep on a busy machine may judge every run invalid (host contention, overhead): then exit 1
        // says so in one line. What this test proves is the server per quant, below.
        if (cli.exitCode() != 0) {
            assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(1);
            assertThat(cli.out()).contains("sweep out has no valid run: 4 run(s), all invalid");
        }
        List<String> states = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("runs.jsonl"))) {
            JsonNode run = MAPPER.readTree(line);
            states.add(run.get("quant_tag").asText() + " " + run.get("terminal_state").asText() + " "
                    + run.get("output_tokens").asInt());
        }
        assertThat(states).containsExactly("Q8_0 COMPLETED 12", "Q8_0 COMPLETED 12", "Q4_K_M COMPLETED 12",
                "Q4_K_M COMPLETED 12");
        for (String quant : List.of("Q8_0", "Q4_K_M")) {
            assertThat(Files.readString(out.resolve("server-logs").resolve("tiny-llama_" + quant + ".log")))
                    .contains("stand-in llama-server: serving the simulated quant family for")
                    .contains("tiny-llama-" + quant + ".gguf");
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    @DisplayName("the strict VRAM pre-flight estimates each quant from its GGUF header and blocks what exceeds the cap")
    void preflightFromGgufHeaders(@TempDir Path dir) throws IOException {
        Path config = config(dir, executable(dir, true));
        byte[] header = Files.readAllBytes(Path.of("src", "test", "resources", "gguf",
                "tiny-random-llama-Q4_K_M.header.gguf"));
        for (String quant : List.of("Q8_0", "Q4_K_M")) {
            Files.write(dir.resolve("tiny-llama-" + quant + ".gguf"), header);
        }
        Files.writeString(config, Files.readString(config).replace("\"execution_lane\"",
                "\"vram_preflight\": {\"mode\": \"strict\", \"card_vram_mib\": 600}, \"execution_lane\""));
        Path out = dir.resolve("out");

        Cli cli = Cli.run("sweep", config.toString(), "--out", out.toString());

        // Every cell blocked: no valid run, exit 1 with one line saying why.
        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(1);
        assertThat(cli.out()).contains("sweep out has no valid run: every cell was blocked (tiny-llama/Q8_0:"
                + " vram_preflight:estimate 518 MiB");
        // 1.33 MiB of weights + KV 2 x 2 layers x 2048 tokens x 4 KV heads x 64 x 2 bytes (4 MiB)
        // + 512 MiB + 10 % of weights and KV cache = 517.9 MiB, rounded up.
        assertThat(cli.out()).contains("blocked tiny-llama/Q4_K_M: vram_preflight:estimate 518 MiB > balanced cap 480 MiB"
                + " of 600 MiB");
        assertThat(out.resolve("runs.jsonl")).isEmptyFile();
    }

    @Test
    @DisplayName("--dry-run --json keeps standard output for events: what would block a managed cell goes to"
            + " standard error")
    void dryRunJsonWarningsOnStandardError(@TempDir Path dir) throws IOException {
        Path config = config(dir, dir.resolve("no-such-llama-server"));
        Files.delete(dir.resolve("tiny-llama-Q4_K_M.gguf"));

        Cli cli = Cli.run("sweep", config.toString(), "--dry-run", "--json", "--out", dir.resolve("out").toString());

        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err()).contains("dry run: nothing is touched")
                .contains("warning: managed_server.executable " + dir.resolve("no-such-llama-server")
                        + " is not an executable file; every cell would be blocked")
                .contains("warning: tiny-llama/Q4_K_M: GGUF file " + dir.resolve("tiny-llama-Q4_K_M.gguf")
                        + " does not exist; its cell would be blocked");
    }

    @Test
    @DisplayName("a quant whose server fails to start is recorded as blocked, and the sweep goes on")
    void serverFailsToStart(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");

        Cli cli = Cli.run("sweep", config(dir, executable(dir, false)).toString(), "--out", out.toString());

        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(1);
        assertThat(cli.out()).contains("blocked tiny-llama/Q8_0: server_start_failed:llama-server for ")
                .contains("error: failed to load model")
                .contains("sweep out has no valid run: every cell was blocked");
        JsonNode blocked = MAPPER.readTree(out.resolve("blocked_cells.json").toFile()).get("blocked");
        assertThat(blocked.has("tiny-llama/Q8_0")).isTrue();
        assertThat(blocked.has("tiny-llama/Q4_K_M")).isTrue();
        assertThat(out.resolve("runs.jsonl")).isEmptyFile();
    }

    @Test
    @DisplayName("with provider.api_key_env, each managed server gets the key in a private file, never on its command"
            + " line, and every request carries it")
    void apiKey(@TempDir Path dir) throws Exception {
        String secret = "sk-orket-test-" + Long.toHexString(System.nanoTime());
        Path config = config(dir, executable(dir, true));
        Files.writeString(config, Files.readString(config).replace("\"base_url\"",
                "\"api_key_env\": \"ORKET_TEST_LLAMA_KEY\", \"base_url\""));
        Path out = dir.resolve("out");
        ProcessBuilder sweep = new ProcessBuilder(Jvm.orket(List.of(), "sweep", config.toString(), "--out",
                out.toString())).redirectErrorStream(true).redirectOutput(dir.resolve("sweep.log").toFile());
        sweep.environment().put("ORKET_TEST_LLAMA_KEY", secret);

        Process process = sweep.start();

        assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // The stand-in's runs may come out invalid (high orchestration overhead on a busy machine): then exit 1
        // says so; this test is about the key, which the four completed runs below prove.
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("sweep.log"))).isIn(0, 1);
        List<String> states = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("runs.jsonl"))) {
            states.add(MAPPER.readTree(line).get("terminal_state").asText());
        }
        // The stand-in answers 401 to a request without the key: four completed runs prove the header was sent.
        assertThat(states).containsExactly("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED");
        String log = Files.readString(out.resolve("server-logs").resolve("tiny-llama_Q8_0.log"));
        assertThat(log).contains("--api-key-file ").contains("API key required").doesNotContain(secret);
        try (java.util.stream.Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain(secret);
            }
        }
        assertThat(Files.readString(dir.resolve("sweep.log"))).doesNotContain(secret);
    }
}
