package dev.orket.testkit.server;

import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.RecordingListener;
import dev.orket.core.telemetry.RunState;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Counts what the client's recorder recorded, so the server can wait for it before moving the clock. */
final class Lockstep implements RecordingListener {

    private final Map<Await, Long> counts = new EnumMap<>(Await.class);
    private volatile boolean enabled;

    Lockstep() {
        for (Await await : Await.values()) {
            counts.put(await, 0L);
        }
    }

    void enable() {
        enabled = true;
    }

    boolean enabled() {
        return enabled;
    }

    @Override
    public void recorded(WireEvent event, long nanos, RunState state) {
        Await kind;
        if (event instanceof WireEvent.ResponseStarted) {
            kind = Await.RESPONSE_STARTED;
        } else if (event instanceof WireEvent.ContentDelta) {
            kind = Await.CONTENT;
        } else if (state.isTerminal()) {
            kind = Await.TERMINAL;
        } else {
            kind = Await.NOTHING;
        }
        synchronized (this) {
            counts.merge(kind, 1L, Long::sum);
            notifyAll();
        }
    }

    /** A snapshot of the counts, taken before bytes are written. */
    synchronized long[] mark() {
        long[] mark = new long[Await.values().length];
        for (Await await : Await.values()) {
            mark[await.ordinal()] = counts.get(await);
        }
        return mark;
    }

    /**
     * Waits until an event of the kind (or any terminal event) was recorded after the mark, the
     * timeout passes or the abort condition holds. Returns whether the event came.
     */
    synchronized boolean awaitAfter(Await kind, long[] mark, long timeoutNanos, BooleanSupplier abort)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (counts.get(kind) <= mark[kind.ordinal()]
                && counts.get(Await.TERMINAL) <= mark[Await.TERMINAL.ordinal()]) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || abort.getAsBoolean()) {
                return false;
            }
            wait(Math.max(1L, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50L)));
        }
        return true;
    }
}
