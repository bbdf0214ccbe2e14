package dev.orket.core.stream;

import dev.orket.api.Capability;
import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.Readiness;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The smallest provider on the transport, for its tests: each body line is one token, {@code DONE} ends the run;
 * a whole body is the answer. What a provider adds to the transport and nothing more.
 */
final class LineProvider implements InferenceProvider {

    final HttpTransport transport;

    LineProvider(ProviderConfig config) {
        this(HttpTransport.builder(config, "line-server").build());
    }

    LineProvider(HttpTransport transport) {
        this.transport = transport;
    }

    @Override
    public String id() {
        return "line";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.STREAMING, Capability.NON_STREAMING);
    }

    @Override
    public Readiness probe(String model) {
        return Readiness.readyNow();
    }

    @Override
    public void execute(RunRequest request, RunRecorder recorder) {
        transport.run(request, recorder, "/run", "{}".getBytes(StandardCharsets.UTF_8), "text/plain", Decoder::new);
    }

    @Override
    public void close() {
        transport.close();
    }

    /** Lines to tokens. */
    static final class Decoder implements ResponseDecoder {
        private final RunEvents events;

        Decoder(RunEvents events) {
            this.events = events;
        }

        @Override
        public Framing framing(ResponseHead head) {
            return head.isContentType("text/plain") ? Framing.LINES : Framing.WHOLE_BODY;
        }

        @Override
        public boolean frame(byte[] bytes, int offset, int length) {
            String line = new String(bytes, offset, length, StandardCharsets.UTF_8);
            if (line.isEmpty()) {
                return true;
            }
            if (line.equals("DONE")) {
                events.finish(new WireEvent.Completed(FinishReason.STOP));
                return false;
            }
            return events.emit(new WireEvent.ContentDelta(line, 1));
        }

        @Override
        public void endOfBody() {
            events.fail(FailureKind.INCOMPLETE_RESPONSE, "no DONE line", 200);
        }

        @Override
        public void wholeBody(ResponseHead head, byte[] body, int length) {
            if (events.emit(new WireEvent.ResponseBody(new String(body, 0, length, StandardCharsets.UTF_8)))) {
                events.finish(new WireEvent.Completed(FinishReason.STOP));
            }
        }

        @Override
        public WireEvent.@Nullable Failed refineError(ResponseHead head, byte[] body, int length) {
            String text = new String(body, 0, length, StandardCharsets.UTF_8);
            return text.contains("loading") ? new WireEvent.Failed(FailureKind.MODEL_LOADING, text, head.status()) : null;
        }
    }
}
