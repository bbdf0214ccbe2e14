package dev.orket.sidecar.nvidia.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a byte stream, fed in chunks of any size, into text lines ending in {@code \n} or
 * {@code \r\n}; the lines do not depend on where the chunks were cut.
 *
 * <p>A line longer than the cap is dropped whole (an empty line is handed on in its place) and marks the
 * output as truncated, so one endless line cannot exhaust memory.
 */
public final class LineFramer {

    private final int maxLineBytes;
    private final Consumer<String> sink;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private boolean overlong;
    private boolean truncated;

    /** A framer that hands each complete line, without its line end, to {@code sink}. */
    public LineFramer(int maxLineBytes, Consumer<String> sink) {
        this.maxLineBytes = maxLineBytes;
        this.sink = sink;
    }

    /** Feeds {@code len} bytes of {@code buf} from {@code off}. */
    public void accept(byte[] buf, int off, int len) {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (buf[i] == '\n') {
                append(buf, start, i - start);
                emit();
                start = i + 1;
            }
        }
        append(buf, start, end - start);
    }

    /** Emits the last line when the stream did not end with a line end. */
    public void finish() {
        if (current.size() > 0 || overlong) {
            emit();
        }
    }

    /** Whether some line was dropped for being longer than the cap. */
    public boolean truncated() {
        return truncated;
    }

    private void append(byte[] buf, int off, int len) {
        if (len <= 0 || overlong) {
            return;
        }
        if (current.size() + len > maxLineBytes) {
            overlong = true;
            truncated = true;
            current.reset();
            return;
        }
        current.write(buf, off, len);
    }

    private void emit() {
        if (overlong) {
            overlong = false;
            current.reset();
            // An empty line in its place keeps the numbers of the lines after it right; readers skip empty lines.
            sink.accept("");
            return;
        }
        String line = current.toString(StandardCharsets.UTF_8);
        current.reset();
        sink.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
}
