package dev.orket.provider.llamacpp;

import static java.time.Duration.ZERO;
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
import dev.orket.simulator.server.Await;
import dev.orket.simulator.server.Faults;
import dev.orket.simulator.server.RecordedRequest;
import dev.orket.simulator.server.Script;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Transport and protocol faults each end the run with one Failed event of the right kind. */
class FailuresTest {

    private static final String TOKEN = "data: {\"index\":0,\"content\":\"ab\",\"tokens\":[5],\"stop\":false}\n\n";
    private static final String FINAL = "data: {\"content\":\"\",\"tokens\":[],\"stop\":true,\"stop_type\":\"limit\","
            + "\"timings\":{\"cache_n\":0,\"prompt_n\":3,\"prompt_ms\":1.5,\"predicted_n\":2,\"predicted_ms\":2.5}}\n\n";

    private static RunResult run(ScriptedInferenceServer server, RunRequest request) {
        try (LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            return Runs.execute(provider, request);
        }
    }

    /** The head of a chunked llama.cpp event stream, sent at once. */
    private static Script.Builder sse() {
        return Script.builder(200).chunked().header("Content-Type", "text/event-stream").head(ZERO, Await.NOTHING);
    }

    private static RunRequest streaming(Duration timeout) {
        return Runs.request(PromptStyle.COMPLETION, true).toBuilder().timeout(timeout).build();
    }

    @Test
    @DisplayName("nothing listening is CONNECTION_REFUSED")
    void refused() {
        try (LlamaCppProvider provider = Runs.provider(Faults.refusedConnectionUri())) {
            RunResult result = Runs.execute(provider, Runs.request(PromptStyle.COMPLETION, true));
            assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
            assertThat(result.telemetry().outcome().httpStatus()).isNull();
        }
    }

