package dev.orket.core.stream;

/**
 * Receives the frames of a response body, one at a time: an SSE event's data ({@link SseFramer}) or one line
 * ({@link LineFramer}), without the framing bytes.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface FrameSink {

    /**
     * One frame; the bytes are valid only during the call (the array is reused).
     *
     * @return false to stop framing: the run reached its terminal event and the rest of the body is not wanted
     */
    boolean frame(byte[] bytes, int offset, int length);
}
