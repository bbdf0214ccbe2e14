package dev.orket.provider.openai;

import dev.orket.api.PromptStyle;
import dev.orket.simulator.server.RecordedExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The real llama-server captures in {@code src/test/resources/fixtures/llamacpp}. */
final class Fixtures {
    private Fixtures() {}

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream("fixtures/llamacpp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource fixtures/llamacpp/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RecordedExchange exchange(String name) {
        return RecordedExchange.parse(bytes(name));
    }

    /** The prompt style of the capture's request: its path; a GET answer is replayed as a chat run's. */
    static PromptStyle style(RecordedExchange exchange) {
        return exchange.request().target().startsWith("/v1/completions") ? PromptStyle.COMPLETION : PromptStyle.CHAT;
    }

    /** Whether the capture's request asked for a stream. */
    static boolean stream(RecordedExchange exchange) {
        return new String(exchange.request().body(), StandardCharsets.UTF_8).contains("\"stream\":true");
    }
}
