package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("orket commands")
class CommandsTest {

    private static final Path SHIPPED_PROFILES = Path.of("..", "profiles", "context_sweep_profiles.json");

    @Test
    @DisplayName("verify-profiles passes the shipped profiles")
    void shippedProfilesHold() {
        Cli cli = Cli.run("verify-profiles", SHIPPED_PROFILES.toString());

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).contains(": ok");
    }

    @Test
    @DisplayName("verify-profiles fails a loosened file, naming each failing key")
    void loosenedProfilesFail(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("profiles.json");
        Files.writeString(file, Files.readString(SHIPPED_PROFILES).replace("\"decode_floor_tps\": 20.0",
                "\"decode_floor_tps\": 5.0").replace("\"ttft_ceiling_ms\": 500.0", "\"ttft_ceiling_ms\": 900.0"));

        Cli cli = Cli.run("verify-profiles", file.toString());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err()).contains("profiles.safe.decode_floor_tps: 5.0 is looser than the shipped 20.0")
                .contains("profiles.stress.ttft_ceiling_ms: 900.0 is looser than the shipped 500.0");
    }

    @Test
    @DisplayName("providers lists the providers and the sidecar found on the class path")
    void providers() {
        Cli cli = Cli.run("providers");

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).contains("  llamacpp  (").contains("  ollama  (").contains("  nvidia-smi  (")
                .contains("  openai  (capabilities [model_listing, non_streaming, streaming, token_counts], spi 1,"
                        + " dev.orket.provider.openai.OpenAiProviderFactory)");
    }

    @Test
    @DisplayName("sidecar parse prints canonical samples with the parse status, exit 0")
    void sidecarParse() {
        Cli cli = Cli.run("sidecar", "parse", Path.of("src", "test", "resources", "nvidia", "h200-idle-query-gpu.csv")
                .toString());

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).contains("\"sidecar_parse_status\":").contains("\"gpu_name\":\"NVIDIA H200\"")
                .startsWith("{\"schema_version\":1,\"record_type\":\"sidecar_reading\",\"execution_lane\":\"lab\","
                        + "\"vram_profile\":\"balanced\"");
        Cli labelled = Cli.run("sidecar", "parse", "--lane", "ci", "--profile", "stress", Path.of("src", "test",
                "resources", "nvidia", "h200-idle-query-gpu.csv").toString());
        assertThat(labelled.out()).contains("\"execution_lane\":\"ci\",\"vram_profile\":\"stress\"");
        Cli wrong = Cli.run("sidecar", "parse", "--profile", "turbo", "x.csv");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.err()).contains("--profile: Unknown VramProfile 'turbo'; expected one of [safe, balanced, stress]");
    }

    @Test
    @DisplayName("sidecar parse - reads standard input as a stream: 256 MB through a JVM with a 64 MB heap")
    void sidecarParseStream(@TempDir Path dir) throws Exception {
        Process process = new ProcessBuilder(Jvm.orket(List.of("-Xmx64m"), "sidecar", "parse", "-", "--fields",
                "index,uuid,name,memory.total,memory.used"))
                .redirectOutput(dir.resolve("out.json").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        byte[] row = ("0, GPU-00000000-0000-0000-0000-000000000000, NVIDIA H200 " + "x".repeat(120)
                + ", 143771, 1\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] chunk = new byte[row.length * 512];
        for (int i = 0; i < 512; i++) {
            System.arraycopy(row, 0, chunk, i * row.length, row.length);
        }
        try (java.io.OutputStream in = process.getOutputStream()) {
            for (long written = 0; written < 256L << 20; written += chunk.length) {
                in.write(chunk);
            }
        }

        assertThat(process.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("err.txt"))).isZero();
        try (java.io.InputStream out = Files.newInputStream(dir.resolve("out.json"))) {
            assertThat(new String(out.readNBytes(200), java.nio.charset.StandardCharsets.UTF_8))
                    .startsWith("{\"schema_version\":1,\"record_type\":\"sidecar_reading\",\"execution_lane\":\"lab\","
                            + "\"vram_profile\":\"balanced\",\"sidecar_parse_status\":\"OPTIONAL_FIELD_MISSING\","
                            + "\"sidecar_parse_errors\":[\"sidecar_output_truncated\"]");
        }
    }

    @Test
    @DisplayName("sweep --dry-run prints the resolved matrix and touches nothing")
    void dryRun(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("sweep.json");
        Files.writeString(config, "{\"provider\": {\"id\": \"ollama\", \"base_url\": \"http://127.0.0.1:11434\"},"
                + " \"models\": [{\"name\": \"llama3.2\", \"quants\": [\"q4_K_M\", \"q8_0\"]}],"
                + " \"sessions\": [{\"id\": \"s\", \"prompt\": \"hi\"}], \"repetitions\": 2,"
                + " \"execution_lane\": \"lab\", \"vram_profile\": \"safe\"}");

        Cli cli = Cli.run("sweep", config.toString(), "--dry-run", "--out", dir.resolve("out").toString());

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("dry run: nothing is touched")
                .contains("llama3.2/q8_0 -> server model llama3.2:q8_0 (baseline): 1 warm-up, 2 measured")
                .contains("canary: 10 run(s) on llama3.2/q8_0");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    @DisplayName("an unknown provider id is one clear line and exit code 3, a stack trace only with --verbose")
    void unknownProvider(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("sweep.json");
        Files.writeString(config, "{\"provider\": {\"id\": \"olama\", \"base_url\": \"http://127.0.0.1:1\"},"
                + " \"models\": [{\"name\": \"m\", \"quants\": [\"Q4_K_M\"]}], \"sessions\": [{\"id\": \"s\","
                + " \"prompt\": \"hi\"}], \"execution_lane\": \"ci\", \"vram_profile\": \"safe\"}");

        Cli cli = Cli.run("sweep", config.toString(), "--out", dir.resolve("out").toString());
        Cli verbose = Cli.run("--verbose", "sweep", config.toString(), "--out", dir.resolve("out2").toString());

        assertThat(cli.exitCode()).isEqualTo(3);
        assertThat(cli.err().strip()).isEqualTo("orket: Unknown provider id 'olama'; found [llamacpp, ollama, openai]."
                + " Add orket-provider-olama to the class path or use one of the ids found.");
        assertThat(verbose.err()).contains("\tat dev.orket");
    }

    @Test
    @DisplayName("cleanup lists by default and deletes only with --apply")
    void cleanup(@TempDir Path base) throws IOException {
        Path dir = base.resolve("demo");
        assertThat(Cli.run("demo", "--out", dir.toString(), "--repetitions", "1").exitCode()).isZero();

        Cli dry = Cli.run("cleanup", dir.toString());
        assertThat(dry.out()).contains("would delete: ").contains("warmup.jsonl").contains("--apply");
        assertThat(dir.resolve("warmup.jsonl")).exists();

        Cli apply = Cli.run("cleanup", dir.toString(), "--apply");
        assertThat(apply.exitCode()).isZero();
        assertThat(dir.resolve("warmup.jsonl")).doesNotExist();
        assertThat(dir.resolve("runs.jsonl")).exists();
        assertThat(dir.resolve("sidecar")).doesNotExist();

        assertThat(Cli.run("cleanup", base.toString()).exitCode()).isEqualTo(3);
    }

    @Test
    @DisplayName("report re-aggregates a ledger, recording include_invalid in the summary")
    void report(@TempDir Path base) throws IOException {
        Path dir = base.resolve("demo");
        assertThat(Cli.run("demo", "--out", dir.toString(), "--repetitions", "1").exitCode()).isZero();

        Cli cli = Cli.run("report", dir.toString(), "--include-invalid");

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).contains("recommendation for tiny-llama: Q5_K_M");
        assertThat(Files.readString(dir.resolve("summary.json"))).contains("\"include_invalid\" : true")
                .contains("\"sweep_id\" : \"demo\"");
    }

    @Test
    @DisplayName("inventory prints the GGUF files under a directory as JSON, a header-only file as truncated")
    void inventory(@TempDir Path dir) throws IOException {
        Path headerOnly = Path.of("src", "test", "resources", "gguf");
        byte[] header = Files.readAllBytes(headerOnly.resolve("tiny-random-llama-Q4_K_M.header.gguf"));
        var h = dev.orket.core.inventory.GgufReader.read(headerOnly.resolve("tiny-random-llama-Q4_K_M.header.gguf"));
        Files.write(dir.resolve("tiny-Q4_K_M.gguf"), java.util.Arrays.copyOf(header,
                (int) (h.tensorDataOffset() + h.tensorDataBytes())));

        Cli cli = Cli.run("inventory", dir.toString(), "--sha256", "--sha256-max-bytes", "2M");
        Cli truncated = Cli.run("inventory", headerOnly.toString());

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("\"quant_tag\" : \"Q4_K_M\"").contains("\"architecture\" : \"llama\"")
                .contains("\"parameter_count\" : 2230528").contains("\"digest_status\" : \"computed\"")
                .contains("\"execution_lane\" : \"lab\",\n  \"vram_profile\" : \"balanced\"");
        assertThat(Cli.run("inventory", "--profile", "safe", dir.toString()).out()).contains("\"vram_profile\" : \"safe\"");
        assertThat(cli.err()).contains("sha256 tiny-Q4_K_M.gguf:   0% of 1,418,340 bytes")
                .contains("sha256 tiny-Q4_K_M.gguf: 100% of 1,418,340 bytes");
        assertThat(Cli.run("inventory", dir.toString(), "--sha256", "--sha256-max-bytes", "1M").out())
                .contains("\"digest_status\" : \"skipped_by_policy\"");
        assertThat(truncated.exitCode()).isZero();
        assertThat(truncated.out()).contains("\"reason\" : \"truncated\"").contains("\"models\" : [ ]");
        assertThat(Cli.run("inventory", dir.toString(), "--sha256", "--sha256-max-bytes", "lots").exitCode())
                .isEqualTo(3);
    }

    @Test
    @DisplayName("every command has --help")
    void help() {
        for (String command : new String[] {"demo", "sweep", "report", "inventory", "probe", "providers",
            "verify-profiles", "cleanup", "sidecar"}) {
            Cli cli = Cli.run(command, "--help");
            assertThat(cli.exitCode()).as(command).isZero();
            assertThat(cli.out()).as(command).contains("Usage: orket " + command);
        }
    }
}
