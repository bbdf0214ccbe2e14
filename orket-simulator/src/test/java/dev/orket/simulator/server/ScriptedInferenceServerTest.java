package dev.orket.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.RecordingListener;
import dev.orket.core.telemetry.RunState;
import dev.orket.simulator.VirtualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScriptedInferenceServerTest {

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a raw step goes on the wire verbatim, outside the chunked framing, and is not part of the body")
    void rawStep() {
        Script script = Script.builder(200).chunked().header("Content-Type", "text/event-stream")
                .head(Duration.ZERO, Await.NOTHING).data(Duration.ZERO, "data: a\n\n", Await.NOTHING)
                .raw(Duration.ZERO, "ff\r\ndata: b".getBytes(StandardCharsets.US_ASCII), Await.NOTHING)
                .disconnect(Duration.ZERO, Await.NOTHING).build();
        assertThat(text(script.body())).isEqualTo("data: a\n\n");
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(script);
            assertThat(text(RawHttp.get(server.baseUri(), "/completion")))
                    .endsWith("\r\n\r\n9\r\ndata: a\n\n\r\nff\r\ndata: b");
        }
    }

    @Test
    @DisplayName("answers queued scripts in order and records each request")
    void queueAndTakeRequest() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(Script.json(200, "{\"a\":1}"));
            server.enqueue(Script.json(201, "{\"b\":2}"));
            assertThat(text(RawHttp.post(server.baseUri(), "/x?y=1", "{\"model\":\"m\",\"n\":3}")))
                    .startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n{\"a\":1}").contains("Content-Length: 7\r\n");
            assertThat(text(RawHttp.get(server.baseUri(), "/z"))).startsWith("HTTP/1.1 201 ");
            RecordedRequest first = server.takeRequest(Duration.ofSeconds(1));
            assertThat(first.method()).isEqualTo("POST");
            assertThat(first.path()).isEqualTo("/x");
            assertThat(first.queryParameter("y")).isEqualTo("1");
            assertThat(first.jsonField("model")).isEqualTo("m");
            assertThat(first.jsonField("n")).isEqualTo("3");
            assertThat(server.takeRequest(Duration.ofSeconds(1)).path()).isEqualTo("/z");
            assertThat(server.takeRequest(Duration.ofMillis(10))).isNull();
            assertThat(server.requestCount()).isEqualTo(2);
            assertThat(server.url("/health").toString()).isEqualTo(server.baseUri() + "/health");
        }
    }

    @Test
    @DisplayName("answers 500 naming the request when no script is queued")
    void emptyQueue() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            assertThat(text(RawHttp.get(server.baseUri(), "/nothing"))).startsWith("HTTP/1.1 500 ")
                    .contains("no script enqueued for GET /nothing");
        }
    }

    @Test
    @DisplayName("routes by path with a dispatcher")
    void dispatcher() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.setDispatcher(request -> request.path().equals("/health") ? LlamaCppScripts.health()
                    : LlamaCppScripts.notFound());
            assertThat(text(RawHttp.get(server.baseUri(), "/health"))).endsWith("{\"status\":\"ok\"}");
            assertThat(text(RawHttp.get(server.baseUri(), "/nope"))).startsWith("HTTP/1.1 404 Not Found");
        }
    }

    @Test
    @DisplayName("frames each data step as one HTTP chunk and ends with the terminator")
    void chunkFraming() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(Script.builder(200).chunked().header("Content-Type", "text/event-stream")
                    .head(Duration.ZERO, Await.NOTHING).data(Duration.ZERO, "data: a\n\n", Await.NOTHING)
                    .data(Duration.ZERO, "data: bcd\n\n", Await.NOTHING).end(Duration.ZERO, Await.NOTHING).build());
            assertThat(text(RawHttp.get(server.baseUri(), "/s"))).isEqualTo("HTTP/1.1 200 OK\r\n"
                    + "Content-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "9\r\ndata: a\n\n\r\nb\r\ndata: bcd\n\n\r\n0\r\n\r\n");
        }
    }

    @Test
    @DisplayName("sets the virtual clock to each step's offset, relative to the request's arrival")
    void virtualOffsets() {
        VirtualClock clock = VirtualClock.at(Duration.ofMillis(1000));
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(clock)) {
            server.enqueue(Script.builder(200).head(Duration.ofMillis(5), Await.NOTHING)
                    .data(Duration.ofMillis(70), "x", Await.NOTHING).end(Duration.ofMillis(90), Await.NOTHING).build());
            RawHttp.get(server.baseUri(), "/");
            assertThat(clock.now()).isEqualTo(Duration.ofMillis(1090));
        }
    }

    @Test
    @DisplayName("plays real time without a virtual clock")
    void realTime() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(Script.fixed(200, "text/plain", new byte[] {'k'}, Duration.ofMillis(60), Await.NOTHING));
            long started = System.nanoTime();
            RawHttp.get(server.baseUri(), "/");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(60));
        }
    }

    @Test
    @DisplayName("waits for the client's event in lock-step, and reports a miss when it never comes")
    void lockstep() throws Exception {
        VirtualClock clock = new VirtualClock();
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(clock)) {
            RecordingListener lockstep = server.lockstep();
            server.setLockstepTimeout(Duration.ofSeconds(1));
            server.enqueue(Script.builder(200).chunked().head(Duration.ofMillis(5), Await.RESPONSE_STARTED)
                    .data(Duration.ofMillis(40), "t", Await.CONTENT).end(Duration.ofMillis(50), Await.NOTHING).build());
            CompletableFuture<byte[]> response = CompletableFuture.supplyAsync(() -> RawHttp.get(server.baseUri(), "/"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!clock.now().equals(Duration.ofMillis(5)) && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            Thread.sleep(50);
            assertThat(clock.now()).as("the server waits for ResponseStarted before moving on").isEqualTo(Duration.ofMillis(5));
            lockstep.recorded(new WireEvent.ResponseStarted(200), clock.nanoTime(), RunState.AWAITING_FIRST_TOKEN);
            assertThat(text(response.get())).endsWith("0\r\n\r\n");
            assertThat(clock.now()).isEqualTo(Duration.ofMillis(50));
            assertThat(server.lockstepMisses()).singleElement().asString().contains("no CONTENT recorded");
        }
    }

    @Test
    @DisplayName("ends every stall and joins every thread on close")
    void closeEndsStalls() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ScriptedInferenceServer server = ScriptedInferenceServer.start();
        server.enqueue(Script.builder(200).stall(Duration.ZERO, ScriptedInferenceServer.UNTIL_DISCONNECT).build());
        CompletableFuture<byte[]> response = CompletableFuture.supplyAsync(
                () -> RawHttp.exchange(server.baseUri(), "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 10_000));
        while (server.openConnections() == 0) {
            Thread.sleep(2);
        }
        long started = System.nanoTime();
        server.close();
        assertThat(response.get()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(server.openConnections()).isZero();
        Set<String> left = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .map(Thread::getName).filter(name -> name.startsWith("orket-scripted-server")).collect(Collectors.toSet());
        assertThat(left).isEmpty();
    }

    @Test
    @DisplayName("a stall ends when the client disconnects")
    void stallEndsOnDisconnect() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(Script.builder(200).stall(Duration.ZERO, ScriptedInferenceServer.UNTIL_DISCONNECT).build());
            assertThat(RawHttp.exchange(server.baseUri(), "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 100))
                    .isEmpty();
            assertThat(server.awaitNoOpenConnections(Duration.ofSeconds(3))).isTrue();
        }
    }

    @Test
    @DisplayName("a disconnect closes the socket without the chunk terminator")
    void disconnect() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(Script.builder(200).chunked().head(Duration.ZERO, Await.NOTHING)
                    .data(Duration.ZERO, "abc", Await.NOTHING).disconnect(Duration.ZERO, Await.NOTHING).build());
            assertThat(text(RawHttp.get(server.baseUri(), "/"))).endsWith("3\r\nabc\r\n");
        }
    }

    @Test
    @DisplayName("rejects scripts out of time order or with data before the head")
    void validation() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Script.builder(200).head(Duration.ofMillis(5), Await.NOTHING)
                .data(Duration.ofMillis(1), "x", Await.NOTHING).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("time order");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Script.builder(200).data(Duration.ZERO, "x", Await.NOTHING)
                .build()).hasMessageContaining("before its head");
    }
}
