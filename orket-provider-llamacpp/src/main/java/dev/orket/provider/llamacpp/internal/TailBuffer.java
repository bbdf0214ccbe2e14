package dev.orket.provider.llamacpp.internal;

import java.nio.charset.StandardCharsets;

/** A bounded ring buffer of the last bytes a process wrote; thread-safe. */
public final class TailBuffer {
    private final byte[] ring;
    private long written;

    public TailBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0 but was " + capacity);
        }
        this.ring = new byte[capacity];
    }

    /** Appends bytes, dropping the oldest beyond the capacity. */
    public synchronized void write(byte[] bytes, int offset, int length) {
        int from = offset;
        int n = length;
        if (n > ring.length) {
            from += n - ring.length;
            written += n - ring.length;
            n = ring.length;
        }
        int pos = (int) (written % ring.length);
        int first = Math.min(n, ring.length - pos);
        System.arraycopy(bytes, from, ring, pos, first);
        System.arraycopy(bytes, from + first, ring, 0, n - first);
        written += n;
    }

    /** The bytes kept, oldest first, decoded as UTF-8 (a character cut at the start becomes U+FFFD). */
    public synchronized String text() {
        int size = (int) Math.min(written, ring.length);
        byte[] out = new byte[size];
        int start = (int) ((written - size) % ring.length);
        int first = Math.min(size, ring.length - start);
        System.arraycopy(ring, start, out, 0, first);
        System.arraycopy(ring, 0, out, first, size - first);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** How many bytes were written in all, kept or dropped. */
    public synchronized long totalBytes() {
        return written;
    }
}
