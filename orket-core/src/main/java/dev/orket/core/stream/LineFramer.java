package dev.orket.core.stream;

import java.util.Arrays;

/**
 * The one line framer of every provider ({@link HttpTransport} feeds it for {@link Framing#LINES}, e.g.
 * Ollama's NDJSON). Splits a byte stream into lines at {@code \n}, dropping one {@code \r} before it, whatever the chunk
 * boundaries: a line may span chunks and a chunk may hold several lines. A line longer than the
 * bound is refused before it is buffered, so a server that never sends a newline cannot exhaust
 * memory. Bytes only: decoding (and UTF-8 validation) is the line consumer's job.
 *
 * <pre>
 * {"model":"m","created_at":"2026-08-22T09:30:00.0031Z","response":"ight","done":false}\n
 * {"model":"m",...,"done":true,"done_reason":"length","eval_count":16,"eval_duration":2519000}\n
 * </pre>
 *
 * <p>Not thread-safe: one framer per response, fed by one thread at a time.
 *
 * @since 0.2
 */
public final class LineFramer {

    /** What {@link #feed} ended with. */
    public enum Status {
        /** All input consumed; waiting for more. */
        MORE,
        /** The sink asked to stop. */
        STOPPED,
        /** A line exceeded the bound. */
        LINE_TOO_LONG
    }

    private final int maxLineBytes;
    private byte[] buffer;
    private int length;

    /**
     * Creates a framer.
     *
     * @param maxLineBytes the longest line accepted, terminator excluded, in bytes
     */
    public LineFramer(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be >= 1 but was " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.buffer = new byte[Math.min(maxLineBytes + 1, 8192)];
    }

    /** Feeds bytes; complete lines go to the sink before this returns. */
    public Status feed(byte[] bytes, int offset, int count, FrameSink sink) {
        int end = offset + count;
        int position = offset;
        while (position < end) {
            int newline = indexOf(bytes, position, end);
            int segmentEnd = newline < 0 ? end : newline;
            int segment = segmentEnd - position;
            if (newline >= 0 && length == 0) {
                // The common case: a whole line inside the chunk, handed over without copying.
                int lineLength = trimCarriageReturn(bytes, position, segment);
                if (lineLength > maxLineBytes) {
                    return Status.LINE_TOO_LONG;
                }
                if (!sink.frame(bytes, position, lineLength)) {
                    return Status.STOPPED;
                }
                position = newline + 1;
                continue;
            }
            // A carriage return may still be buffered: allow one byte over the bound until the newline.
            if ((long) length + segment > (long) maxLineBytes + 1) {
                return Status.LINE_TOO_LONG;
            }
            append(bytes, position, segment);
            if (length > maxLineBytes && buffer[length - 1] != '\r') {
                return Status.LINE_TOO_LONG;
            }
            if (newline < 0) {
                return Status.MORE;
            }
            int lineLength = trimCarriageReturn(buffer, 0, length);
            length = 0;
            if (lineLength > maxLineBytes) {
                return Status.LINE_TOO_LONG;
            }
            if (!sink.frame(buffer, 0, lineLength)) {
                return Status.STOPPED;
            }
            position = newline + 1;
        }
        return Status.MORE;
    }

    /**
     * Ends the input: a last line without a terminator goes to the sink.
     *
     * @return {@link Status#MORE} when there was nothing left or the line was taken, else why not
     */
    public Status finish(FrameSink sink) {
        if (length == 0) {
            return Status.MORE;
        }
        int lineLength = trimCarriageReturn(buffer, 0, length);
        length = 0;
        if (lineLength > maxLineBytes) {
            return Status.LINE_TOO_LONG;
        }
        return sink.frame(buffer, 0, lineLength) ? Status.MORE : Status.STOPPED;
    }

    /** Bytes of an unterminated line held so far. */
    public int pending() {
        return length;
    }

    private void append(byte[] bytes, int offset, int count) {
        if (count == 0) {
            return;
        }
        int needed = length + count;
        if (needed > buffer.length) {
            int grown = (int) Math.min((long) maxLineBytes + 1, Math.max((long) buffer.length * 2, needed));
            buffer = Arrays.copyOf(buffer, grown);
        }
        System.arraycopy(bytes, offset, buffer, length, count);
        length = needed;
    }

    private static int indexOf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int trimCarriageReturn(byte[] bytes, int offset, int count) {
        return count > 0 && bytes[offset + count - 1] == '\r' ? count - 1 : count;
    }
}
