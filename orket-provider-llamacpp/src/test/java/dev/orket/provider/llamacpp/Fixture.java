package dev.orket.provider.llamacpp;

import dev.orket.simulator.server.RecordedExchange;
import dev.orket.simulator.server.Script;
import dev.orket.simulator.server.ScriptTimeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One captured llama-server exchange from {@code src/test/resources/fixtures/llamacpp}: the request
 * bytes followed by the response bytes; response = bytes after the request's header block and its
 * {@code Content-Length} body.
 */
record Fixture(String name, byte[] request, byte[] response) {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\nContent-Length: *(\\d+)");

    static Fixture load(String name) {
        byte[] all = resource("fixtures/llamacpp/" + name);
        int headerEnd = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0) + 4;
        String head = new String(all, 0, headerEnd, StandardCharsets.ISO_8859_1);
        Matcher m = CONTENT_LENGTH.matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        int split = headerEnd + length;
        return new Fixture(name, Arrays.copyOf(all, split), Arrays.copyOfRange(all, split, all.length));
    }

    static byte[] resource(String path) {
        try (InputStream in = Fixture.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String requestText() {
        return new String(request, StandardCharsets.UTF_8);
    }

    String requestLine() {
        String text = requestText();
        return text.substring(0, text.indexOf("\r\n"));
    }

    /** The request body (empty for GETs). */
    String requestBody() {
        String text = requestText();
        return text.substring(text.indexOf("\r\n\r\n") + 4);
    }

    int status() {
        String text = new String(response, 0, Math.min(response.length, 64), StandardCharsets.ISO_8859_1);
        return Integer.parseInt(text.substring(9, 12));
    }

    /** The capture as the simulator parses it: request and response, head and chunks as captured. */
    RecordedExchange exchange() {
        byte[] all = Arrays.copyOf(request, request.length + response.length);
        System.arraycopy(response, 0, all, request.length, response.length);
        return RecordedExchange.parse(all);
    }

    /** The captured response as a script of the simulator's server, every chunk as captured, sent at once. */
    Script script() {
        return exchange().toScript(ScriptTimeline.IMMEDIATE);
    }

    /** The response body after the header block (still chunk-framed for chunked responses). */
    byte[] rawResponseBody() {
        int at = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0) + 4;
        return Arrays.copyOfRange(response, at, response.length);
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
