package dev.orket.simulator.server;

import dev.orket.simulator.internal.JsonTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One recorded HTTP/1.1 exchange as the {@code fixtures/*}{@code /NAME.http} files hold it: the exact
 * request bytes immediately followed by the exact response bytes, chunked framing included.
 *
 * <pre>
 * POST /completion HTTP/1.1\r\n ... Content-Length: 72\r\n\r\n{"prompt":...}\n
 * HTTP/1.1 200 OK\r\n ... Transfer-Encoding: chunked\r\n\r\n78\r\ndata: {...}\n\n\r\n ... 0\r\n\r\n
 * </pre>
 *
 * Split rule: the response starts right after the request head's {@code \r\n\r\n} plus
 * {@code Content-Length} body bytes.
 *
 * @param request the request
 * @param response the response
 * @since 0.1
 */
public record RecordedExchange(RecordedRequest request, RecordedResponse response) {

    public RecordedExchange {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
    }

    /**
     * Parses a {@code .http} file's bytes; the stream is read to its end, not closed.
     *
     * @throws IllegalArgumentException naming the offset when the bytes are not a request and a response
     */
    public static RecordedExchange parse(InputStream in) {
        try {
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a {@code .http} file. */
    public static RecordedExchange load(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Parses every {@code *.http} file of a directory (not recursive), keyed by file name without the
     * extension, in name order: for replaying every fixture a module carries.
     */
    public static java.util.SortedMap<String, RecordedExchange> loadDirectory(Path directory) {
        java.util.SortedMap<String, RecordedExchange> exchanges = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".http"))::iterator) {
                String name = file.getFileName().toString();
                exchanges.put(name.substring(0, name.length() - ".http".length()), load(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return exchanges;
    }

    /** Parses a {@code .http} file's bytes. */
    public static RecordedExchange parse(byte[] bytes) {
        Cursor cursor = new Cursor(bytes);
        String[] requestHead = cursor.head("request");
        String[] requestLine = requestHead[0].split(" ");
        if (requestLine.length < 3 || !requestLine[2].startsWith("HTTP/")) {
            throw new IllegalArgumentException("not an HTTP request line at offset 0: " + requestHead[0]);
        }
        List<Map.Entry<String, String>> requestHeaders = headers(requestHead);
        String length = find(requestHeaders, "Content-Length");
        byte[] requestBody = length == null ? new byte[0] : cursor.take(Integer.parseInt(length.trim()), "request body");
        RecordedRequest request = new RecordedRequest(requestLine[0], requestLine[1], requestHeaders, requestBody);

        int responseStart = cursor.position;
        String[] responseHead = cursor.head("response");
        String statusLine = responseHead[0];
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IllegalArgumentException("no HTTP status line at offset " + responseStart + ": " + statusLine);
        }
        int firstSpace = statusLine.indexOf(' ');
        int secondSpace = statusLine.indexOf(' ', firstSpace + 1);
        int status = Integer.parseInt(statusLine.substring(firstSpace + 1, secondSpace < 0 ? statusLine.length() : secondSpace));
        String reason = secondSpace < 0 ? "" : statusLine.substring(secondSpace + 1);
        List<Map.Entry<String, String>> responseHeaders = headers(responseHead);
        String encoding = find(responseHeaders, "Transfer-Encoding");
        boolean chunked = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
        List<byte[]> chunks = new ArrayList<>();
        if (chunked) {
            while (true) {
                String sizeLine = cursor.line("chunk size");
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    break;
                }
                chunks.add(cursor.take(size, "chunk"));
                cursor.line("chunk end");
            }
        } else {
            String responseLength = find(responseHeaders, "Content-Length");
            chunks.add(responseLength == null ? cursor.rest()
                    : cursor.take(Integer.parseInt(responseLength.trim()), "response body"));
        }
        return new RecordedExchange(request, new RecordedResponse(status, reason, responseHeaders, chunked, chunks));
    }

    /**
     * The response as a script on a timeline: the head at {@code headersAt}; each chunk carrying
     * generated text at the next token offset (awaiting {@link Await#CONTENT}); other chunks at
     * {@code firstTokenAt} before the first text, at the previous text's offset between texts, and at
     * the end after the last; the end at {@link ScriptTimeline#endAt} of the text chunk count. A
     * non-chunked response is sent whole at {@code firstTokenAt}. The end awaits a terminal client
     * event when the request was a {@code POST} (a run), nothing otherwise (a probe or a listing).
     */
    public Script toScript(ScriptTimeline timeline) {
        return toScript(timeline, request.method().equals("POST") ? Await.TERMINAL : Await.NOTHING);
    }

    /** As {@link #toScript(ScriptTimeline)}, with the end awaiting {@code endAwait}. */
    public Script toScript(ScriptTimeline timeline, Await endAwait) {
        Script.Builder builder = Script.builder(response.status()).reason(response.reason())
                .name(request.method() + " " + request.target() + " (recorded)");
        for (Map.Entry<String, String> header : response.headers()) {
            builder.header(header.getKey(), header.getValue());
        }
        List<byte[]> chunks = response.chunks();
        if (!response.chunked()) {
            Duration at = timeline.firstTokenAt();
            return builder.head(at, Await.NOTHING).data(at, chunks.get(0), Await.NOTHING).end(at, endAwait).build();
        }
        builder.chunked().head(timeline.headersAt(), Await.RESPONSE_STARTED);
        boolean[] content = new boolean[chunks.size()];
        int total = 0;
        for (int i = 0; i < chunks.size(); i++) {
            content[i] = carriesText(chunks.get(i));
            total += content[i] ? 1 : 0;
        }
        Duration end = timeline.endAt(total);
        int seen = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Duration at;
            if (content[i]) {
                at = timeline.tokenAt(seen);
                seen++;
            } else if (seen == 0) {
                at = total == 0 ? end : timeline.firstTokenAt();
            } else {
                at = seen == total ? end : timeline.tokenAt(seen - 1);
            }
            builder.data(at, chunks.get(i), content[i] ? Await.CONTENT : Await.NOTHING);
        }
        return builder.end(end, endAwait).build();
    }

    /**
     * Whether a piece of an SSE or NDJSON body carries generated text: a non-empty {@code content}
     * (llama.cpp native), {@code choices[0].delta.content} or {@code choices[0].text} (OpenAI),
     * {@code response} or {@code message.content} (Ollama).
     */
    public static boolean carriesText(byte[] piece) {
        for (String line : new String(piece, StandardCharsets.UTF_8).split("\n")) {
            String payload = line.startsWith("data:") ? line.substring(5).trim() : line.trim();
            if (payload.isEmpty() || payload.startsWith(":") || payload.equals("[DONE]")) {
                continue;
            }
            Object event;
            try {
                event = JsonTree.parse(payload);
            } catch (IOException e) {
                continue;
            }
            Object choice = JsonTree.at(event, "choices") instanceof List && !((List<?>) JsonTree.at(event, "choices")).isEmpty()
                    ? ((List<?>) JsonTree.at(event, "choices")).get(0)
                    : null;
            if (nonEmpty(JsonTree.at(event, "content")) || nonEmpty(JsonTree.at(event, "response"))
                    || nonEmpty(JsonTree.at(event, "message", "content")) || nonEmpty(JsonTree.at(choice, "delta", "content"))
                    || nonEmpty(JsonTree.at(choice, "text"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean nonEmpty(@org.jspecify.annotations.Nullable Object value) {
        return value instanceof String && !((String) value).isEmpty();
    }

    private static List<Map.Entry<String, String>> headers(String[] head) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            if (colon > 0) {
                headers.add(new AbstractMap.SimpleImmutableEntry<>(head[i].substring(0, colon),
                        head[i].substring(colon + 1).trim()));
            }
        }
        return headers;
    }

    private static @org.jspecify.annotations.Nullable String find(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** Reads the file's bytes in order. */
    private static final class Cursor {
        private final byte[] bytes;
        private int position;

        Cursor(byte[] bytes) {
            this.bytes = bytes;
        }

        String[] head(String what) {
            for (int i = position; i + 3 < bytes.length; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                    String head = new String(bytes, position, i - position, StandardCharsets.ISO_8859_1);
                    position = i + 4;
                    return head.split("\r\n");
                }
            }
            throw new IllegalArgumentException("no end of the " + what + " head (CRLF CRLF) after offset " + position);
        }

        String line(String what) {
            for (int i = position; i + 1 < bytes.length; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    String line = new String(bytes, position, i - position, StandardCharsets.ISO_8859_1);
                    position = i + 2;
                    return line;
                }
            }
            throw new IllegalArgumentException("no CRLF after the " + what + " at offset " + position);
        }

        byte[] take(int length, String what) {
            if (position + length > bytes.length) {
                throw new IllegalArgumentException("the " + what + " at offset " + position + " needs " + length
                        + " bytes but " + (bytes.length - position) + " remain");
            }
            byte[] taken = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return taken;
        }

        byte[] rest() {
            byte[] taken = Arrays.copyOfRange(bytes, position, bytes.length);
            position = bytes.length;
            return taken;
        }
    }
}
