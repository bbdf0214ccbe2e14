package dev.orket.simulator.server;

import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.RecordingListener;
import dev.orket.core.telemetry.RunState;
import dev.orket.simulator.VirtualClock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Counts what the client's recorder recorded, so the server can wait for it before moving the clock, and
 * plays the server's connect delay: when the client reports {@code ConnectStarted}, the virtual clock moves on by
 * the delay while the client's thread is still in this listener, so its {@code Connected} and everything after
 * it come exactly that much later.
 */
final class Lockstep implements RecordingListener {

    private final Map<Await, Long> counts = new EnumMap<>(Await.class);
    private final @Nullable VirtualClock clock;
    private volatile boolean enabled;
    private volatile Duration connectDelay = Duration.ZERO;

    Lockstep(@Nullable VirtualClock clock) {
        this.clock = clock;
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

    void connectDelay(Duration value) {
        connectDelay = value;
    }

    @Override
    public void recorded(WireEvent event, long nanos, RunState state) {
        if (event instanceof WireEvent.ConnectStarted && enabled && clock != null && !connectDelay.isZero()) {
            clock.advanceBy(connectDelay);
        }
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

    /** Whether a terminal event was recorded after the mark: the run is over and nothing more will be recorded. */
    synchronized boolean endedSince(long[] mark) {
        return counts.get(Await.TERMINAL) > mark[Await.TERMINAL.ordinal()];
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
