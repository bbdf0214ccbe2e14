package dev.orket.provider.ollama;

import dev.orket.api.RunRequest;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.RunExecutor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Client CPU per streamed token: the provider on an Ollama NDJSON stream served as fast as possible
 * from a loopback server in another JVM, beside the floor (a bare JDK HttpClient counting the lines of
 * the same stream). Process CPU time after warm-up; medians of the measured rounds. Not a test: run
 * it by hand (see the module README).
 *
 * <p>Arguments: {@code [tokens=200000] [warmups=5] [rounds=10]}.
 */
public final class OllamaStreamBenchmark {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private OllamaStreamBenchmark() {}

    /** One measured stream. */
    private record Sample(long cpuNanos, long wallNanos, long tokens) {}

    public static void main(String[] args) throws Exception {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                BenchServer.class.getName(), String.valueOf(tokens)).redirectErrorStream(true).start();
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.US_ASCII));
            URI base = URI.create("http://127.0.0.1:" + reader.readLine().strip());
            HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (OllamaProvider provider = new OllamaProviderFactory().create(ProviderConfig.of(base))) {
                RunRequest request = RunRequest.builder("bench", "tiny-random-llama:q4_k_m", "The quick brown fox")
                        .timeout(Duration.ofSeconds(30)).build();
                RunExecutor executor = RunExecutor.builder().build();
                for (int i = 0; i < warmups; i++) {
                    floor(bare, base);
                    provider(provider, request);
                    core(executor, provider, request);
                }
                List<Sample> floor = new ArrayList<>();
                List<Sample> providerOnly = new ArrayList<>();
                List<Sample> withCore = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    floor.add(floor(bare, base));
                    providerOnly.add(provider(provider, request));
                    withCore.add(core(executor, provider, request));
                }
                System.out.printf("tokens per stream: %d, rounds: %d (after %d warm-ups), cores: %d, %s%n", tokens,
                        rounds, warmups, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
                report("floor: bare HttpClient counting lines", floor);
                report("provider: OllamaProvider.execute, counting recorder", providerOnly);
                report("provider + core TelemetryRecorder (RunExecutor)", withCore);
            }
        } finally {
            server.destroy();
        }
    }

    private static void report(String name, List<Sample> samples) {
        List<Double> perToken = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (Sample sample : samples) {
            perToken.add(sample.cpuNanos() / 1000.0 / sample.tokens());
            rates.add(sample.tokens() * 1e9 / sample.wallNanos());
        }
        Collections.sort(perToken);
        Collections.sort(rates);
        System.out.printf("%-55s CPU %.3f µs/token (min %.3f, max %.3f)   %,.0f tokens/s%n", name,
                perToken.get(perToken.size() / 2), perToken.get(0), perToken.get(perToken.size() - 1),
                rates.get(rates.size() / 2));
    }

    private static Sample floor(HttpClient client, URI base) throws Exception {
        long cpu = OS.getProcessCpuTime();
        long wall = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/generate"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"prompt\":\"p\"}")).build();
        long lines = client.send(request, info -> new LineCounter()).body();
        return new Sample(OS.getProcessCpuTime() - cpu, System.nanoTime() - wall, lines - 1);
    }

    private static Sample provider(OllamaProvider provider, RunRequest request) {
        long[] deltas = new long[1];
        RunRecorder recorder = event -> {
            if (event instanceof WireEvent.ContentDelta) {
                deltas[0]++;
            }
        };
        long cpu = OS.getProcessCpuTime();
        long wall = System.nanoTime();
        provider.execute(request, recorder);
        return new Sample(OS.getProcessCpuTime() - cpu, System.nanoTime() - wall, deltas[0]);
    }

    private static Sample core(RunExecutor executor, OllamaProvider provider, RunRequest request) {
        long cpu = OS.getProcessCpuTime();
        long wall = System.nanoTime();
        var result = executor.execute(provider, request);
        return new Sample(OS.getProcessCpuTime() - cpu, System.nanoTime() - wall,
                result.telemetry().tokenMetrics().chunkCount());
    }

    /** Counts {@code \n} bytes as the body arrives; the floor of any NDJSON client on this HttpClient. */
    private static final class LineCounter implements HttpResponse.BodySubscriber<Long> {
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private long lines;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                for (int i = buffer.position(); i < buffer.limit(); i++) {
                    if (buffer.get(i) == '\n') {
                        lines++;
                    }
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(lines);
        }

        @Override
        public CompletionStage<Long> getBody() {
            return result;
        }
    }
}
