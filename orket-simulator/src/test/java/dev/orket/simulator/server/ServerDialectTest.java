package dev.orket.simulator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ServerDialectTest {

    @Test
    @DisplayName("finds a built-in dialect by its name in either case, and names the built-in ones for an unknown name")
    void builtInByName() {
        assertThat(ServerDialect.builtIn("llamacpp_chat")).isSameAs(ServerDialect.LLAMACPP_CHAT);
        assertThat(ServerDialect.builtIn("OLLAMA_GENERATE")).isSameAs(ServerDialect.OLLAMA_GENERATE);
        assertThatThrownBy(() -> ServerDialect.builtIn("vllm")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown built-in dialect 'vllm'; the built-in ones are [llamacpp_completion, llamacpp_chat,"
                        + " ollama_generate, ollama_chat]. A dialect of your own is an instance of your ServerDialect"
                        + " implementation, not a name.");
    }

    @Test
    @DisplayName("refuses a shape the dialect does not write, naming both")
    void unsupportedShape() {
        assertThat(ServerDialect.LLAMACPP_COMPLETION.supports(Shape.NO_DONE)).isFalse();
        assertThatThrownBy(() -> ServerDialect.LLAMACPP_COMPLETION.script(true, Answer.fixture("m"),
                ScriptTimeline.DEFAULT, Shape.NO_DONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("llamacpp_completion").hasMessageContaining("NO_DONE");
    }

    @Test
    @DisplayName("the default raw token event is the dialect's token event with the raw bytes as its text")
    void defaultRawTokenEvent() {
        ServerDialect delegating = new Delegating(ServerDialect.OLLAMA_GENERATE);
        byte[] raw = delegating.rawTokenEvent(new byte[] {'x', (byte) 0xC3, (byte) 0x28, 'y'});
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("{\"model\":\"tiny-random-llama\",\"created_at\":").contains(
                "\"response\":\"x\u00c3(y\",\"done\":false}").endsWith("\n");
    }

    @Test
    @DisplayName("an error script keeps the dialect's headers with the error's content type")
    void errorScriptHeaders() {
        ServerDialect.HttpError error = ServerDialect.LLAMACPP_CHAT.httpError(404);
        Script script = DialectScripts.errorScript(ServerDialect.LLAMACPP_CHAT, "e", error, java.time.Duration.ZERO);
        assertThat(script.headers()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("Server", "Access-Control-Allow-Origin", "Content-Type");
        assertThat(script.status()).isEqualTo(404);
        assertThatThrownBy(() -> new ServerDialect.HttpError(200, "text/plain", "", dev.orket.api.FailureKind.HTTP_ERROR))
                .hasMessageContaining("[400, 599]").hasMessageContaining("200");
    }

    /** A dialect of one's own that reuses a built-in one's bytes but not its raw token event. */
    private static final class Delegating implements ServerDialect {
        private final ServerDialect inner;

        Delegating(ServerDialect inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return "delegating";
        }

        @Override
        public dev.orket.api.PromptStyle promptStyle() {
            return inner.promptStyle();
        }

        @Override
        public String path() {
            return inner.path();
        }

        @Override
        public java.util.List<java.util.Map.Entry<String, String>> headers(boolean stream) {
            return inner.headers(stream);
        }

        @Override
        public byte[] tokenEvent(Answer answer, int index, ScriptTimeline timeline, Shape shape) {
            return inner.tokenEvent(answer, index, timeline, shape);
        }

        @Override
        public java.util.List<byte[]> closing(Answer answer, ScriptTimeline timeline, Shape shape) {
            return inner.closing(answer, timeline, shape);
        }

        @Override
        public byte[] nonStreamingBody(Answer answer, ScriptTimeline timeline, Shape shape) {
            return inner.nonStreamingBody(answer, timeline, shape);
        }

        @Override
        public byte[] malformedEvent() {
            return inner.malformedEvent();
        }

        @Override
        public byte[] errorEvent() {
            return inner.errorEvent();
        }

        @Override
        public HttpError httpError(int status) {
            return inner.httpError(status);
        }

        @Override
        public Dispatcher dispatcher(String model, boolean ready, Dispatcher generation) {
            return inner.dispatcher(model, ready, generation);
        }
    }
}
