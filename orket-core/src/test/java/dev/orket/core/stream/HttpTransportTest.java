package dev.orket.core.stream;

import dev.orket.core.host.MeasuredServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.FailureKind;
import dev.orket.api.Provenance;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.TerminalState;
import dev.orket.api.UnavailableReason;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.RunCancellation;
import dev.orket.core.telemetry.RunExecutor;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The streaming transport")
class HttpTransportTest {

    private final List<WireEvent> events = new CopyOnWriteArrayList<>();
    private final RunExecutor executor = RunExecutor.builder()
            .listener((event, nanos, state) -> events.add(event)).build();

    private static RunRequest request(String id, Duration timeout) {
        return RunRequest.builder(id, "m", "p").stream(true).timeout(timeout).build();
    }

    private static WireServer.Answer tokens(boolean keepAlive, String... lines) {
        return out -> {
            byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                    + (keepAlive ? "" : "Connection: close\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII);
            out.write(head);
            for (String line : lines) {
                out.write(WireServer.chunk(line + "\n"));
            }
            out.write(WireServer.LAST_CHUNK);
            out.flush();
            return keepAlive;
        };
    }

    /** Runs one request with the recording executor; {@link #events} then holds this run's events only. */
    private RunTelemetry run(LineProvider provider, RunRequest request) {
        events.clear();
        return executor.execute(provider, request).telemetry();
    }

    @Test
    @DisplayName("measures the connect of a new connection, and reports a reused one as such with no connect time")
    void connectTimeNewAndReused() throws Exception {
        try (WireServer server = new WireServer(); LineProvider provider = new LineProvider(ProviderConfig.of(server.base()))) {
            server.enqueue(tokens(true, "a", "b", "DONE"));
            server.enqueue(tokens(true, "c", "DONE"));
            RunTelemetry first = run(provider, request("first", Duration.ofSeconds(5)));
            assertThat(events).startsWith(new WireEvent.ConnectStarted(), new WireEvent.Connected(),
                    new WireEvent.RequestSent(), new WireEvent.ResponseStarted(200));
            assertThat(first.tokenMetrics().clientConnectMs().provenance()).isEqualTo(Provenance.CLIENT_MEASURED);
            assertThat(first.tokenMetrics().clientConnectMs().require()).isGreaterThanOrEqualTo(0.0);

            RunTelemetry second = run(provider, request("second", Duration.ofSeconds(5)));
            assertThat(events).startsWith(new WireEvent.ConnectionReused(), new WireEvent.RequestSent());
            assertThat(second.tokenMetrics().clientConnectMs().unavailableReason())
                    .isEqualTo(UnavailableReason.CONNECTION_REUSED);
            assertThat(second.completed()).isTrue();
            assertThat(server.connections()).as("the second run really reused the connection").isEqualTo(1);
            assertThat(server.requests()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("every measured request carries its run id in X-Orket-Run-Id, percent-encoded outside printable ASCII")
    void runIdHeader() throws Exception {
        try (WireServer server = new WireServer(); LineProvider provider = new LineProvider(ProviderConfig.of(server.base()))) {
            server.enqueue(tokens(true, "a", "DONE"));
            server.enqueue(tokens(true, "a", "DONE"));
            run(provider, request("tiny/Q8_0@512/s1/r2", Duration.ofSeconds(5)));
            run(provider, request("modèle 7/%", Duration.ofSeconds(5)));

            assertThat(server.heads()).hasSize(2);
            assertThat(server.heads().get(0)).contains("\r\nX-Orket-Run-Id: tiny/Q8_0@512/s1/r2\r\n");
            assertThat(server.heads().get(1)).contains("\r\nX-Orket-Run-Id: mod%C3%A8le%207/%25\r\n");
        }
        assertThat(HttpTransport.runIdHeaderValue("a/b@1/c/r1")).isEqualTo("a/b@1/c/r1");
    }

    @Test
    @DisplayName("a server that closes every connection gives every run its own measured connect")
    void connectionClose() throws Exception {
        try (WireServer server = new WireServer(); LineProvider provider = new LineProvider(ProviderConfig.of(server.base()))) {
            for (int i = 0; i < 3; i++) {
                server.enqueue(tokens(false, "a", "DONE"));
                RunTelemetry t = run(provider, request("close-" + i, Duration.ofSeconds(5)));
                assertThat(t.completed()).isTrue();
                assertThat(t.tokenMetrics().clientConnectMs().isPresent()).as("run " + i).isTrue();
            }
            assertThat(server.connections()).isEqualTo(3);
        }
    }

    @Test
    @DisplayName("after a refused connection the next run certainly connects and measures it; after a body cut short"
            + " it reports reuse, since the client might have parked a connection whose body ended as it was cut")
    void afterFailures() throws Exception {
        try (WireServer server = new WireServer(); LineProvider provider = new LineProvider(ProviderConfig.of(server.base()))) {
            server.enqueue(out -> {
                out.write(WireServer.chunkedHead("text/plain"));
                out.write(WireServer.chunk("a\n"));
                out.flush();
                Thread.sleep(2000);
                return false;
            });
            server.enqueue(tokens(true, "b", "DONE"));
            server.enqueue(out -> false);
            server.enqueue(tokens(true, "c", "DONE"));
            RunTelemetry stalled = run(provider, request("stalled", Duration.ofMillis(300)));
            assertThat(stalled.outcome().failureKind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(stalled.tokenMetrics().chunkCount()).isEqualTo(1);
            RunTelemetry next = run(provider, request("next", Duration.ofSeconds(5)));
            assertThat(next.completed()).isTrue();
            assertThat(events).first().isEqualTo(new WireEvent.ConnectionReused());
            assertThat(next.tokenMetrics().clientConnectMs().unavailableReason())
                    .isEqualTo(UnavailableReason.CONNECTION_REUSED);
            assertThat(server.connections()).as("the stalled connection was closed: the next run opened another")
                    .isEqualTo(2);

            RunTelemetry dropped = run(provider, request("dropped", Duration.ofSeconds(5)));
            assertThat(dropped.outcome().failureKind()).isEqualTo(FailureKind.CONNECTION_CLOSED);
            RunTelemetry after = run(provider, request("after", Duration.ofSeconds(5)));
            assertThat(after.completed()).isTrue();
            assertThat(events).first().isEqualTo(new WireEvent.ConnectStarted());
            assertThat(after.tokenMetrics().clientConnectMs().isPresent()).isTrue();
        }
    }

    @Test
    @DisplayName("the whole-run deadline ends a stream that never falls silent; the idle gap ends one that does")
    void deadlineAndIdleGap() throws Exception {
        try (WireServer server = new WireServer(); LineProvider provider = new LineProvider(ProviderConfig.of(server.base()))) {
            server.enqueue(out -> {
                out.write(WireServer.chunkedHead("text/plain"));
                for (int i = 0; i < 100; i++) {
                    out.write(WireServer.chunk(i % 2 == 0 ? "t\n" : "\n"));
                    out.flush();
                    Thread.sleep(20);
                }
                return false;
            });
            long started = System.nanoTime();
            RunTelemetry drip = run(provider, request("drip", Duration.ofMillis(250)));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
            assertThat(drip.outcome().failureKind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(drip.outcome().failureMessage()).contains("whole-run deadline of 250 ms")
                    .contains("output tokens");
            assertThat(drip.tokenMetrics().chunkCount()).isPositive();

            server.enqueue(out -> {
                out.write(WireServer.chunkedHead("text/plain"));
                out.write(WireServer.chunk("t\n"));
                out.flush();
                Thread.sleep(3000);
                return false;
            });
            started = System.nanoTime();
            RunTelemetry silent = run(provider, request("silent", Duration.ofSeconds(10)).toBuilder()
                    .idleTimeout(Duration.ofMillis(200)).build());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
            assertThat(silent.outcome().failureMessage()).contains("nothing arrived for 200 ms (the idle gap)");
            assertThat(silent.tokenMetrics().chunkCount()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("output past the token ceiling ends the run RESPONSE_TOO_LARGE with the crossing chunk counted")
    void tokenCeiling() throws Exception {
        String[] lines = new String[100];
        java.util.Arrays.fill(lines, "t");
        try (WireServer server = new WireServer(); LineProvider provider = new LineProvider(ProviderConfig.of(server.base()))) {
            server.enqueue(tokens(false, lines));
            RunTelemetry t = run(provider, request("endless", Duration.ofSeconds(5)).toBuilder()
                    .maxOutputTokens(16).build());
            assertThat(t.outcome().failureKind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE);
            assertThat(t.outcome().failureMessage()).contains("33 output tokens", "max_output_tokens 16", "ceiling 32");
            assertThat(t.tokenMetrics().chunkCount()).isEqualTo(33);
        }
    }

    @Test
    @DisplayName("cancelling mid-stream ends the run CANCELLED with the reason, at once, leaving no interrupt")
    void cancellation() throws Exception {
        CountDownLatch firstToken = new CountDownLatch(1);
        RunExecutor watching = RunExecutor.builder().listener((event, nanos, state) -> {
            if (event instanceof WireEvent.ContentDelta) {
                firstToken.countDown();
            }
        }).build();
        try (WireServer server = new WireServer(); LineProvider provider = new LineProvider(ProviderConfig.of(server.base()))) {
            server.enqueue(out -> {
                out.write(WireServer.chunkedHead("text/plain"));
                out.write(WireServer.chunk("t\n"));
                out.flush();
                Thread.sleep(5000);
                return false;
            });
            RunCancellation cancellation = new RunCancellation();
            CompletableFuture.runAsync(() -> {
                try {
                    firstToken.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                cancellation.cancel("stop now");
            });
            long started = System.nanoTime();
            RunTelemetry t = watching.execute(provider, request("cancel", Duration.ofSeconds(30)), MeasuredServer.UNKNOWN, Map.of(),
                    cancellation).telemetry();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(t.outcome().terminalState()).isEqualTo(TerminalState.CANCELLED);
            assertThat(t.outcome().failureMessage()).isEqualTo("stop now");
            assertThat(t.tokenMetrics().chunkCount()).isEqualTo(1);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    @Test
    @DisplayName("a run cancelled before it starts sends nothing")
    void cancelledBeforeStart() throws Exception {
        try (WireServer server = new WireServer(); LineProvider provider = new LineProvider(ProviderConfig.of(server.base()))) {
            RunCancellation cancellation = new RunCancellation();
            cancellation.cancel("never mind");
            RunTelemetry t = executor.execute(provider, request("early", Duration.ofSeconds(5)), MeasuredServer.UNKNOWN, Map.of(),
                    cancellation).telemetry();
            assertThat(t.outcome().terminalState()).isEqualTo(TerminalState.CANCELLED);
            assertThat(t.outcome().failureMessage()).isEqualTo("never mind");
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    @DisplayName("an HTML page is MALFORMED_RESPONSE, an empty error body takes the status's baseline kind, the"
            + " decoder refines the rest")
    void errors() throws Exception {
        try (WireServer server = new WireServer(); LineProvider provider = new LineProvider(ProviderConfig.of(server.base()))) {
            server.enqueue(WireServer.response(502, "text/html", "<html><body>bad gateway</body></html>", false));
            server.enqueue(WireServer.response(422, "application/json", "", false));
            server.enqueue(WireServer.response(503, "application/json", "{\"error\":\"loading\"}", false));
            server.enqueue(WireServer.response(503, "application/json", "{\"error\":\"busy\"}", false));
            assertThat(kind(provider, "html")).isEqualTo(FailureKind.MALFORMED_RESPONSE);
            assertThat(kind(provider, "empty-422")).isEqualTo(FailureKind.INVALID_REQUEST);
            assertThat(kind(provider, "loading")).isEqualTo(FailureKind.MODEL_LOADING);
            assertThat(kind(provider, "busy")).isEqualTo(FailureKind.SERVER_BUSY);
        }
    }

    private FailureKind kind(LineProvider provider, String id) {
        RunTelemetry t = run(provider, request(id, Duration.ofSeconds(5)));
        assertThat(t.outcome().httpStatus()).isNotNull();
        return t.outcome().failureKind();
    }

    @Test
    @DisplayName("a refused connection is CONNECTION_REFUSED with no connect time and no request sent")
    void refused() throws Exception {
        java.net.URI refused;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            refused = java.net.URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        try (LineProvider provider = new LineProvider(ProviderConfig.of(refused))) {
            RunTelemetry t = run(provider, request("refused", Duration.ofSeconds(5)));
            assertThat(t.outcome().failureKind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
            assertThat(t.outcome().failureMessage()).contains("is line-server running?");
            assertThat(t.tokenMetrics().clientConnectMs().unavailableReason()).isEqualTo(UnavailableReason.RUN_ENDED_EARLY);
            assertThat(events).doesNotContain(new WireEvent.RequestSent());
        }
    }

    @Test
    @DisplayName("an admin call has a deadline on the whole exchange and a cap on its body, each named in the error")
    void adminBounds() throws Exception {
        ProviderConfig config;
        try (WireServer server = new WireServer()) {
            config = ProviderConfig.of(server.base()).withAdminTimeout(Duration.ofMillis(300));
            try (HttpTransport transport = HttpTransport.builder(config, "line-server").maxAdminBodyBytes(1000).build()) {
                server.enqueue(out -> {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\":".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(3000);
                    return false;
                });
                long started = System.nanoTime();
                assertThatThrownBy(() -> transport.get("/api/tags")).isInstanceOf(AdminCallException.class)
                        .hasMessageContaining("GET /api/tags").hasMessageContaining("did not finish within 300 ms")
                        .hasMessageContaining("headers came, then the body stalled")
                        .satisfies(e -> assertThat(((AdminCallException) e).kind()).isEqualTo(FailureKind.TIMEOUT));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

                server.enqueue(WireServer.response(200, "application/json", "{\"pad\":\"" + "x".repeat(5000) + "\"}", false));
                assertThatThrownBy(() -> transport.get("/api/ps")).isInstanceOf(AdminCallException.class)
                        .hasMessageContaining("GET /api/ps").hasMessageContaining("more than 1000 bytes")
                        .satisfies(e -> assertThat(((AdminCallException) e).kind())
                                .isEqualTo(FailureKind.RESPONSE_TOO_LARGE));

                server.enqueue(WireServer.response(404, "text/plain", "404 page not found", false));
                AdminResponse notFound = transport.post("/api/show", "{}".getBytes(StandardCharsets.UTF_8));
                assertThat(notFound.status()).isEqualTo(404);
                assertThat(new String(notFound.body(), StandardCharsets.UTF_8)).isEqualTo("404 page not found");
            }
        }
    }

    @Test
    @DisplayName("an admin GET on a kept-alive connection the server closed is sent again once")
    void adminRetriesAClosedKeptAliveConnection() throws Exception {
        try (WireServer server = new WireServer();
                HttpTransport transport = HttpTransport.builder(ProviderConfig.of(server.base()), "line-server").build()) {
            server.enqueue(WireServer.response(200, "application/json", "{}", true));
            // The next request on that connection is read, then the server closes it without an answer.
            server.enqueue((OutputStream out) -> false);
            server.enqueue(WireServer.response(200, "application/json", "{\"ok\":true}", false));
            assertThat(transport.get("/health").status()).isEqualTo(200);
            AdminResponse again = transport.get("/health");
            assertThat(new String(again.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
            assertThat(server.connections()).isEqualTo(2);
        }
    }
}
