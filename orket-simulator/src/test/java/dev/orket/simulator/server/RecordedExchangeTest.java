package dev.orket.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RecordedExchangeTest {

    static List<String> fixtures() {
        return List.of("llamacpp/completion-stream", "llamacpp/completion", "llamacpp/health-loading",
                "llamacpp/health", "llamacpp/v1-chat-completions-stream-usage", "llamacpp/completion-stream-sse-ping",
                "llamacpp/error-generation-invalid-utf8-stream", "llamacpp/error-malformed-json-completion",
                "llamacpp/v1-models", "llamacpp/completion-stop-word-stream", "ollama/generate-stream",
                "ollama/chat-stream", "ollama/generate", "ollama/error-model-not-found-generate",
                "ollama/generate-stream-error-midstream", "ollama/error-unknown-route", "ollama/show", "ollama/ps");
    }

    static byte[] resource(String name) {
        try (InputStream in = RecordedExchangeTest.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /fixtures/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RecordedExchange exchange(String name) {
        try (InputStream in = RecordedExchangeTest.class.getResourceAsStream("/fixtures/" + name + ".http")) {
            return RecordedExchange.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The response part of a fixture: bytes after the request head and its Content-Length body. */
    static byte[] responseBytes(String name) {
        byte[] all = resource(name + ".http");
        RecordedExchange exchange = RecordedExchange.parse(all);
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("\r\n\r\n") + 4 + exchange.request().body().length;
        return Arrays.copyOfRange(all, start, all.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    @DisplayName("replays every fixture's response byte for byte, framing included")
    void replaysByteForByte(String name) {
        RecordedExchange exchange = exchange(name);
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start(new dev.orket.simulator.VirtualClock())) {
            server.enqueue(exchange.toScript(ScriptTimeline.DEFAULT));
            byte[] request = RawHttp.concat(("" + exchange.request().method() + " " + exchange.request().target()
                    + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + exchange.request().body().length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII), exchange.request().body());
            byte[] served = RawHttp.exchange(server.baseUri(), request, 5000);
            assertThat(new String(served, StandardCharsets.ISO_8859_1))
                    .isEqualTo(new String(responseBytes(name), StandardCharsets.ISO_8859_1));
            assertThat(server.takeRequest(Duration.ofSeconds(1)).bodyUtf8()).isEqualTo(exchange.request().bodyUtf8());
        }
    }

    @Test
    @DisplayName("parses the request and the chunked response of completion-stream.http")
    void parsesStream() {
        RecordedExchange exchange = exchange("llamacpp/completion-stream");
        assertThat(exchange.request().method()).isEqualTo("POST");
        assertThat(exchange.request().path()).isEqualTo("/completion");
        assertThat(exchange.request().jsonField("stream")).isEqualTo("true");
        assertThat(exchange.request().header("content-length")).isEqualTo("72");
        assertThat(exchange.response().status()).isEqualTo(200);
        assertThat(exchange.response().chunked()).isTrue();
        assertThat(exchange.response().chunks()).hasSize(17);
        assertThat(exchange.response().header("Content-Type")).isEqualTo("text/event-stream");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    @DisplayName("de-chunks a streaming body to exactly the .body file")
    void dechunksToBodyFile(String name) {
        assertThat(exchange(name).response().body()).isEqualTo(resource(name + ".body"));
    }

    static List<String> streams() {
        return List.of("llamacpp/completion-stream", "llamacpp/v1-chat-completions-stream-usage",
                "llamacpp/completion-stream-sse-ping", "llamacpp/completion-stop-word-stream", "ollama/generate-stream",
                "ollama/chat-stream", "ollama/generate-stream-error-midstream");
    }

    @Test
    @DisplayName("spreads a recorded stream over the timeline: text chunks at token offsets, others around them")
    void spreadsOverTimeline() {
        Script script = exchange("llamacpp/completion-stream").toScript(ScriptTimeline.DEFAULT);
        List<ScriptStep> steps = script.steps();
        assertThat(steps.get(0)).isEqualTo(new ScriptStep.Head(Duration.ofMillis(5), Await.RESPONSE_STARTED));
        assertThat(steps.get(1).at()).isEqualTo(Duration.ofMillis(40));
        assertThat(steps.get(1).await()).isEqualTo(Await.CONTENT);
        assertThat(steps.get(16).at()).isEqualTo(Duration.ofMillis(190));
        assertThat(steps.get(17).at()).isEqualTo(Duration.ofMillis(195));
        assertThat(steps.get(17).await()).isEqualTo(Await.NOTHING);
        assertThat(steps.get(18)).isEqualTo(new ScriptStep.End(Duration.ofMillis(195), Await.TERMINAL));

        Script ping = exchange("llamacpp/completion-stream-sse-ping").toScript(ScriptTimeline.DEFAULT);
        assertThat(ping.steps().get(1).await()).as("the :\\n\\n ping awaits nothing").isEqualTo(Await.NOTHING);
        Script health = exchange("llamacpp/health").toScript(ScriptTimeline.DEFAULT);
        assertThat(health.steps().get(health.steps().size() - 1).await()).as("a GET awaits no run").isEqualTo(Await.NOTHING);
    }

    @Test
    @DisplayName("loads every .http file of a directory by name")
    void loadsDirectory() throws Exception {
        java.nio.file.Path directory = java.nio.file.Path.of(getClass().getResource("/fixtures/ollama").toURI());
        assertThat(RecordedExchange.loadDirectory(directory)).containsKeys("generate-stream", "ps", "show").hasSize(8);
    }

    @Test
    @DisplayName("names the offset when the bytes are not an exchange")
    void rejectsGarbage() {
        assertThatThrownBy(() -> RecordedExchange.parse("hello".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
        assertThatThrownBy(() -> RecordedExchange.parse(
                "GET / HTTP/1.1\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nab"
                        .getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk");
    }
}
