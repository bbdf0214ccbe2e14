package dev.orket.simulator.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds a dialect's scripts from its bytes, once for every dialect, and the byte pieces dialects share. */
final class DialectScripts {

    private DialectScripts() {}

    /** The head of a successful response: status 200, the dialect's headers, chunked when streaming. */
    static Script.Builder successHead(ServerDialect dialect, boolean stream) {
        Script.Builder builder = Script.builder(200).name(dialect.name().toLowerCase(Locale.ROOT)
                + (stream ? "-stream" : "-nonstream"));
        for (Map.Entry<String, String> header : dialect.headers(stream)) {
            builder.header(header.getKey(), header.getValue());
        }
        if (stream) {
            builder.chunked();
        }
        return builder;
    }

    /** The opening of a stream: head, preamble and the first {@code tokens} token events. */
    static Script.Builder streamOpening(ServerDialect dialect, Answer answer, ScriptTimeline timeline, int tokens) {
        return streamOpening(dialect, answer, timeline, tokens, Shape.NORMAL);
    }

    static Script.Builder streamOpening(ServerDialect dialect, Answer answer, ScriptTimeline timeline, int tokens,
            Shape shape) {
        Script.Builder builder = successHead(dialect, true).head(timeline.headersAt(), Await.RESPONSE_STARTED);
        byte[] preamble = dialect.preamble(answer);
        if (preamble != null && answer.outputTokens() > 0) {
            builder.data(timeline.firstTokenAt(), preamble, Await.NOTHING);
        }
        for (int i = 0; i < tokens; i++) {
            builder.data(timeline.tokenAt(i), dialect.tokenEvent(answer, i, timeline, shape),
                    answer.tokens().get(i).isEmpty() ? Await.NOTHING : Await.CONTENT);
        }
        return builder;
    }

    static Script shaped(ServerDialect dialect, boolean stream, Answer answer, ScriptTimeline timeline, Shape shape) {
        Duration end = timeline.endAt(answer.outputTokens());
        if (!stream) {
            return successHead(dialect, false).head(end, Await.NOTHING)
                    .data(end, dialect.nonStreamingBody(answer, timeline, shape), Await.NOTHING).end(end, Await.TERMINAL)
                    .build();
        }
        Script.Builder builder = streamOpening(dialect, answer, timeline, answer.outputTokens(), shape);
        for (byte[] event : dialect.closing(answer, timeline, shape)) {
            builder.data(end, event, Await.NOTHING);
        }
        return builder.end(end, Await.TERMINAL).build();
    }

    /**
     * An error response of the dialect: its non-streaming headers with the error's {@code Content-Type}, the body at
     * one offset.
     */
    static Script errorScript(ServerDialect dialect, String name, ServerDialect.HttpError error, Duration at) {
        Script.Builder builder = Script.builder(error.status()).name(name);
        boolean typed = false;
        for (Map.Entry<String, String> header : dialect.headers(false)) {
            boolean contentType = header.getKey().equalsIgnoreCase("Content-Type");
            typed |= contentType;
            builder.header(header.getKey(), contentType ? error.contentType() : header.getValue());
        }
        if (!typed) {
            builder.header("Content-Type", error.contentType());
        }
        return builder.head(at, Await.NOTHING).data(at, utf8(error.body()), Await.NOTHING).end(at, Await.TERMINAL)
                .build();
    }

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

    /** The headers as {@code name, value} pairs. */
    static List<Map.Entry<String, String>> headers(String... namesAndValues) {
        return ServerDialect.headerList(namesAndValues);
    }
}
