package dev.orket.provider.ollama;

import static java.time.Duration.ZERO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.FailureKind;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.server.Await;
import dev.orket.simulator.server.Faults;
import dev.orket.simulator.server.RecordedRequest;
import dev.orket.simulator.server.Script;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Transport and framing failures are classified, bounded and leak nothing")
@Timeout(20)
class FailureModesTest {

    private static final String TOKEN =
            "{\"model\":\"m\",\"created_at\":\"2026-08-22T09:30:00Z\",\"response\":\"tok\",\"done\":false}\n";
    private static final String FINAL = "{\"model\":\"m\",\"created_at\":\"2026-08-22T09:30:00Z\",\"response\":\"\","
            + "\"done\":true,\"done_reason\":\"stop\",\"total_duration\":9000000,\"load_duration\":1000000,"
            + "\"prompt_eval_count\":10,\"prompt_eval_duration\":2000000,\"eval_count\":3,\"eval_duration\":3000000}\n";

    /** The head of a chunked NDJSON stream, sent at once. */
    private static Script.Builder ndjson() {
        return Script.builder(200).chunked().header("Content-Type", "application/x-ndjson").head(ZERO, Await.NOTHING);
    }

    /** A stream of one token line, then silence until the client hangs up. */
    private static Script oneTokenThenStall() {
        return ndjson().data(ZERO, TOKEN, Await.NOTHING).stall(ZERO, ScriptedInferenceServer.UNTIL_DISCONNECT).build();
    }

    @Nested
    @DisplayName("Timeouts")
    class Timeouts {

