package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orket.api.ApiKey;
import dev.orket.api.FailureKind;
import dev.orket.api.PromptStyle;
import dev.orket.api.Readiness;
import dev.orket.api.TerminalState;
import dev.orket.core.telemetry.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle of a managed server, with a stand-in {@code llama-server}: a bash script that execs a
 * tiny Python HTTP server answering /health, /props and /completion in the mode the test sets.
 */
class ManagedLlamaServerTest {

    private static final String STAND_IN = String.join("\n",
            "import os, sys, time, json, http.server, socketserver",
            "args = sys.argv[1:]",
            "def arg(name, default=None):",
            "    return args[args.index(name) + 1] if name in args else default",
            "mode = os.environ.get('STANDIN_MODE', 'healthy')",
            "pidfile = os.environ.get('STANDIN_PIDFILE')",
            "if pidfile:",
            "    open(pidfile, 'w').write(str(os.getpid()))",
            "print('stand-in llama-server args: ' + ' '.join(args), file=sys.stderr, flush=True)",
            "if mode == 'exit':",
            "    print('error: failed to load model', file=sys.stderr, flush=True)",
            "    sys.exit(2)",
            "started = time.time()",
            "class H(http.server.BaseHTTPRequestHandler):",
            "    protocol_version = 'HTTP/1.1'",
            "    def log_message(self, *a):",
            "        print('request ' + self.requestline, file=sys.stderr, flush=True)",
            "    def send_json(self, status, obj):",
            "        body = json.dumps(obj).encode()",
            "        self.send_response(status)",
            "        self.send_header('Content-Type', 'application/json')",
            "        self.send_header('Content-Length', str(len(body)))",
            "        self.send_header('Connection', 'close')",
            "        self.end_headers()",
            "        self.wfile.write(body)",
            "    def do_GET(self):",
            "        loading = mode == 'never' or time.time() - started < 0.3",
            "        if loading:",
            "            self.send_json(503, {'error': {'message': 'Loading model', 'type': 'unavailable_error', 'code': 503}})",
            "        elif self.path == '/health':",
            "            self.send_json(200, {'status': 'ok'})",
            "        elif self.path == '/props':",
            "            self.send_json(200, {'build_info': 'b1-standin', 'model_path': arg('-m'),",
            "                'default_generation_settings': {'n_ctx': int(arg('-c', '4096'))}, 'total_slots': 1})",
            "        else:",
            "            self.send_json(404, {'error': {'message': 'File Not Found', 'type': 'not_found_error', 'code': 404}})",
            "    def do_POST(self):",
            "        self.rfile.read(int(self.headers.get('Content-Length', '0')))",
            "        self.send_response(200)",
            "        self.send_header('Content-Type', 'text/event-stream')",
            "        self.send_header('Transfer-Encoding', 'chunked')",
            "        self.end_headers()",
            "        for i in range(2):",
            "            data = b'data: {\"content\":\"x\",\"tokens\":[1],\"stop\":false}\\n\\n'",
            "            self.wfile.write(b'%x\\r\\n%s\\r\\n' % (len(data), data))",
            "            self.wfile.flush()",
            "        if mode == 'die':",
            "            print('GGML_ASSERT: simulated crash mid-stream', file=sys.stderr, flush=True)",
            "            os._exit(134)",
            "        data = b'data: {\"content\":\"\",\"tokens\":[],\"stop\":true,\"stop_type\":\"limit\",' \\",
            "            b'\"timings\":{\"cache_n\":0,\"prompt_n\":4,\"prompt_ms\":1.0,\"predicted_n\":2,\"predicted_ms\":2.0}}\\n\\n'",
            "        self.wfile.write(b'%x\\r\\n%s\\r\\n0\\r\\n\\r\\n' % (len(data), data))",
            "        self.wfile.flush()",
            "class S(socketserver.ThreadingMixIn, http.server.HTTPServer):",
            "    daemon_threads = True",
            "    allow_reuse_address = True",
            "S((arg('--host'), int(arg('--port'))), H).serve_forever()",
            "");

