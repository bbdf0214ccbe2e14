package dev.orket.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orket.api.FailureKind;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("One classification of wire failures")
class WireFailuresTest {

    /** What the JDK client completes an exchange with: a ConnectException without a message around the cause. */
    private static Throwable jdk(Throwable cause) {
        ConnectException inner = new ConnectException();
        inner.initCause(cause);
        ConnectException outer = new ConnectException();
        outer.initCause(inner);
        return new CompletionException(outer);
    }

    private static FailureKind kind(Throwable error, boolean afterHeaders) {
        return WireFailures.ofTransport(error, "s", "POST /x on s at http://h", afterHeaders).kind();
    }

    @Test
    @DisplayName("transport failures: refused, unresolvable, no route, timeouts, lost connections")
    void transport() {
        assertThat(kind(jdk(new ClosedChannelException()), false)).isEqualTo(FailureKind.CONNECTION_REFUSED);
        assertThat(kind(new ConnectException("Connection refused"), false)).isEqualTo(FailureKind.CONNECTION_REFUSED);
        assertThat(kind(jdk(new UnresolvedAddressException()), false)).as("an unresolvable host is not a refusal")
                .isEqualTo(FailureKind.CONNECTION_FAILED);
        assertThat(kind(new ConnectException("No route to host"), false)).isEqualTo(FailureKind.CONNECTION_FAILED);
        assertThat(kind(new HttpConnectTimeoutException("HTTP connect timed out"), false))
                .isEqualTo(FailureKind.CONNECTION_FAILED);
        assertThat(kind(new HttpTimeoutException("request timed out"), false)).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(new EOFException("EOF reached while reading"), false)).isEqualTo(FailureKind.CONNECTION_CLOSED);
        assertThat(kind(new IOException("connection reset"), true)).isEqualTo(FailureKind.CONNECTION_CLOSED);
        assertThat(kind(new IllegalStateException("odd"), false)).isEqualTo(FailureKind.CONNECTION_FAILED);
        assertThat(WireFailures.ofTransport(jdk(new ClosedChannelException()), "Ollama", "POST /api/generate", false)
                .message()).isEqualTo("POST /api/generate: connection refused, nothing listens at the server's address"
                        + " (is Ollama running?)");
    }

    @Test
    @DisplayName("the baseline kind of a status is one table for every provider")
    void statuses() {
        assertThat(WireFailures.ofStatus(400)).isEqualTo(FailureKind.INVALID_REQUEST);
        assertThat(WireFailures.ofStatus(422)).isEqualTo(FailureKind.INVALID_REQUEST);
        assertThat(WireFailures.ofStatus(401)).isEqualTo(FailureKind.UNAUTHORIZED);
        assertThat(WireFailures.ofStatus(403)).isEqualTo(FailureKind.UNAUTHORIZED);
        assertThat(WireFailures.ofStatus(404)).isEqualTo(FailureKind.NOT_FOUND);
        assertThat(WireFailures.ofStatus(405)).isEqualTo(FailureKind.NOT_FOUND);
        assertThat(WireFailures.ofStatus(429)).isEqualTo(FailureKind.SERVER_BUSY);
        assertThat(WireFailures.ofStatus(503)).isEqualTo(FailureKind.SERVER_BUSY);
        assertThat(WireFailures.ofStatus(500)).isEqualTo(FailureKind.SERVER_ERROR);
        assertThat(WireFailures.ofStatus(501)).isEqualTo(FailureKind.NOT_IMPLEMENTED);
        assertThat(WireFailures.ofStatus(413)).isEqualTo(FailureKind.HTTP_ERROR);
        assertThat(WireFailures.ofStatus(502)).isEqualTo(FailureKind.HTTP_ERROR);
    }

    @Test
    @DisplayName("an HTML page is known by its content type or its first bytes")
    void html() {
        byte[] page = "  <!DOCTYPE html><html></html>".getBytes(StandardCharsets.US_ASCII);
        assertThat(WireFailures.isHtml(null, page, page.length)).isTrue();
        assertThat(WireFailures.isHtml("text/html; charset=utf-8", new byte[0], 0)).isTrue();
        byte[] json = "{\"error\":\"x\"}".getBytes(StandardCharsets.US_ASCII);
        assertThat(WireFailures.isHtml("application/json", json, json.length)).isFalse();
    }
}
