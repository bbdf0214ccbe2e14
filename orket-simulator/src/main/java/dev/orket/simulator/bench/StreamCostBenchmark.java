package dev.orket.simulator.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.orket.api.ExecutionLane;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.spi.FactoryResolver;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.ProviderFactory;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.simulator.server.ServerDialect;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

/**
 * Client CPU and allocation per streamed token: each provider through {@link RunExecutor} (a full telemetry record
 * per run) beside the floor, a bare JDK {@code HttpClient} that only counts the lines of the same stream, in the same
 * run, rounds interleaved, against a {@link BenchServer} in another JVM (so the process's CPU is the client's).
 * Prints both figures side by side per provider, the ratio, and the bytes allocated per token. Not a test: the
 * figures depend on the machine; {@code docs/benchmarks.md} has the command and the figures measured.
 *
 * <p>Arguments: {@code [tokens=20000] [warm-ups=10] [rounds=30] [streams per round=5] [provider ids…=llamacpp ollama]}.
 * A round is that many streams back to back (the process CPU clock ticks in milliseconds, so a round must last
 * long enough to be measured); rounds of the floor and of Orket alternate. Providers are
 * found by id on the class path ({@link FactoryResolver#provider}); each runs against its dialect's stream (llamacpp:
 * {@code /completion} SSE; ollama: {@code /api/generate} NDJSON).
 *
 * @since 0.2
 */
public final class StreamCostBenchmark {

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private StreamCostBenchmark() {}

    /** One measured stream: process CPU, wall time, bytes allocated by every thread, and what was counted. */
    private record Sample(long cpuNanos, long wallNanos, long allocatedBytes, long tokens) {}