        @Test
        @DisplayName("a stream that stalls between lines fails with TIMEOUT by the idle gap in bounded time and the"
                + " connection is closed")
        void stallMidStream() throws Exception {
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
                server.enqueue(oneTokenThenStall());
                long start = System.nanoTime();
                RunResult result = Runs.run(provider, Runs.completion(true).timeout(Duration.ofSeconds(10))
                        .idleTimeout(Duration.ofMillis(300)).build());
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;

                assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.TIMEOUT);
                assertThat(result.telemetry().outcome().failureMessage()).contains("stalled");
                assertThat(result.telemetry().tokenMetrics().chunkCount()).isEqualTo(1);
                assertThat(elapsedMs).isBetween(250L, 3_000L);
                assertThat(server.awaitNoOpenConnections(Duration.ofSeconds(5))).as("connection closed by the client")
                        .isTrue();
            }
        }

        @Test
        @DisplayName("a server that never sends headers fails with TIMEOUT and the connection is closed")
        void stallBeforeHeaders() throws Exception {
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
                server.enqueue(Script.builder(200).stall(ZERO, ScriptedInferenceServer.UNTIL_DISCONNECT).build());
                long start = System.nanoTime();
                RunResult result = Runs.run(provider, Runs.completion(false).timeout(Duration.ofMillis(300)).build());
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;

                assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.TIMEOUT);
                assertThat(result.telemetry().outcome().httpStatus()).isNull();
                assertThat(elapsedMs).isBetween(250L, 3_000L);
                assertThat(server.awaitNoOpenConnections(Duration.ofSeconds(5))).as("connection closed by the client")
                        .isTrue();
            }
        }

        @Test
        @DisplayName("interrupting the calling thread cancels the run, closes the connection and keeps the flag")
        void interrupted() throws Exception {
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
                server.enqueue(oneTokenThenStall());
                RunResult[] result = new RunResult[1];
                boolean[] flagKept = new boolean[1];
                Thread runner = new Thread(() -> {
                    result[0] = Runs.run(provider, Runs.completion(true).timeout(Duration.ofSeconds(10)).build());
                    flagKept[0] = Thread.currentThread().isInterrupted();
                });
                runner.start();
                Runs.take(server);
                Thread.sleep(200);
                runner.interrupt();
                runner.join(5_000);

                assertThat(runner.isAlive()).isFalse();
                assertThat(result[0].telemetry().outcome().terminalState()).isEqualTo(TerminalState.CANCELLED);
                assertThat(flagKept[0]).as("interrupt flag restored").isTrue();
                assertThat(server.awaitNoOpenConnections(Duration.ofSeconds(5))).as("connection closed by the client")
                        .isTrue();
            }
        }

        @Test
        @DisplayName("slow lines within the idle gap are not a timeout")
        void slowButSteady() {
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
                // Without a virtual clock the server sleeps each offset in real time: a line every 150 ms.
                server.enqueue(ndjson().data(ZERO, TOKEN, Await.NOTHING).data(Duration.ofMillis(150), TOKEN, Await.NOTHING)
                        .data(Duration.ofMillis(300), TOKEN, Await.NOTHING).data(Duration.ofMillis(450), FINAL, Await.NOTHING)
                        .end(Duration.ofMillis(450), Await.NOTHING).build());
                RunResult result = Runs.run(provider, Runs.completion(true).timeout(Duration.ofSeconds(10))
                        .idleTimeout(Duration.ofMillis(400)).build());

                assertThat(result.telemetry().outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
                assertThat(result.telemetry().tokenMetrics().chunkCount()).isEqualTo(3);
            }
        }

        @Test
        @DisplayName("after timeouts and close, no provider thread stays alive")
        void noLeakedThreads() throws Exception {
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
                OllamaProvider provider = Runs.provider(server.baseUri());
                for (int i = 0; i < 3; i++) {
                    server.enqueue(oneTokenThenStall());
                    Runs.run(provider, Runs.completion(true).timeout(Duration.ofMillis(100)).build());
                }
                provider.close();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (providerThreads() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(providerThreads()).isZero();
            }
        }

        private long providerThreads() {
            return Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith("orket-ollama-"))
                    .count();
        }
    }

    @Nested
    @DisplayName("Connections")
    class Connections {

        @Test
        @DisplayName("nothing listening is CONNECTION_REFUSED, without a RequestSent")
        void refused() {
            try (OllamaProvider provider = Runs.provider(Faults.refusedConnectionUri())) {
                RunTelemetry telemetry = Runs.run(provider, Runs.completion(true).build()).telemetry();
                assertThat(telemetry.outcome().failureKind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
                assertThat(telemetry.outcome().failureMessage()).contains("is Ollama running");
                assertThat(telemetry.quality().reasons()).contains(RunQualityReason.MISSING_TOKEN_TIMINGS);
            }
        }

        @Test
        @DisplayName("a connection closed mid-stream is CONNECTION_CLOSED, keeping the chunks seen")
        void closedMidStream() {
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
                // Two lines, then a chunk header whose chunk is cut short by the close.
                server.enqueue(ndjson().data(ZERO, TOKEN, Await.NOTHING).data(ZERO, TOKEN, Await.NOTHING)
                        .raw(ZERO, "4d\r\n{\"model\"".getBytes(StandardCharsets.US_ASCII), Await.NOTHING)
                        .disconnect(ZERO, Await.NOTHING).build());
                RunResult result = Runs.run(provider, Runs.completion(true).build());
                assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.CONNECTION_CLOSED);
                assertThat(result.telemetry().tokenMetrics().chunkCount()).isEqualTo(2);
                assertThat(result.outputText()).isEqualTo("toktok");
            }
        }

        @Test
        @DisplayName("the API key travels only in the Authorization header")
        void apiKeyOnlyInHeader() throws Exception {
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
                ProviderConfig config = new ProviderConfig(server.baseUri(), dev.orket.api.ApiKey.of("s3cret"),
                        Duration.ofSeconds(2), Map.of());
                try (OllamaProvider provider = new OllamaProviderFactory().create(config)) {
                    server.enqueue(Fixture.load("generate.http").script());
                    RunResult result = Runs.run(provider, Runs.completion(false).build());
                    RecordedRequest request = Runs.take(server);
                    assertThat(request.header("Authorization")).isEqualTo("Bearer s3cret");
                    assertThat(request.target()).doesNotContain("s3cret");
                    assertThat(request.bodyUtf8()).doesNotContain("s3cret");
                    assertThat(provider.toString()).doesNotContain("s3cret");
                    assertThat(result.telemetry().toString()).doesNotContain("s3cret");
                }
            }
        }
    }

    @Nested
    @DisplayName("Framing")
    class Framing {

        @Test
        @DisplayName("a line over the bound is RESPONSE_TOO_LARGE before it is buffered")
        void lineTooLarge() {
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                    OllamaProvider provider = new OllamaProvider(ProviderConfig.of(server.baseUri()), 1024)) {
                byte[] big = new byte[4096];
                Arrays.fill(big, (byte) 'a');
                server.enqueue(ndjson().data(ZERO, TOKEN, Await.NOTHING).data(ZERO, big, Await.NOTHING)
                        .stall(ZERO, ScriptedInferenceServer.UNTIL_DISCONNECT).build());
                RunResult result = Runs.run(provider, Runs.completion(true).build());
                assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE);
                assertThat(result.telemetry().tokenMetrics().chunkCount()).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("a line of 8 MiB + 1 byte is refused with the default bound")
        void defaultBound() {
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
                byte[] big = new byte[8 * 1024 * 1024 + 1];
                Arrays.fill(big, (byte) ' ');
                server.enqueue(ndjson().data(ZERO, big, Await.NOTHING).end(ZERO, Await.NOTHING).build());
                RunResult result = Runs.run(provider, Runs.completion(true).build());
                assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE);
            }
        }

        @Test
        @DisplayName("invalid UTF-8 in a line is MALFORMED_RESPONSE")
        void invalidUtf8() {
            byte[] line = "{\"model\":\"m\",\"response\":\"\u0000\u0000\",\"done\":false}\n".getBytes(StandardCharsets.US_ASCII);
            // Invalid UTF-8 (a lead byte followed by an ASCII byte) inside the JSON string.
            line[25] = (byte) 0xC3;
            line[26] = (byte) 0x28;
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
                server.enqueue(ndjson().data(ZERO, TOKEN, Await.NOTHING).data(ZERO, line, Await.NOTHING)
                        .end(ZERO, Await.NOTHING).build());
                RunResult result = Runs.run(provider, Runs.completion(true).build());
                assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.MALFORMED_RESPONSE);
                assertThat(result.telemetry().outcome().failureMessage()).contains("line 2");
            }
        }

        @Test
        @DisplayName("CRLF line ends, several lines per chunk and a final line without newline all parse")
        void crlfAndPacking() {
            String body = TOKEN.replace("\n", "\r\n") + TOKEN + FINAL.strip();
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
                server.enqueue(Runs.body(200, "application/x-ndjson", body));
                RunResult result = Runs.run(provider, Runs.completion(true).build());
                assertThat(result.telemetry().outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
                assertThat(result.telemetry().tokenMetrics().chunkCount()).isEqualTo(2);
                assertThat(result.telemetry().tokenMetrics().outputTokens().value()).isEqualTo(3.0);
            }
        }

        @Test
        @DisplayName("an HTML page from a proxy is MALFORMED_RESPONSE, with its status")
        void htmlFromProxy() {
            String html = "<!DOCTYPE html>\n<html><body><h1>502 Bad Gateway</h1></body></html>\n";
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
                server.enqueue(Runs.body(200, "text/html", html));
                server.enqueue(Runs.body(502, "text/html", html));
                server.enqueue(Runs.body(200, "application/octet-stream", html));
                RunTelemetry ok = Runs.run(provider, Runs.completion(true).build()).telemetry();
                RunTelemetry bad = Runs.run(provider, Runs.completion(true).build()).telemetry();
                RunTelemetry untyped = Runs.run(provider, Runs.completion(false).build()).telemetry();
                assertThat(ok.outcome().failureKind()).isEqualTo(FailureKind.MALFORMED_RESPONSE);
                assertThat(bad.outcome().failureKind()).isEqualTo(FailureKind.MALFORMED_RESPONSE);
                assertThat(bad.outcome().httpStatus()).isEqualTo(502);
                assertThat(bad.outcome().failureMessage()).contains("HTML page");
                assertThat(untyped.outcome().failureKind()).isEqualTo(FailureKind.MALFORMED_RESPONSE);
            }
        }

        @Test
        @DisplayName("lines after done:true are ignored")
        void afterDone() {
            try (ScriptedInferenceServer server = ScriptedInferenceServer.start(); OllamaProvider provider = Runs.provider(server.baseUri())) {
                server.enqueue(Runs.body(200, "application/x-ndjson", TOKEN + FINAL + TOKEN + "garbage\n"));
                RunResult result = Runs.run(provider, Runs.completion(true).build());
                assertThat(result.telemetry().outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
                assertThat(result.telemetry().tokenMetrics().chunkCount()).isEqualTo(1);
            }
        }
    }
}
