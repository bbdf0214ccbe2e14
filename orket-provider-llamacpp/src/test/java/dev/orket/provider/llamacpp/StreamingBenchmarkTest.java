package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.PromptStyle;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.RunExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Client-side cost of consuming a llama-server token stream, against a loopback server that writes
 * a pre-built {@code /completion} SSE stream (one HTTP chunk per event, as llama-server does) as
 * fast as the socket takes it. Figures: tokens per second and process CPU nanoseconds per token
 * (server thread included, nothing subtracted), for the provider and for the floor, a bare JDK
 * HttpClient that only counts the stream's lines. Not a timed unit test: tagged {@code bench},
 * excluded by default. Run:
 *
 * <pre>
 * ./mvnw -q -B -pl orket-provider-llamacpp -am test -Dorket.bench.excluded=none -Dgroups=bench \
 *     -Dtest=StreamingBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true
 * </pre>
 *
 * The figures are printed to {@code target/surefire-reports/...StreamingBenchmarkTest-output.txt}.
 */
@Tag("bench")
class StreamingBenchmarkTest {

    private static final int TOKENS = Integer.getInteger("orket.bench.tokens", 200_000);
    private static final int WARMUP = Integer.getInteger("orket.bench.warmup", 3);
    private static final int ROUNDS = Integer.getInteger("orket.bench.rounds", 5);

    @Test
    @DisplayName("provider and floor: tokens per second and CPU per token")
    void bench() throws Exception {
        byte[] response = buildResponse(TOKENS);
        try (RawServer server = new RawServer()) {
            server.otherwise((request, out, in) -> out.write(response));
            RunRequest request = RunRequest.builder("bench", "tiny", "The quick brown fox")
                    .promptStyle(PromptStyle.COMPLETION).stream(true).timeout(Duration.ofSeconds(60)).build();
            HttpClient floorClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest floorRequest = HttpRequest.newBuilder(server.baseUrl().resolve("/completion"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            try (LlamaCppProvider provider = Runs.provider(server.baseUrl())) {
                Measure providerBare = () -> {
                    AtomicLong tokens = new AtomicLong();
                    provider.execute(request, event -> {
                        if (event instanceof WireEvent.ContentDelta) {
                            tokens.incrementAndGet();
                        }
                    });
                    return tokens.get();
                };
                RunExecutor executor = RunExecutor.builder().build();
                Measure providerWithCore = () -> executor.execute(provider, request).telemetry().tokenMetrics()
                        .chunkCount();
                Measure floor = () -> {
                    HttpResponse<Stream<String>> r = floorClient.send(floorRequest, HttpResponse.BodyHandlers.ofLines());
                    try (Stream<String> lines = r.body()) {
                        return lines.filter(line -> line.startsWith("data: ")).count();
                    }
                };
                report("floor (JDK HttpClient, BodyHandlers.ofLines, counts data lines)", floor, TOKENS + 1);
                report("provider (LlamaCppProvider.execute, counting recorder)", providerBare, TOKENS);
                report("provider + core (RunExecutor, TelemetryRecorder)", providerWithCore, TOKENS);
            }
        }
    }

    @FunctionalInterface
    interface Measure {
        long run() throws Exception;
    }

    private static void report(String name, Measure measure, long expectedPerRound) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            assertThat(measure.run()).isEqualTo(expectedPerRound);
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double bestWallNs = Double.MAX_VALUE;
        double bestCpuNs = Double.MAX_VALUE;
        long totalCpu = 0;
        long totalWall = 0;
        for (int i = 0; i < ROUNDS; i++) {
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            long n = measure.run();
            long wall = System.nanoTime() - wall0;
            long cpu = os.getProcessCpuTime() - cpu0;
            assertThat(n).isEqualTo(expectedPerRound);
            totalCpu += cpu;
            totalWall += wall;
            bestWallNs = Math.min(bestWallNs, (double) wall / TOKENS);
            bestCpuNs = Math.min(bestCpuNs, (double) cpu / TOKENS);
        }
        double meanCpuUs = totalCpu / 1000.0 / ROUNDS / TOKENS;
        double tokensPerSecond = (double) TOKENS * ROUNDS / (totalWall / 1e9);
        System.out.printf(Locale.ROOT, "%-70s %,12.0f tokens/s  CPU %.3f us/token (best round %.3f us, wall %.3f us)%n",
                name, tokensPerSecond, meanCpuUs, bestCpuNs / 1000, bestWallNs / 1000);
    }

    /** A 200-status chunked SSE response with the given number of one-token events and a final event. */
    static byte[] buildResponse(int tokens) throws IOException {
        String[] pieces = {"ight", "io", "  ", "ate", " no", " }", " Al", "isch", "to", "_{", "//", "('", " of", " using"};
        ByteArrayOutputStream out = new ByteArrayOutputStream(tokens * 130);
        out.write(RawServer.sseHead());
        for (int i = 0; i < tokens; i++) {
            String event = "data: {\"index\":0,\"content\":\"" + pieces[i % pieces.length] + "\",\"tokens\":[" + (300 + i % 700)
                    + "],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":" + (i + 1) + ",\"tokens_evaluated\":10}\n\n";
            out.write(RawServer.chunk(event));
        }
        out.write(RawServer.chunk("data: {\"index\":0,\"content\":\"\",\"tokens\":[],\"id_slot\":0,\"stop\":true,"
                + "\"model\":\"tiny\",\"tokens_predicted\":" + tokens + ",\"tokens_evaluated\":10,\"truncated\":false,"
                + "\"stop_type\":\"limit\",\"timings\":{\"cache_n\":0,\"prompt_n\":10,\"prompt_ms\":1.0,\"predicted_n\":"
                + tokens + ",\"predicted_ms\":1000.0}}\n\n"));
        out.write(RawServer.lastChunk());
        return out.toByteArray();
    }
}
