package dev.orket.core.stream;

/**
 * How the transport reads a successful (2xx) response body for a provider's decoder.
 *
 * @since 0.2
 */
public enum Framing {
    /** Server-sent events ({@code text/event-stream}): each event's data goes to {@link ResponseDecoder#frame}. */
    SSE_EVENTS,
    /** Lines ending in {@code \n} (NDJSON): each line goes to {@link ResponseDecoder#frame}. */
    LINES,
    /** The whole body, up to the transport's body limit, goes to {@link ResponseDecoder#wholeBody}. */
    WHOLE_BODY
}
