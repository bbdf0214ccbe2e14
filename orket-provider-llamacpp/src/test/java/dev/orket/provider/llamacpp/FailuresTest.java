package dev.orket.provider.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.PromptStyle;
import dev.orket.api.RunRequest;
import dev.orket.api.TerminalState;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.RunResult;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Transport and protocol faults each end the run with one Failed event of the right kind. */
class FailuresTest {

    private static final String TOKEN = "data: {\"index\":0,\"content\":\"ab\",\"tokens\":[5],\"stop\":false}\n\n";
    private static final String FINAL = "data: {\"content\":\"\",\"tokens\":[],\"stop\":true,\"stop_type\":\"limit\","
            + "\"timings\":{\"cache_n\":0,\"prompt_n\":3,\"prompt_ms\":1.5,\"predicted_n\":2,\"predicted_ms\":2.5}}\n\n";

    private static RunResult run(RawServer server, RunRequest request) {
        try (LlamaCppProvider provider = Runs.provider(server.baseUrl())) {
            return Runs.execute(provider, request);
        }
    }

    private static RunRequest streaming(Duration timeout) {
        return Runs.request(PromptStyle.COMPLETION, true).toBuilder().timeout(timeout).build();
    }

    @Test
    @DisplayName("nothing listening is CONNECTION_REFUSED")
    void refused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (LlamaCppProvider provider = Runs.provider(URI.create("http://127.0.0.1:" + port))) {
            RunResult result = Runs.execute(provider, Runs.request(PromptStyle.COMPLETION, true));
            assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
            assertThat(result.telemetry().outcome().httpStatus()).isNull();
        }
    }

    @Test
    @DisplayName("a socket closed mid-stream is CONNECTION_CLOSED, with the chunks before it counted")
    void closedMidStream() throws Exception {
        try (RawServer server = new RawServer()) {
            server.enqueue((request, out, in) -> {
                out.write(RawServer.sseHead());
                out.write(RawServer.chunk(TOKEN));
                out.write(RawServer.chunk(TOKEN));
                out.flush();
            });
            RunResult result = run(server, streaming(Duration.ofSeconds(10)));
            assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.CONNECTION_CLOSED);
            assertThat(result.telemetry().tokenMetrics().chunkCount()).isEqualTo(2);
            assertThat(result.outputText()).isEqualTo("abab");
        }
    }

    @Test
    @DisplayName("a stream that ends cleanly without its end marker is INCOMPLETE_RESPONSE")
    void incomplete() throws Exception {
        try (RawServer server = new RawServer()) {
            server.enqueue((request, out, in) -> {
                out.write(RawServer.sseHead());
                out.write(RawServer.chunk(TOKEN));
                out.write(RawServer.lastChunk());
            });
            server.enqueue((request, out, in) -> {
                out.write(RawServer.sseHead());
                out.write(RawServer.chunk("data: {\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"delta\":{}}]}\n\n"));
                out.write(RawServer.lastChunk());
            });
            assertThat(run(server, streaming(Duration.ofSeconds(10))).telemetry().outcome().failureKind())
                    .isEqualTo(FailureKind.INCOMPLETE_RESPONSE);
            assertThat(run(server, Runs.request(PromptStyle.CHAT, true)).telemetry().outcome().failureKind())
                    .isEqualTo(FailureKind.INCOMPLETE_RESPONSE);
        }
    }

    @Test
    @DisplayName("a stream that stalls after a chunk is a TIMEOUT in bounded time, and the connection is closed")
    void stallMidStream() throws Exception {
        CountDownLatch clientClosed = new CountDownLatch(1);
        try (RawServer server = new RawServer()) {
            server.enqueue((request, out, in) -> {
                out.write(RawServer.sseHead());
                out.write(RawServer.chunk(TOKEN));
                out.flush();
                // Blocks until the client closes its end.
                while (in.read() >= 0) {
                    continue;
                }
                clientClosed.countDown();
            });
            long start = System.nanoTime();
            RunResult result = run(server, streaming(Duration.ofMillis(300)));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(result.telemetry().outcome().failureMessage()).contains("300 ms");
            assertThat(elapsedMs).isBetween(250L, 3000L);
            assertThat(clientClosed.await(5, TimeUnit.SECONDS)).as("client closed the connection").isTrue();
        }
    }

    @Test
    @DisplayName("the idle gap bounds each silence and the timeout the whole run: a slow steady stream completes"
            + " within both, and the whole-run deadline ends it when it is shorter than the stream")
    void slowSteadyStream() throws Exception {
        try (RawServer server = new RawServer()) {
            for (int round = 0; round < 2; round++) {
                server.enqueue((request, out, in) -> {
                    out.write(RawServer.sseHead());
                    out.flush();
                    for (int i = 0; i < 8; i++) {
                        Thread.sleep(100);
                        out.write(RawServer.chunk(TOKEN));
                        out.flush();
                    }
                    out.write(RawServer.chunk(FINAL));
                    out.write(RawServer.lastChunk());
                });
            }
            RunResult result = run(server, streaming(Duration.ofSeconds(10)).toBuilder()
                    .idleTimeout(Duration.ofMillis(400)).build());
            assertThat(result.telemetry().outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
            assertThat(result.telemetry().tokenMetrics().chunkCount()).isEqualTo(8);

            RunResult cut = run(server, streaming(Duration.ofMillis(450)));
            assertThat(cut.telemetry().outcome().failureKind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(cut.telemetry().outcome().failureMessage()).contains("whole-run deadline of 450 ms");
            assertThat(cut.telemetry().tokenMetrics().chunkCount()).isBetween(1L, 7L);
        }
    }

    @Test
    @DisplayName("a recorder that rejects an event (a provider bug) makes execute throw on the caller's thread")
    void recorderBugPropagates() throws Exception {
        try (RawServer server = new RawServer(); LlamaCppProvider provider = Runs.provider(server.baseUrl())) {
            server.enqueue(Fixture.load("completion-stream.http").response());
            List<WireEvent> seen = new ArrayList<>();
            assertThatThrownBy(() -> provider.execute(streaming(Duration.ofSeconds(5)),
                    event -> {
                        if (event instanceof WireEvent.ContentDelta) {
                            throw new IllegalStateException("rejected " + event);
                        }
                        seen.add(event);
                    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("rejected");
            assertThat(seen).containsExactly(new WireEvent.ConnectStarted(), new WireEvent.Connected(),
                    new WireEvent.RequestSent(), new WireEvent.ResponseStarted(200));
        }
    }

    @Test
    @DisplayName("a server that never sends headers is a TIMEOUT")
    void stallBeforeHeaders() throws Exception {
        CountDownLatch clientClosed = new CountDownLatch(1);
        try (RawServer server = new RawServer()) {
            server.enqueue((request, out, in) -> {
                while (in.read() >= 0) {
                    continue;
                }
                clientClosed.countDown();
            });
            RunResult result = run(server, streaming(Duration.ofMillis(300)));
            assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(result.telemetry().outcome().httpStatus()).isNull();
            assertThat(clientClosed.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @DisplayName("an SSE line over max_event_bytes is RESPONSE_TOO_LARGE")
    void eventTooLarge() throws Exception {
        char[] big = new char[4000];
        Arrays.fill(big, 'x');
        try (RawServer server = new RawServer();
                LlamaCppProvider provider = new LlamaCppProviderFactory().create(new ProviderConfig(server.baseUrl(), null,
                        Duration.ofSeconds(5), Map.of(LlamaCppProviderFactory.MAX_EVENT_BYTES, "1024",
                                LlamaCppProviderFactory.MAX_BODY_BYTES, "2048")))) {
            server.enqueue((request, out, in) -> {
                out.write(RawServer.sseHead());
                out.write(RawServer.chunk(TOKEN));
                out.write(RawServer.chunk("data: {\"content\":\"" + new String(big) + "\"}\n\n"));
                out.write(RawServer.lastChunk());
            });
            server.enqueue(RawServer.response(200, "application/json", "{\"content\":\"" + new String(big) + "\"}"));
            RunResult streamed = Runs.execute(provider, streaming(Duration.ofSeconds(10)));
            assertThat(streamed.telemetry().outcome().failureKind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE);
            RunResult whole = Runs.execute(provider, Runs.request(PromptStyle.COMPLETION, false));
            assertThat(whole.telemetry().outcome().failureKind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE);
        }
    }

    @Test
    @DisplayName("an HTML page from a proxy is MALFORMED_RESPONSE with its status; an empty error body goes by status")
    void htmlFromProxy() throws Exception {
        String html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        try (RawServer server = new RawServer()) {
            server.enqueue(RawServer.response(502, "text/html", html));
            server.enqueue(RawServer.response(200, "text/html", html));
            server.enqueue(RawServer.response(200, "text/html", html));
            server.enqueue(RawServer.response(502, "text/html", ""));
            RunResult bad = run(server, streaming(Duration.ofSeconds(10)));
            assertThat(bad.telemetry().outcome().failureKind()).isEqualTo(FailureKind.MALFORMED_RESPONSE);
            assertThat(bad.telemetry().outcome().httpStatus()).isEqualTo(502);
            assertThat(run(server, streaming(Duration.ofSeconds(10))).telemetry().outcome().failureKind())
                    .isEqualTo(FailureKind.MALFORMED_RESPONSE);
            assertThat(run(server, Runs.request(PromptStyle.CHAT, false)).telemetry().outcome().failureKind())
                    .isEqualTo(FailureKind.MALFORMED_RESPONSE);
            assertThat(run(server, Runs.request(PromptStyle.CHAT, false)).telemetry().outcome().failureKind())
                    .isEqualTo(FailureKind.HTTP_ERROR);
        }
    }

    @Test
    @DisplayName("invalid UTF-8 inside a streamed event is MALFORMED_RESPONSE")
    void invalidUtf8() throws Exception {
        try (RawServer server = new RawServer()) {
            server.enqueue((request, out, in) -> {
                out.write(RawServer.sseHead());
                out.write(RawServer.chunk(TOKEN));
                byte[] bad = "data: {\"content\":\"\u0000\",\"tokens\":[1],\"stop\":false}\n\n"
                        .getBytes(StandardCharsets.UTF_8);
                bad[18] = (byte) 0xC3;
                out.write(RawServer.chunk(bad));
                out.write(RawServer.chunk(FINAL));
                out.write(RawServer.lastChunk());
            });
            RunResult result = run(server, streaming(Duration.ofSeconds(10)));
            assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.MALFORMED_RESPONSE);
            assertThat(result.telemetry().outcome().failureMessage()).containsIgnoringCase("UTF-8");
        }
    }

    @Test
    @DisplayName("a streamed run reports canonical events in order, one ContentDelta per token event")
    void eventOrder() throws Exception {
        try (RawServer server = new RawServer(); LlamaCppProvider provider = Runs.provider(server.baseUrl())) {
            server.enqueue((request, out, in) -> {
                out.write(RawServer.sseHead());
                // Two events in one chunk, one event split across two chunks, a ping.
                out.write(RawServer.chunk(TOKEN + ":\n\n" + TOKEN.substring(0, 20)));
                out.write(RawServer.chunk(TOKEN.substring(20)));
                out.write(RawServer.chunk(FINAL));
                out.write(RawServer.lastChunk());
            });
            List<WireEvent> events = Runs.events(provider, streaming(Duration.ofSeconds(10)));
            assertThat(events).containsExactly(new WireEvent.ConnectStarted(), new WireEvent.Connected(),
                    new WireEvent.RequestSent(), new WireEvent.ResponseStarted(200), new WireEvent.ContentDelta("ab", 1), new WireEvent.ContentDelta("ab", 1),
                    new WireEvent.ServerUsage(3, 0, 2), new WireEvent.ServerTimings(1.5, 2.5, null),
                    new WireEvent.Completed(FinishReason.LENGTH));
        }
    }

    @Test
    @DisplayName("an interrupted caller gets a Cancelled run and keeps its interrupt flag")
    void interrupted() throws Exception {
        try (RawServer server = new RawServer(); LlamaCppProvider provider = Runs.provider(server.baseUrl())) {
            CountDownLatch started = new CountDownLatch(1);
            server.enqueue((request, out, in) -> {
                out.write(RawServer.sseHead());
                out.flush();
                started.countDown();
                while (in.read() >= 0) {
                    continue;
                }
            });
            Thread caller = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    started.await(5, TimeUnit.SECONDS);
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                caller.interrupt();
            });
            interrupter.start();
            RunResult result = Runs.execute(provider, streaming(Duration.ofSeconds(10)));
            assertThat(Thread.interrupted()).isTrue();
            assertThat(result.telemetry().outcome().terminalState()).isEqualTo(TerminalState.CANCELLED);
            interrupter.join();
        }
    }

    @Test
    @DisplayName("the request carries the run's seed, temperature, limit, stop words and cache setting")
    void requestBody() throws Exception {
        try (RawServer server = new RawServer(); LlamaCppProvider provider = Runs.provider(server.baseUrl())) {
            server.enqueue(Fixture.load("completion.http").response());
            server.enqueue(Fixture.load("v1-chat-completions-stream-usage.http").response());
            RunRequest completion = Runs.request(PromptStyle.COMPLETION, false).toBuilder().temperature(0.0)
                    .stopSequences(List.of("ate", "\n")).expectColdPromptCache(true).build();
            Runs.execute(provider, completion);
            String sent = server.takeRequest();
            assertThat(sent).startsWith("POST /completion HTTP/1.1\r\n");
            assertThat(sent).endsWith("{\"model\":\"tiny\",\"prompt\":\"The quick brown fox\",\"stream\":false,\"n_predict\":16,\"seed\":42,"
                    + "\"temperature\":0.0,\"stop\":[\"ate\",\"\\n\"],\"cache_prompt\":false}");
            Runs.execute(provider, Runs.request(PromptStyle.CHAT, true));
            sent = server.takeRequest();
            assertThat(sent).startsWith("POST /v1/chat/completions HTTP/1.1\r\n");
            assertThat(sent).endsWith("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"The quick brown fox\"}],"
                    + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":16,\"seed\":42}");
            assertThat(sent).doesNotContainIgnoringCase("authorization");
        }
    }

    @Test
    @DisplayName("the response is written by RawServer only once per request; a second run reconnects")
    void twoRunsInARow() throws Exception {
        try (RawServer server = new RawServer(); LlamaCppProvider provider = Runs.provider(server.baseUrl())) {
            server.enqueue(Fixture.load("completion-stream.http").response());
            server.enqueue(Fixture.load("completion-stream.http").response());
            for (int i = 0; i < 2; i++) {
                RunResult result = Runs.execute(provider, streaming(Duration.ofSeconds(10)));
                assertThat(result.telemetry().outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
            }
            assertThat(server.requests()).hasSize(2);
        }
    }
}