    @Test
    @DisplayName("a socket closed mid-stream is CONNECTION_CLOSED, with the chunks before it counted")
    void closedMidStream() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(sse().data(ZERO, TOKEN, Await.NOTHING).data(ZERO, TOKEN, Await.NOTHING)
                    .disconnect(ZERO, Await.NOTHING).build());
            RunResult result = run(server, streaming(Duration.ofSeconds(10)));
            assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.CONNECTION_CLOSED);
            assertThat(result.telemetry().tokenMetrics().chunkCount()).isEqualTo(2);
            assertThat(result.outputText()).isEqualTo("abab");
        }
    }

    @Test
    @DisplayName("a stream that ends cleanly without its end marker is INCOMPLETE_RESPONSE")
    void incomplete() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(sse().data(ZERO, TOKEN, Await.NOTHING).end(ZERO, Await.NOTHING).build());
            server.enqueue(sse().data(ZERO, "data: {\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"delta\":{}}]}"
                    + "\n\n", Await.NOTHING).end(ZERO, Await.NOTHING).build());
            assertThat(run(server, streaming(Duration.ofSeconds(10))).telemetry().outcome().failureKind())
                    .isEqualTo(FailureKind.INCOMPLETE_RESPONSE);
            assertThat(run(server, Runs.request(PromptStyle.CHAT, true)).telemetry().outcome().failureKind())
                    .isEqualTo(FailureKind.INCOMPLETE_RESPONSE);
        }
    }

    @Test
    @DisplayName("a stream that stalls after a chunk is a TIMEOUT in bounded time, and the connection is closed")
    void stallMidStream() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(sse().data(ZERO, TOKEN, Await.NOTHING)
                    .stall(ZERO, ScriptedInferenceServer.UNTIL_DISCONNECT).build());
            long start = System.nanoTime();
            RunResult result = run(server, streaming(Duration.ofMillis(300)));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(result.telemetry().outcome().failureMessage()).contains("300 ms");
            assertThat(elapsedMs).isBetween(250L, 3000L);
            assertThat(server.awaitNoOpenConnections(Duration.ofSeconds(5))).as("client closed the connection").isTrue();
        }
    }

    @Test
    @DisplayName("the idle gap bounds each silence and the timeout the whole run: a slow steady stream completes"
            + " within both, and the whole-run deadline ends it when it is shorter than the stream")
    void slowSteadyStream() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            // Without a virtual clock the server sleeps each offset in real time: a token every 100 ms.
            Script.Builder slow = sse();
            for (int i = 1; i <= 8; i++) {
                slow.data(Duration.ofMillis(100L * i), TOKEN, Await.NOTHING);
            }
            Script steady = slow.data(Duration.ofMillis(800), FINAL, Await.NOTHING).end(Duration.ofMillis(800),
                    Await.NOTHING).build();
            server.enqueue(steady);
            server.enqueue(steady);
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
    void recorderBugPropagates() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("completion-stream.http").script());
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
    void stallBeforeHeaders() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(Script.builder(200).stall(ZERO, ScriptedInferenceServer.UNTIL_DISCONNECT).build());
            RunResult result = run(server, streaming(Duration.ofMillis(300)));
            assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(result.telemetry().outcome().httpStatus()).isNull();
            assertThat(server.awaitNoOpenConnections(Duration.ofSeconds(5))).as("client closed the connection").isTrue();
        }
    }

    @Test
    @DisplayName("an SSE line over max_event_bytes is RESPONSE_TOO_LARGE")
    void eventTooLarge() {
        char[] big = new char[4000];
        Arrays.fill(big, 'x');
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                LlamaCppProvider provider = new LlamaCppProviderFactory().create(new ProviderConfig(server.baseUri(), null,
                        Duration.ofSeconds(5), Map.of(LlamaCppProviderFactory.MAX_EVENT_BYTES, "1024",
                                LlamaCppProviderFactory.MAX_BODY_BYTES, "2048")))) {
            server.enqueue(sse().data(ZERO, TOKEN, Await.NOTHING)
                    .data(ZERO, "data: {\"content\":\"" + new String(big) + "\"}\n\n", Await.NOTHING)
                    .end(ZERO, Await.NOTHING).build());
            server.enqueue(Script.json(200, "{\"content\":\"" + new String(big) + "\"}"));
            RunResult streamed = Runs.execute(provider, streaming(Duration.ofSeconds(10)));
            assertThat(streamed.telemetry().outcome().failureKind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE);
            RunResult whole = Runs.execute(provider, Runs.request(PromptStyle.COMPLETION, false));
            assertThat(whole.telemetry().outcome().failureKind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE);
        }
    }

    @Test
    @DisplayName("an HTML page from a proxy is MALFORMED_RESPONSE with its status; an empty error body goes by status")
    void htmlFromProxy() {
        byte[] html = "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.US_ASCII);
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(Script.fixed(502, "text/html", html, ZERO, Await.NOTHING));
            server.enqueue(Script.fixed(200, "text/html", html, ZERO, Await.NOTHING));
            server.enqueue(Script.fixed(200, "text/html", html, ZERO, Await.NOTHING));
            server.enqueue(Script.fixed(502, "text/html", new byte[0], ZERO, Await.NOTHING));
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
    void invalidUtf8() {
        byte[] bad = "data: {\"content\":\"\u0000\",\"tokens\":[1],\"stop\":false}\n\n".getBytes(StandardCharsets.UTF_8);
        bad[18] = (byte) 0xC3;
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(sse().data(ZERO, TOKEN, Await.NOTHING).data(ZERO, bad, Await.NOTHING)
                    .data(ZERO, FINAL, Await.NOTHING).end(ZERO, Await.NOTHING).build());
            RunResult result = run(server, streaming(Duration.ofSeconds(10)));
            assertThat(result.telemetry().outcome().failureKind()).isEqualTo(FailureKind.MALFORMED_RESPONSE);
            assertThat(result.telemetry().outcome().failureMessage()).containsIgnoringCase("UTF-8");
        }
    }

    @Test
    @DisplayName("a streamed run reports canonical events in order, one ContentDelta per token event")
    void eventOrder() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            // Two events in one chunk, one event split across two chunks, a ping.
            server.enqueue(sse().data(ZERO, TOKEN + ":\n\n" + TOKEN.substring(0, 20), Await.NOTHING)
                    .data(ZERO, TOKEN.substring(20), Await.NOTHING).data(ZERO, FINAL, Await.NOTHING)
                    .end(ZERO, Await.NOTHING).build());
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
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(sse().stall(ZERO, ScriptedInferenceServer.UNTIL_DISCONNECT).build());
            Thread caller = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    // The request arrived: the head goes out at once, then the server stalls.
                    server.takeRequest(Duration.ofSeconds(5));
                    Thread.sleep(100);
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
    void requestBody() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("completion.http").script());
            server.enqueue(Fixture.load("v1-chat-completions-stream-usage.http").script());
            RunRequest completion = Runs.request(PromptStyle.COMPLETION, false).toBuilder().temperature(0.0)
                    .stopSequences(List.of("ate", "\n")).expectColdPromptCache(true).build();
            Runs.execute(provider, completion);
            RecordedRequest sent = server.takeRequest(Duration.ofSeconds(5));
            assertThat(sent.method() + " " + sent.target()).isEqualTo("POST /completion");
            assertThat(sent.bodyUtf8()).isEqualTo("{\"model\":\"tiny\",\"prompt\":\"The quick brown fox\",\"stream\":false,\"n_predict\":16,\"seed\":42,"
                    + "\"temperature\":0.0,\"stop\":[\"ate\",\"\\n\"],\"cache_prompt\":false}");
            Runs.execute(provider, Runs.request(PromptStyle.CHAT, true));
            sent = server.takeRequest(Duration.ofSeconds(5));
            assertThat(sent.method() + " " + sent.target()).isEqualTo("POST /v1/chat/completions");
            assertThat(sent.bodyUtf8()).isEqualTo("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"The quick brown fox\"}],"
                    + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":16,\"seed\":42}");
            assertThat(sent.header("Authorization")).isNull();
        }
    }

    @Test
    @DisplayName("each request gets its own response; a second run reconnects")
    void twoRunsInARow() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start();
                LlamaCppProvider provider = Runs.provider(server.baseUri())) {
            server.enqueue(Fixture.load("completion-stream.http").script());
            server.enqueue(Fixture.load("completion-stream.http").script());
            for (int i = 0; i < 2; i++) {
                RunResult result = Runs.execute(provider, streaming(Duration.ofSeconds(10)));
                assertThat(result.telemetry().outcome().terminalState()).isEqualTo(TerminalState.COMPLETED);
            }
            assertThat(server.requestCount()).isEqualTo(2);
            assertThat(server.connectionCount()).isEqualTo(2);
        }
    }
}
