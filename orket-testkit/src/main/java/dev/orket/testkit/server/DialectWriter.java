package dev.orket.testkit.server;

import dev.orket.api.FailureKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Writes one wire dialect's events and bodies. */
abstract class DialectWriter {

    /** An error response: the script and the failure kind a correct client reports. */
    static final class HttpError {
        final int status;
        final String contentType;
        final String body;
        final FailureKind kind;

        HttpError(int status, String contentType, String body, FailureKind kind) {
            this.status = status;
            this.contentType = contentType;
            this.body = body;
            this.kind = kind;
        }
    }

    abstract String path();

    /** Headers of a successful response, framing headers excluded. */
    abstract List<String[]> headers(boolean stream);

    /** Bytes sent before the first token without a client event (OpenAI's role delta), or null. */
    byte @Nullable [] preamble(Answer answer) {
        return null;
    }

    abstract byte[] tokenEvent(Answer answer, int index, ScriptTimeline timeline, Shape shape);

    /** The events at the end of a stream, all sent at the final offset. */
    abstract List<byte[]> closing(Answer answer, ScriptTimeline timeline, Shape shape);

    abstract byte[] nonStreamingBody(Answer answer, ScriptTimeline timeline, Shape shape);

    /** A syntactically broken event in this dialect's framing. */
    abstract byte[] malformedEvent();

    /** The error event a server sends after the stream started. */
    abstract byte[] errorEvent();

    /** The event carrying one token of {@code text}, for the oversized and invalid UTF-8 faults. */
    abstract byte[] rawTokenEvent(byte[] jsonStringContent);

    abstract HttpError httpError(int status);

    /** What the server sends to keep an idle stream open: an SSE comment ({@code :}), Ollama a blank line. */
    byte[] keepAlive() {
        return utf8(":\n\n");
    }

    /** Whether this dialect reports the server's model load time. */
    abstract boolean reportsLoad();

    /** Whether this dialect reports prompt tokens served from the cache. */
    abstract boolean reportsCachedPromptTokens();

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] sse(String json) {
        return utf8("data: " + json + "\n\n");
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int position = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, position, part.length);
            position += part.length;
        }
        return all;
    }
}
