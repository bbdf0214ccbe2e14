package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.ApiKey;
import dev.orket.provider.llamacpp.ManagedLlamaServer;
import dev.orket.testkit.lab.LabLane;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab-cpu lane: {@code orket sweep} with a managed real llama-server per quant and an API key from
 * {@code provider.api_key_env}, in its own JVM so the variable can be set.
 */
class ManagedSweepApiKeyLabIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static LabLane.LlamaServerLab lab;

    @BeforeAll
    static void lab() {
        lab = LabLane.llamaServer(ManagedSweepApiKeyLabIT.class);
    }

    @Test
    @DisplayName("the real llama-server refuses requests without the key, and a managed sweep with the key completes"
            + " without the key reaching a command line, a log or an artifact")
    void managedSweepWithApiKey(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        String secret = "sk-orket-lab-" + Long.toHexString(System.nanoTime());
        try (ManagedLlamaServer server = ManagedLlamaServer.start(ManagedLlamaServer.options(lab.executable(),
                lab.gguf("Q8_0")).contextSize(512).threads(2).parallel(1).apiKey(ApiKey.of(secret))
                .extraArgs(List.of("--no-ui")).startupDeadline(Duration.ofSeconds(60)))) {
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/v1/models")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            assertThat(ProcessHandle.of(server.pid()).flatMap(p -> p.info().commandLine()).orElse(""))
                    .contains("--api-key-file").doesNotContain(secret);
        }

        Path config = dir.resolve("sweep.json");
        Files.writeString(config, "{\"sweep_id\": \"lab-key\", \"provider\": {\"id\": \"llamacpp\", \"base_url\":"
                + " \"http://127.0.0.1:8080\", \"api_key_env\": \"ORKET_LAB_API_KEY\"},"
                + " \"managed_server\": {\"executable\": \"" + lab.executable() + "\", \"args\": [\"--no-ui\"],"
                + " \"context_size\": 512, \"threads\": 2, \"startup_timeout_ms\": 60000},"
                + " \"models\": [{\"name\": \"tiny-random-llama\", \"quants\": [\"Q8_0\", \"Q4_K_M\"],"
                + " \"server_model_template\": \"{model}-{quant}\", \"gguf_files\": {\"Q8_0\": \"" + lab.gguf("Q8_0")
                + "\", \"Q4_K_M\": \"" + lab.gguf("Q4_K_M") + "\"}}],"
                + " \"sessions\": [{\"id\": \"fox\", \"prompt\": \"The quick brown fox\", \"max_output_tokens\": 8}],"
                + " \"repetitions\": 2, \"warmup_runs\": 1, \"canary\": {\"runs\": 0}, \"timeout_ms\": 60000,"
                + " \"execution_lane\": \"lab\", \"vram_profile\": \"safe\"}");
        Path out = dir.resolve("out");
        ProcessBuilder sweep = new ProcessBuilder(Jvm.orket(List.of(), "sweep", config.toString(), "--out",
                out.toString())).redirectErrorStream(true).redirectOutput(dir.resolve("sweep.log").toFile());
        sweep.environment().put("ORKET_LAB_API_KEY", secret);

        Process process = sweep.start();

        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(dir.resolve("sweep.log"));
        // On a busy machine a lab sweep may judge every run invalid (host contention, overhead of a tiny model): exit
        // 1 then says so in one line. This test is about the key, which the completed runs below prove.
        if (process.exitValue() != 0) {
            assertThat(process.exitValue()).as(log).isEqualTo(1);
            assertThat(log).contains("has no valid run");
        }
        List<String> states = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("runs.jsonl"))) {
            JsonNode run = MAPPER.readTree(line);
            states.add(run.get("quant_tag").asText() + " " + run.get("terminal_state").asText());
        }
        // The server answers 401 without the key: completed runs prove each request carried it.
        assertThat(states).containsExactly("Q8_0 COMPLETED", "Q8_0 COMPLETED", "Q4_K_M COMPLETED", "Q4_K_M COMPLETED");
        assertThat(log).doesNotContain(secret);
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain(secret);
            }
        }
        LabLane.printTotals("managed sweep with an API key", states.size() + 2, 2,
                Duration.ofNanos(System.nanoTime() - started));
    }
}
