package dev.orket.provider.ollama;

import dev.orket.simulator.server.RecordedExchange;
import dev.orket.simulator.server.Script;
import dev.orket.simulator.server.ScriptTimeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One {@code .http} fixture from {@code src/test/resources/fixtures/ollama}: request bytes immediately
 * followed by response bytes. Split rule: response = bytes after {@code index("\r\n\r\n") + 4 + Content-Length}.
 */
record Fixture(String name, byte[] request, byte[] response) {

    static Fixture load(String name) {
        byte[] all = resource("/fixtures/ollama/" + name);
        int headerEnd = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        String head = new String(all, 0, headerEnd, StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        int split = headerEnd + 4 + length;
        return new Fixture(name, Arrays.copyOfRange(all, 0, split), Arrays.copyOfRange(all, split, all.length));
    }

    static byte[] resource(String path) {
        try (InputStream in = Fixture.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** The request body. */
    String requestBody() {
        int headerEnd = indexOf(request, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        return new String(request, headerEnd + 4, request.length - headerEnd - 4, StandardCharsets.UTF_8);
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
