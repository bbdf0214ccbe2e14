package dev.orket.core.kpi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ending in {@code \n} (a {@code \r} before it is dropped), handing
 * each line's bytes and 1-based number to a sink without copying. The buffer grows to the longest
 * line and no further.
 */
final class JsonLines {

    /** Receives one line; the bytes are valid only during the call. */
    @FunctionalInterface
    interface Sink {
        void line(long number, byte[] bytes, int offset, int length) throws IOException;
    }

    private JsonLines() {}

    /** Reads every line of {@code in}, the last one also without a line end. */
    static void read(InputStream in, Sink sink) throws IOException {
        byte[] buffer = new byte[1 << 16];
        int start = 0;
        int end = 0;
        long number = 0;
        while (true) {
            if (end == buffer.length) {
                if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                } else {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
            }
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                break;
            }
            int scan = end;
            end += read;
            for (int i = scan; i < end; i++) {
                if (buffer[i] == '\n') {
                    int length = i - start;
                    if (length > 0 && buffer[i - 1] == '\r') {
                        length--;
                    }
                    sink.line(++number, buffer, start, length);
                    start = i + 1;
                }
            }
        }
        if (end > start) {
            sink.line(++number, buffer, start, end - start);
        }
    }
}
