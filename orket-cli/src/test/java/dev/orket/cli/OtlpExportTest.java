package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("--otlp-endpoint")
class OtlpExportTest {

    @Test
    @DisplayName("orket demo exports its runs to a collector and has flushed everything when the command returns")
    void demoExports(@TempDir Path dir) throws IOException {
        Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> bytes = new ConcurrentHashMap<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            posts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            bytes.computeIfAbsent(path, p -> new AtomicInteger()).addAndGet(body.length);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            Cli cli = Cli.run("demo", "--out", dir.resolve("demo").toString(), "--repetitions", "1",
                    "--otlp-endpoint", "http://127.0.0.1:" + collector.getAddress().getPort());

            assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
            assertThat(posts).containsKeys("/v1/traces", "/v1/metrics");
            // 7 quants x (1 warm-up + 2 sessions) + 3 canary runs as spans: a few kilobytes at least.
            assertThat(bytes.get("/v1/traces").get()).isGreaterThan(2_000);
            assertThat(bytes.get("/v1/metrics").get()).isGreaterThan(500);
        } finally {
            collector.stop(0);
        }
    }

    @Test
    @DisplayName("sweep refuses a bad --otlp-endpoint with exit 3 before a dry run returns or a directory is made")
    void badEndpointCheckedFirst(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("sweep.json");
        java.nio.file.Files.writeString(config, "{\"provider\": {\"id\": \"llamacpp\", \"base_url\":"
                + " \"http://127.0.0.1:1\"}, \"models\": [{\"name\": \"m\", \"quants\": [\"Q4_K_M\"]}],"
                + " \"sessions\": [{\"id\": \"s\", \"prompt\": \"hi\"}], \"execution_lane\": \"ci\","
                + " \"vram_profile\": \"safe\"}");
        String refused = "orket: OTLP endpoint 'localhost:<opaque>' is not an absolute http(s) URL with a host";

        Cli dryRun = Cli.run("sweep", config.toString(), "--dry-run", "--out", dir.resolve("dry").toString(),
                "--otlp-endpoint", "localhost:4318");
        Cli run = Cli.run("sweep", config.toString(), "--out", dir.resolve("out").toString(), "--otlp-endpoint",
                "localhost:4318");

        assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isEqualTo(3);
        assertThat(dryRun.err()).startsWith(refused);
        assertThat(dryRun.out()).isEmpty();
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
        assertThat(run.err()).startsWith(refused);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    @DisplayName("demo refuses a bad --otlp-endpoint with exit 3 before its output directory is made")
    void demoBadEndpointCheckedFirst(@TempDir Path dir) {
        Cli run = Cli.run("demo", "--out", dir.resolve("out").toString(), "--otlp-endpoint", "localhost:4318");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
        assertThat(run.err()).startsWith("orket: OTLP endpoint 'localhost:<opaque>' is not an absolute http(s) URL"
                + " with a host");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    @DisplayName("a collector that cannot be reached costs one warning, never a run")
    void unreachableCollector(@TempDir Path dir) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        // Logs (SLF4J simple, java.util.logging) go to the process's standard error, not the command's writer.
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        Cli cli;
        try {
            System.setErr(new java.io.PrintStream(logs, true, java.nio.charset.StandardCharsets.UTF_8));
            cli = Cli.run("demo", "--out", dir.resolve("demo").toString(), "--repetitions", "1", "--otlp-endpoint",
                    "http://127.0.0.1:" + port);
        } finally {
            System.setErr(original);
        }

        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("the sweep recommends Q5_K_M: match");
        String logged = logs.toString(java.nio.charset.StandardCharsets.UTF_8);
        List<String> warnings = logged.lines().filter(l -> l.contains("OpenTelemetry export")).toList();
        assertThat(warnings).as(logged).hasSize(1);
        assertThat(logged).doesNotContain("SEVERE").doesNotContain("\tat io.opentelemetry");
    }
}