    public static void main(String[] args) throws Exception {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int streams = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        List<String> ids = args.length > 4 ? List.of(args).subList(4, args.length) : List.of("llamacpp", "ollama");
        System.out.printf(Locale.ROOT, "stream cost: %d tokens per stream, %d streams per round, %d rounds after %d"
                + " warm-up rounds, %d cores, %s %s%n", tokens, streams, rounds, warmups,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"));
        for (String id : ids) {
            ProviderFactory factory = FactoryResolver.provider(id);
            ServerDialect dialect = id.equals("ollama") ? ServerDialect.OLLAMA_GENERATE : ServerDialect.LLAMACPP_COMPLETION;
            measure(factory, dialect, tokens, warmups, rounds, streams);
        }
    }

    private static void measure(ProviderFactory factory, ServerDialect dialect, int tokens, int warmups, int rounds,
            int streams) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), BenchServer.class.getName(), dialect.name(),
                String.valueOf(tokens)).redirectErrorStream(true).start();
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.US_ASCII));
            URI base = URI.create("http://127.0.0.1:" + reader.readLine().strip());
            HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest floorRequest = HttpRequest.newBuilder(base.resolve(dialect.path()))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"prompt\":\"p\"}")).build();
            RunRequest request = RunRequest.builder("bench", "tiny-random-llama:q4_k_m", "The quick brown fox")
                    .promptStyle(dialect.promptStyle()).stream(true).maxOutputTokens(tokens)
                    .executionLane(ExecutionLane.CI).timeout(Duration.ofSeconds(120)).build();
            RunExecutor executor = RunExecutor.builder().build();
            try (InferenceProvider provider = factory.create(ProviderConfig.of(base))) {
                for (int i = 0; i < warmups; i++) {
                    floor(bare, floorRequest, tokens, streams);
                    jdkLines(bare, floorRequest, tokens, streams);
                    orket(executor, provider, request, tokens, streams);
                }
                List<Sample> floor = new ArrayList<>();
                List<Sample> orket = new ArrayList<>();
                List<Sample> providerOnly = new ArrayList<>();
                List<Sample> jdkLines = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    floor.add(floor(bare, floorRequest, tokens, streams));
                    jdkLines.add(jdkLines(bare, floorRequest, tokens, streams));
                    orket.add(orket(executor, provider, request, tokens, streams));
                    providerOnly.add(providerOnly(provider, request, tokens, streams));
                }
                String name = factory.id() + " (" + dialect.name().toLowerCase(Locale.ROOT) + ")";
                report(name, floor, orket);
                System.out.printf(Locale.ROOT, "%-34s   of which the provider on the transport, to a counting recorder"
                        + " (no telemetry): %.3f µs/token, %.0f B/token%n", "",
                        median(providerOnly, s -> s.cpuNanos() / 1000.0 / s.tokens()),
                        median(providerOnly, s -> (double) s.allocatedBytes() / s.tokens()));
                double linesCpu = median(jdkLines, s -> s.cpuNanos() / 1000.0 / s.tokens());
                System.out.printf(Locale.ROOT, "%-34s   beside the JDK's own line idiom (BodyHandlers.ofLines().count(),"
                        + " one String per line): %.3f µs/token, %.0f B/token; Orket / that %.2f%n", "", linesCpu,
                        median(jdkLines, s -> (double) s.allocatedBytes() / s.tokens()),
                        median(orket, s -> s.cpuNanos() / 1000.0 / s.tokens()) / linesCpu);
            }
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static void report(String name, List<Sample> floor, List<Sample> orket) {
        double floorCpu = median(floor, s -> s.cpuNanos() / 1000.0 / s.tokens());
        double orketCpu = median(orket, s -> s.cpuNanos() / 1000.0 / s.tokens());
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < floor.size(); i++) {
            ratios.add((double) orket.get(i).cpuNanos() / Math.max(1, floor.get(i).cpuNanos()));
        }
        Collections.sort(ratios);
        System.out.printf(Locale.ROOT, "%-34s CPU/token: floor %.3f µs, Orket %.3f µs, ratio %.2f (rounds %.2f–%.2f);"
                + " allocated/token: floor %.0f B, Orket %.0f B; tokens/s: floor %,.0f, Orket %,.0f%n", name, floorCpu,
                orketCpu, orketCpu / floorCpu, ratios.get(0), ratios.get(ratios.size() - 1),
                median(floor, s -> (double) s.allocatedBytes() / s.tokens()),
                median(orket, s -> (double) s.allocatedBytes() / s.tokens()),
                median(floor, s -> s.tokens() * 1e9 / s.wallNanos()), median(orket, s -> s.tokens() * 1e9 / s.wallNanos()));
    }

    private interface Figure {
        double of(Sample sample);
    }

    private static double median(List<Sample> samples, Figure figure) {
        List<Double> values = new ArrayList<>();
        for (Sample sample : samples) {
            values.add(figure.of(sample));
        }
        Collections.sort(values);
        return values.get(values.size() / 2);
    }

    private static long allocated() {
        long sum = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    /** Streams the same answer {@code streams} times with the bare client, which only counts its lines. */
    private static Sample floor(HttpClient client, HttpRequest request, int tokens, int streams) throws Exception {
        long cpu = OS.getProcessCpuTime();
        long bytes = allocated();
        long wall = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            long lines = client.send(request, info -> new LineCounter()).body();
            if (lines < tokens) {
                throw new IllegalStateException("the floor read " + lines + " lines of a " + tokens + "-token stream");
            }
        }
        return new Sample(OS.getProcessCpuTime() - cpu, System.nanoTime() - wall, allocated() - bytes,
                (long) tokens * streams);
    }

    /**
     * Streams the same answer {@code streams} times the way most JDK code counts lines, {@code
     * BodyHandlers.ofLines()} (each line decoded to a {@code String}): a second reference beside the byte-counting
     * floor, which is the stricter of the two.
     */
    private static Sample jdkLines(HttpClient client, HttpRequest request, int tokens, int streams) throws Exception {
        long cpu = OS.getProcessCpuTime();
        long bytes = allocated();
        long wall = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            long lines;
            try (Stream<String> body = client.send(request, HttpResponse.BodyHandlers.ofLines()).body()) {
                lines = body.count();
            }
            if (lines < tokens) {
                throw new IllegalStateException("ofLines read " + lines + " lines of a " + tokens + "-token stream");
            }
        }
        return new Sample(OS.getProcessCpuTime() - cpu, System.nanoTime() - wall, allocated() - bytes,
                (long) tokens * streams);
    }

    /** Runs the request {@code streams} times through the executor, each to a full, completed telemetry record. */
    private static Sample orket(RunExecutor executor, InferenceProvider provider, RunRequest request, int tokens,
            int streams) {
        long cpu = OS.getProcessCpuTime();
        long bytes = allocated();
        long wall = System.nanoTime();
        long chunks = 0;
        for (int i = 0; i < streams; i++) {
            RunTelemetry telemetry = executor.execute(provider, request).telemetry();
            if (!telemetry.completed() || telemetry.tokenMetrics().chunkCount() != tokens) {
                throw new IllegalStateException("the benchmark run did not complete with " + tokens + " chunks: "
                        + telemetry.outcome() + ", " + telemetry.tokenMetrics().chunkCount() + " chunks");
            }
            chunks += telemetry.tokenMetrics().chunkCount();
        }
        return new Sample(OS.getProcessCpuTime() - cpu, System.nanoTime() - wall, allocated() - bytes, chunks);
    }

    /** The provider alone, its events counted by a bare recorder: the transport and decoder without the telemetry. */
    private static Sample providerOnly(InferenceProvider provider, RunRequest request, int tokens, int streams) {
        long cpu = OS.getProcessCpuTime();
        long bytes = allocated();
        long wall = System.nanoTime();
        long[] deltas = new long[1];
        for (int i = 0; i < streams; i++) {
            provider.execute(request, event -> {
                if (event instanceof dev.orket.api.spi.WireEvent.ContentDelta) {
                    deltas[0]++;
                }
            });
        }
        if (deltas[0] != (long) tokens * streams) {
            throw new IllegalStateException("the provider reported " + deltas[0] + " deltas for " + streams + " streams of "
                    + tokens + " tokens");
        }
        return new Sample(OS.getProcessCpuTime() - cpu, System.nanoTime() - wall, allocated() - bytes, deltas[0]);
    }

    /** Counts {@code \n} bytes as the body arrives: the floor of any line-based client on this HttpClient. */
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