    @TempDir
    static Path dir;

    private static Path executable;

    @BeforeAll
    static void writeStandIn() throws IOException, InterruptedException {
        Process check = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
        assumeTrue(check.waitFor() == 0, "python3 is needed for the stand-in llama-server");
        Path script = dir.resolve("standin.py");
        Files.writeString(script, STAND_IN, StandardCharsets.UTF_8);
        executable = dir.resolve("llama-server");
        Files.writeString(executable, "#!/usr/bin/env bash\nexec python3 '" + script + "' \"$@\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwx------"));
    }

    private static ManagedLlamaServer.Options options(String mode, Path model) {
        return ManagedLlamaServer.options(executable, model).contextSize(512).threads(2).seed(42L).gpuLayers(0)
                .parallel(1).extraArgs(List.of("--no-ui")).environment(Map.of("STANDIN_MODE", mode))
                .startupDeadline(Duration.ofSeconds(15)).stopGrace(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50));
    }

    private static Path model(String name) throws IOException {
        Path model = dir.resolve(name);
        if (!Files.exists(model)) {
            Files.write(model, new byte[] {'G', 'G', 'U', 'F'});
        }
        return model;
    }

    @Test
    @DisplayName("a server started while the JVM shuts down (a signal during a cell's start) is stopped at once, not"
            + " left running after Orket exits")
    void startDuringShutdown() throws Exception {
        Path pidFile = dir.resolve("shutdown-start.pid");
        Path wrapper = dir.resolve("llama-server-writing-its-pid");
        // The pid is written before exec, so it is the stand-in's own whatever becomes of the start.
        Files.writeString(wrapper, "#!/usr/bin/env bash\necho $$ > '" + pidFile + "'\nexport STANDIN_MODE=never\n"
                + "exec '" + executable + "' \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), StartDuringShutdown.class.getName(), wrapper.toString(),
                model("tiny-random-llama-Q8_0.gguf").toString()).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(jvm.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(output).contains("refused: the JVM is shutting down, so llama-server for "
                + model("tiny-random-llama-Q8_0.gguf") + " was stopped as soon as it started");
        // Without the stop, the stand-in (never healthy, serving forever) writes its pid and outlives the JVM.
        Thread.sleep(1000);
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            java.util.Optional<ProcessHandle> left = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            left.ifPresent(ProcessHandle::destroyForcibly);
            assertThat(left).as("stand-in pid " + pid + " after the JVM exited").isEmpty();
        }
    }

    @Test
    @DisplayName("starts on 127.0.0.1 at a free port, waits for /health 200, serves runs, and stops on close")
    void lifecycle() throws Exception {
        ManagedLlamaServer server;
        try (ManagedLlamaServer managed = ManagedLlamaServer.start(
                options("healthy", model("tiny-random-llama-Q4_K_M.gguf")).apiKey(ApiKey.of("sk-not-in-argv")))) {
            server = managed;
            assertThat(managed.isAlive()).isTrue();
            assertThat(managed.baseUrl().toString()).isEqualTo("http://127.0.0.1:" + managed.port());
            assertThat(managed.quantTag()).isEqualTo("Q4_K_M");
            assertThat(managed.command()).containsSubsequence("-m", model("tiny-random-llama-Q4_K_M.gguf").toString())
                    .containsSubsequence("--host", "127.0.0.1").containsSubsequence("--port",
                            Integer.toString(managed.port()))
                    .containsSubsequence("-c", "512").containsSubsequence("-t", "2").containsSubsequence("-ngl", "0")
                    .containsSubsequence("--seed", "42").containsSubsequence("-np", "1").contains("--api-key-file")
                    .endsWith("--no-ui");
            assertThat(String.join(" ", managed.command())).doesNotContain("sk-not-in-argv");
            try (LlamaCppProvider provider = managed.provider()) {
                assertThat(provider.probe("tiny")).isEqualTo(Readiness.readyNow());
                assertThat(provider.props().contextSize()).isEqualTo(512);
                RunResult result = Runs.execute(provider, Runs.request(PromptStyle.COMPLETION, true));
                assertThat(result.telemetry().outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
                assertThat(result.telemetry().tokenMetrics().outputTokens().value()).isEqualTo(2.0);
            }
        }
        assertThat(server.isAlive()).isFalse();
        assertThat(ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(server.stderrTail()).contains("stand-in llama-server args:").contains("request GET /health");
        server.close();
    }

    @Test
    @DisplayName("an affinity pins the server with taskset, read back from the running process; its controls say so")
    void affinity() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/status")),
                "CPU sets are read back from Linux /proc");
        try (ManagedLlamaServer managed = ManagedLlamaServer.start(options("healthy", model("tiny-Q8_0.gguf"))
                .cpuAffinity("0"))) {
            assertThat(managed.command().subList(1, 3)).containsExactly("-c", "0");
            assertThat(Path.of(managed.command().get(0)).getFileName().toString()).isEqualTo("taskset");
            assertThat(managed.affinity()).isEqualTo(new ManagedLlamaServer.Affinity("0", "0", null));
            assertThat(managed.threads()).isEqualTo(2);
            assertThat(managed.contextSize()).isEqualTo(512);
            var controls = managed.startControls(2, 1024, "0");
            assertThat(controls.get(dev.orket.api.ExperimentalControl.THREADS)).isEqualTo(
                    dev.orket.api.ControlApplication.applied(2, "managed llama-server started with -t 2"));
            assertThat(controls.get(dev.orket.api.ExperimentalControl.CONTEXT_SIZE)).isEqualTo(
                    dev.orket.api.ControlApplication.notApplied(1024, "managed llama-server started with -c 512"));
            assertThat(controls.get(dev.orket.api.ExperimentalControl.AFFINITY)).isEqualTo(
                    dev.orket.api.ControlApplication.applied("0", "pinned with taskset -c 0; the server runs on CPUs 0"));
        }
        try (ManagedLlamaServer unpinned = ManagedLlamaServer.start(options("healthy", model("tiny-Q8_0.gguf"))
                .cpuAffinity("0").taskset(dir.resolve("no-such-taskset")))) {
            assertThat(unpinned.affinity().problem()).startsWith("taskset was not found (")
                    .endsWith("so the server could not be pinned to CPUs 0 (install util-linux)");
            assertThat(unpinned.command().get(0)).isEqualTo(executable.toString());
            assertThat(unpinned.startControls(null, null, "compact").get(dev.orket.api.ExperimentalControl.AFFINITY)
                    .status()).isEqualTo(dev.orket.api.ControlStatus.NOT_APPLIED);
        }
        try (ManagedLlamaServer none = ManagedLlamaServer.start(options("healthy", model("tiny-Q8_0.gguf")))) {
            assertThat(none.affinity()).isNull();
        }
    }

    @Test
    @DisplayName("the provider applies seed and temperature per request; threads and context only a start can set")
    void declaredControls() {
        try (LlamaCppProvider provider = new LlamaCppProviderFactory().create(
                dev.orket.api.spi.ProviderConfig.of(java.net.URI.create("http://127.0.0.1:9")))) {
            var controls = provider.controlsFor(Runs.request(PromptStyle.COMPLETION, true).toBuilder().seed(7L)
                    .temperature(0.5).threads(4).contextSize(null).build());
            assertThat(controls.get(dev.orket.api.ExperimentalControl.SEED))
                    .isEqualTo(dev.orket.api.ControlApplication.applied(7L, "sent as seed in the request body"));
            assertThat(controls.get(dev.orket.api.ExperimentalControl.THREADS).status())
                    .isEqualTo(dev.orket.api.ControlStatus.NOT_APPLIED);
            assertThat(controls.get(dev.orket.api.ExperimentalControl.THREADS).detail())
                    .startsWith("llama-server takes threads only at start (-t)");
            assertThat(controls.get(dev.orket.api.ExperimentalControl.CONTEXT_SIZE).status())
                    .isEqualTo(dev.orket.api.ControlStatus.NOT_APPLICABLE);
        }
    }

    @Test
    @DisplayName("a server that never becomes healthy is killed at the deadline with a clear error")
    void neverHealthy() throws Exception {
        Path pidFile = dir.resolve("never.pid");
        long start = System.nanoTime();
        assertThatThrownBy(() -> ManagedLlamaServer.start(options("never", model("m-Q8_0.gguf"))
                .environment(Map.of("STANDIN_MODE", "never", "STANDIN_PIDFILE", pidFile.toString()))
                .startupDeadline(Duration.ofMillis(1500))))
                .isInstanceOf(ServerStartException.class)
                .hasMessageContaining("was not healthy within 1500 ms")
                .hasMessageContaining("last /health status: 503")
                .satisfies(e -> assertThat(((ServerStartException) e).outputTail())
                        .contains("stand-in llama-server args:"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("stand-in killed").isFalse();
    }

    @Test
    @DisplayName("a server that exits at start is reported with its exit code and output")
    void exitsAtStart() throws Exception {
        assertThatThrownBy(() -> ManagedLlamaServer.start(options("exit", model("m-Q6_K.gguf"))))
                .isInstanceOf(ServerStartException.class).hasMessageContaining("exited with code 2")
                .hasMessageContaining("error: failed to load model");
        assertThatThrownBy(() -> ManagedLlamaServer.start(ManagedLlamaServer.options(dir.resolve("missing"),
                model("m-Q6_K.gguf")))).isInstanceOf(ServerStartException.class).hasMessageContaining("could not start");
    }

    @Test
    @DisplayName("a server that dies mid-run fails the run with CONNECTION_CLOSED and keeps its output tail")
    void diesMidRun() throws Exception {
        try (ManagedLlamaServer server = ManagedLlamaServer.start(options("die", model("m-Q5_0.gguf")));
                LlamaCppProvider provider = server.provider()) {
            RunResult result = Runs.execute(provider, Runs.request(PromptStyle.COMPLETION, true));
            assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.CONNECTION_CLOSED);
            assertThat(result.telemetry().tokenMetrics().chunkCount()).isEqualTo(2);
            assertThat(server.waitForExit(Duration.ofSeconds(5))).isTrue();
            assertThat(server.isAlive()).isFalse();
            assertThat(server.stderrTail()).contains("GGML_ASSERT: simulated crash mid-stream");
        }
    }

    @Test
    @DisplayName("a quant sweep restarts the server per GGUF file and records a start failure as data")
    void quantSweep() throws Exception {
        List<Path> models = List.of(model("tiny-random-llama-Q4_K_M.gguf"), model("tiny-random-llama-IQ4_XS.gguf"));
        List<QuantSweep.Cell<ServerProps>> cells = QuantSweep.run(options("healthy", models.get(0)), models, server -> {
            try (LlamaCppProvider provider = server.provider()) {
                return provider.props();
            }
        });
        assertThat(cells).extracting(QuantSweep.Cell::quantTag).containsExactly("Q4_K_M", "IQ4_XS");
        assertThat(cells).extracting(c -> c.result().quantTag()).containsExactly("Q4_K_M", "IQ4_XS");
        // The stand-in logs a request after answering it, so a server stopped right after /props may not have
        // logged it yet: check the tail holds what it printed at start, which precedes any request.
        assertThat(cells).allSatisfy(c -> assertThat(c.outputTail()).contains("stand-in llama-server args: -m "));

        List<QuantSweep.Cell<String>> failed = QuantSweep.run(options("exit", models.get(0)), models.subList(0, 1),
                server -> "unreachable");
        assertThat(failed.get(0).result()).isNull();
        assertThat(failed.get(0).startFailure()).contains("exited with code 2");
    }

    @Test
    @DisplayName("extra arguments may not move the server off loopback")
    void hostIsFixed() {
        assertThatThrownBy(() -> ManagedLlamaServer.options(Path.of("x"), Path.of("y"))
                .extraArgs(List.of("--host", "0.0.0.0"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("127.0.0.1");
    }
}
