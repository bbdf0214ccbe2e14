package dev.orket.core.stream;

import dev.orket.api.spi.WireEvent;
import org.jspecify.annotations.Nullable;

/**
 * What a provider adds to the {@link HttpTransport} for one run: it turns the bytes of the response into
 * canonical events, reported to the run's {@link RunEvents} (given when the decoder was made). The transport
 * owns everything else: sending, {@code RequestSent}, {@code ResponseStarted}, framing, deadlines, size
 * limits, transport failures, HTML pages and the baseline kind of a status.
 *
 * <p>Called on the HTTP client's threads, one call at a time.
 *
 * @since 0.2
 */
public interface ResponseDecoder extends FrameSink {

    /** How to read the body of a 2xx response that is not an HTML page; called once, after its head. */
    Framing framing(ResponseHead head);

    /**
     * One SSE event's data or one line ({@link Framing#SSE_EVENTS}, {@link Framing#LINES}).
     *
     * @return false once the decoder reported the run's terminal event
     */
    @Override
    boolean frame(byte[] bytes, int offset, int length);

    /** The framed body ended cleanly; report what an unfinished response means (the run may have ended already). */
    void endOfBody();

    /** The whole body of a {@link Framing#WHOLE_BODY} response; valid only during the call. */
    void wholeBody(ResponseHead head, byte[] body, int length);

    /**
     * Refines a non-2xx answer from its body (the first bytes, up to the transport's error limit; possibly empty,
     * never a non-empty HTML page): the failure to report, after any facts the body carries have been emitted, or null to
     * report the status's baseline kind ({@link WireFailures#ofStatus}).
     */
    WireEvent.@Nullable Failed refineError(ResponseHead head, byte[] body, int length);
}
