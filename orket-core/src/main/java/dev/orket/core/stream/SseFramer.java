package dev.orket.core.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits a server-sent-events byte stream into events, at the byte level, without decoding text: the
 * one SSE framer of every provider ({@link HttpTransport} feeds it for {@link Framing#SSE_EVENTS}).
 * Sample of the wire format it reads (llama-server):
 *
 * <pre>
 * data: {"index":0,"content":"ight","tokens":[523],"stop":false}\n
 * \n
 * :\n
 * \n
 * data: [DONE]\n
 * \n
 * </pre>
 *
 * <p>Lines end with LF (a CR before it is dropped). A line starting with {@code :} is a comment (a
 * keep-alive ping) and is ignored, as are {@code event:}, {@code id:} and {@code retry:} lines. The
 * values of an event's {@code data:} lines (one optional space after the colon removed) are joined
 * with LF and handed to the {@link FrameSink} when the blank line that ends the event arrives; bytes
 * after the last complete event are not an event. Chunk boundaries do not matter: several events may
 * share one chunk and one event may be split across many. A line or event longer than the limit is
 * an {@link EventTooLargeException}; nothing grows past the limit.
 *
 * <p>Not thread-safe; one instance per stream.
 *
 * @since 0.2
 */
public final class SseFramer {

    /** An SSE line or event exceeded the configured limit. */
    public static final class EventTooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        EventTooLargeException(String message) {
            super(message);
        }
    }

    private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};

    private final FrameSink listener;
    private final int maxEventBytes;
    private byte[] buf;
    private int start;
    private int end;
    /** Where the scan for the next LF resumes (between start and end). */
    private int scan;
    private boolean hasData;
    /** Whether the pending data is a range of {@link #dataArray} (the buffer, or the array being fed). */
    private boolean dataInPlace;
    private byte[] dataArray = new byte[0];
    private int dataStart;
    private int dataEnd;
    private byte[] dataBuf = new byte[0];
    private int dataLen;
    private boolean stopped;

    /**
     * @param listener receives each event
     * @param maxEventBytes the longest line and the longest event's data, in bytes
     */
    public SseFramer(FrameSink listener, int maxEventBytes) {
        if (maxEventBytes <= 0) {
            throw new IllegalArgumentException("maxEventBytes must be > 0 but was " + maxEventBytes);
        }
        this.listener = listener;
        this.maxEventBytes = maxEventBytes;
        this.buf = new byte[Math.min(16 * 1024, maxEventBytes + 2)];
    }

    /** Whether the listener asked to stop. */
    public boolean stopped() {
        return stopped;
    }

    /** Frames the remaining bytes of a buffer, consuming them. */
    public void feed(ByteBuffer chunk) throws EventTooLargeException {
        if (chunk.hasArray()) {
            feed(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
            chunk.position(chunk.limit());
            return;
        }
        while (chunk.hasRemaining() && !stopped) {
            int n = Math.min(chunk.remaining(), room());
            chunk.get(buf, end, n);
            end += n;
            frame();
        }
        chunk.position(chunk.limit());
    }

    /**
     * Frames bytes from an array. Lines that are whole in the array while nothing is buffered are framed where they
     * are, without a copy (events are mostly one to a chunk); only an unfinished tail is buffered.
     */
    public void feed(byte[] bytes, int offset, int length) throws EventTooLargeException {
        int pos = offset;
        int limit = offset + length;
        if (start == end && !stopped) {
            pos = frameInPlace(bytes, offset, limit);
            if (hasData && dataInPlace && dataArray == bytes) {
                // The caller's array is not ours once this returns.
                copyPendingData();
            }
        }
        while (pos < limit && !stopped) {
            int n = Math.min(limit - pos, room());
            System.arraycopy(bytes, pos, buf, end, n);
            end += n;
            pos += n;
            frame();
        }
    }

    /** Frames the whole lines of the array; returns where the unframed tail starts. */
    private int frameInPlace(byte[] bytes, int from, int limit) throws EventTooLargeException {
        int lineStart = from;
        for (int i = from; i < limit; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            int lineEnd = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i;
            if (lineEnd - lineStart > maxEventBytes) {
                throw tooLarge(lineEnd - lineStart);
            }
            line(bytes, lineStart, lineEnd);
            lineStart = i + 1;
            if (stopped) {
                return limit;
            }
        }
        return lineStart;
    }

    /** Free space at the end of the buffer after compacting or growing; always at least one byte. */
    private int room() throws EventTooLargeException {
        if (end < buf.length) {
            return buf.length - end;
        }
        compact();
        if (end < buf.length) {
            return buf.length - end;
        }
        // The buffer holds one incomplete line only.
        if (end - start > maxEventBytes + 1) {
            throw tooLarge(end - start);
        }
        buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, (long) maxEventBytes + 2));
        return buf.length - end;
    }

    private void compact() {
        if (hasData && dataInPlace && dataArray == buf) {
            copyPendingData();
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            scan -= start;
            start = 0;
        }
    }

    private void frame() throws EventTooLargeException {
        final byte[] b = buf;
        int i = scan;
        final int e = end;
        while (i < e) {
            if (b[i] != '\n') {
                i++;
                continue;
            }
            int lineEnd = i > start && b[i - 1] == '\r' ? i - 1 : i;
            int lineStart = start;
            start = i + 1;
            i = start;
            if (lineEnd - lineStart > maxEventBytes) {
                throw tooLarge(lineEnd - lineStart);
            }
            line(b, lineStart, lineEnd);
            if (stopped) {
                scan = i;
                return;
            }
        }
        scan = i;
        if (e - start > maxEventBytes + 1) {
            throw tooLarge(e - start);
        }
        if (start == end) {
            if (hasData && dataInPlace && dataArray == buf) {
                copyPendingData();
            }
            start = 0;
            end = 0;
            scan = 0;
        }
    }

    private void line(byte[] b, int from, int to) throws EventTooLargeException {
        int length = to - from;
        if (length == 0) {
            dispatch();
            return;
        }
        if (b[from] == ':') {
            return;
        }
        if (length >= 5 && b[from] == 'd' && b[from + 1] == 'a' && b[from + 2] == 't' && b[from + 3] == 'a'
                && b[from + 4] == ':') {
            int valueStart = from + 5;
            if (valueStart < to && b[valueStart] == ' ') {
                valueStart++;
            }
            data(b, valueStart, to);
        } else if (length == 4 && b[from] == 'd' && b[from + 1] == 'a' && b[from + 2] == 't' && b[from + 3] == 'a') {
            data(b, to, to);
        }
        // Other fields (event, id, retry) carry nothing an inference server's clients need.
    }

    private void data(byte[] b, int from, int to) throws EventTooLargeException {
        if (!hasData) {
            hasData = true;
            dataInPlace = true;
            dataArray = b;
            dataStart = from;
            dataEnd = to;
            return;
        }
        if (dataInPlace) {
            copyPendingData();
        }
        appendData(new byte[] {'\n'}, 0, 1);
        appendData(b, from, to - from);
    }

    private void copyPendingData() {
        int n = dataEnd - dataStart;
        if (dataBuf.length < n) {
            dataBuf = new byte[Math.max(n, 256)];
        }
        System.arraycopy(dataArray, dataStart, dataBuf, 0, n);
        dataLen = n;
        dataInPlace = false;
    }

    private void appendData(byte[] b, int from, int n) throws EventTooLargeException {
        if ((long) dataLen + n > maxEventBytes) {
            throw tooLarge((long) dataLen + n);
        }
        if (dataBuf.length < dataLen + n) {
            dataBuf = Arrays.copyOf(dataBuf, (int) Math.min(Math.max((long) dataBuf.length * 2, dataLen + n),
                    maxEventBytes));
        }
        System.arraycopy(b, from, dataBuf, dataLen, n);
        dataLen += n;
    }

    private void dispatch() {
        if (!hasData) {
            return;
        }
        boolean more = dataInPlace
                ? listener.frame(dataArray, dataStart, dataEnd - dataStart)
                : listener.frame(dataBuf, 0, dataLen);
        hasData = false;
        dataInPlace = false;
        dataLen = 0;
        if (!more) {
            stopped = true;
        }
    }

    private EventTooLargeException tooLarge(long size) {
        stopped = true;
        return new EventTooLargeException("an SSE line or event exceeded " + maxEventBytes + " bytes (at least "
                + size + " bytes buffered)");
    }

    /**
     * Whether an event's data is {@code [DONE]}, the end marker of OpenAI-compatible streams (llama-server's
     * {@code /v1} endpoints, vLLM, SGLang and the rest), which is not JSON.
     */
    public static boolean isDone(byte[] data, int offset, int length) {
        if (length != DONE.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (data[offset + i] != DONE[i]) {
                return false;
            }
        }
        return true;
    }
}
