package dev.orket.sidecar.nvidia.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads a tool's output on a daemon thread and hands it on line by line, keeping at most a fixed
 * number of bytes; past the cap it keeps draining so the tool never blocks on a full pipe.
 */
public final class OutputPump {

    private final InputStream in;
    private final long maxBytes;
    private final LineFramer framer;
    private final Thread thread;
    private volatile boolean capped;

    /** A pump, not yet started, reading {@code in} into {@code lines}. */
    public OutputPump(InputStream in, long maxBytes, int maxLineBytes, Consumer<String> lines, String threadName) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.framer = new LineFramer(maxLineBytes, lines);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts reading. */
    public void start() {
        thread.start();
    }

    /** Waits up to {@code deadline} for the output to end; returns whether it did. */
    public boolean join(Duration deadline) {
        try {
            thread.join(Math.max(1L, deadline.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Whether the reader thread is still running. */
    public boolean alive() {
        return thread.isAlive();
    }

    /** Whether output was dropped: past the byte cap, or a line longer than the line cap. */
    public boolean truncated() {
        return capped || framer.truncated();
    }

    private void run() {
        byte[] buf = new byte[8192];
        long kept = 0;
        try (InputStream s = in) {
            int n;
            while ((n = s.read(buf)) >= 0) {
                if (kept >= maxBytes) {
                    capped = true;
                    continue;
                }
                int take = (int) Math.min(n, maxBytes - kept);
                framer.accept(buf, 0, take);
                kept += take;
                if (take < n) {
                    capped = true;
                }
            }
        } catch (IOException e) {
            // The pipe closes when the tool is killed; what was read so far stands.
        }
    }

    /**
     * Hands on the last line when the output ended without a line end; call it after {@link #join}
     * only when the tool exited by itself, since a killed tool's last line may be cut short.
     */
    public void finishTail() {
        if (!thread.isAlive() && !capped) {
            framer.finish();
        }
    }
}
