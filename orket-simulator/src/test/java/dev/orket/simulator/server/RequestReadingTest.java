package dev.orket.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the server reads what a client sends, and what it refuses. */
class RequestReadingTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    @DisplayName("a chunked request body is de-chunked (chunk extensions ignored)")
    void chunkedBody() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(Script.json(200, "{}"));
            byte[] response = RawHttp.exchange(server.baseUri(), ascii("POST /completion HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                    + "6;ext=1\r\n{\"a\":1\r\n1\r\n}\r\n0\r\n\r\n"), 2000);
            assertThat(new String(response, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 ");
            RecordedRequest request = server.takeRequest(Duration.ofSeconds(1));
            assertThat(request).isNotNull();
            assertThat(request.bodyUtf8()).isEqualTo("{\"a\":1}");
            assertThat(request.jsonField("a")).isEqualTo("1");
        }
    }

    @Test
    @DisplayName("a malformed request line or a body shorter than its Content-Length gets no answer and no request")
    void malformed() {
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            server.enqueue(Script.json(200, "{}"));
            assertThat(RawHttp.exchange(server.baseUri(), ascii("NONSENSE\r\n\r\n"), 2000)).isEmpty();
            assertThat(server.takeRequest(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    @DisplayName("ports and connect delays out of range are refused with the value")
    void validation() {
        assertThatThrownBy(() -> ScriptedInferenceServer.start(0)).hasMessage("port must be in [1, 65535] but was 0");
        try (ScriptedInferenceServer server = ScriptedInferenceServer.start()) {
            assertThatThrownBy(() -> server.setConnectDelay(Duration.ofMillis(-1)))
                    .hasMessage("connectDelay must be >= 0 but was PT-0.001S");
            assertThat(server.connectionCount()).isZero();
        }
    }

    @Test
    @DisplayName("two parses of the same exchange are equal responses, with equal hash codes")
    void responseEquality() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/llamacpp/completion-stream.http")) {
            bytes = in.readAllBytes();
        }
        RecordedResponse first = RecordedExchange.parse(new ByteArrayInputStream(bytes)).response();
        RecordedResponse second = RecordedExchange.parse(bytes).response();
        assertThat(first).isEqualTo(second).hasSameHashCodeAs(second).isNotEqualTo(null).isNotEqualTo("x");
        assertThat(first.toString()).contains(first.body().length + " body bytes");
        RecordedResponse other = RecordedExchange.parse(ascii("POST /completion HTTP/1.1\r\nHost: x\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")).response();
        assertThat(first).isNotEqualTo(other);
        assertThat(first.header("no-such-header")).isNull();
    }
}
