package dev.orket.core.sweep;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A sweep running on its own thread ({@link SweepEngine#start()}). {@link #cancel} stops it at the current run: the
 * run in flight is cancelled and written to its ledger as {@code CANCELLED} (a retryable state, so
 * {@code --resume} does it again), no further run starts, and the sweep ends {@link SweepOutcome.Status#INTERRUPTED}
 * with every ledger consistent. Interrupting the thread of a sweep started with {@link SweepEngine#run()} does the
 * same.
 *
 * @since 0.1
 */
public final class SweepHandle {

    private final Cancellation cancellation;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile @Nullable SweepOutcome outcome;
    private volatile @Nullable Throwable failure;

    SweepHandle(Cancellation cancellation) {
        this.cancellation = cancellation;
    }

    /** Asks the sweep to stop at the current run; returns at once. Idempotent. */
    public void cancel() {
        cancellation.cancel();
    }

    /** Whether the sweep ended. */
    public boolean isDone() {
        return done.getCount() == 0;
    }

    /**
     * Waits for the sweep to end.
     *
     * @return how it ended
     * @throws RuntimeException the exception that ended the sweep (a misconfiguration, an unusable directory)
     * @throws InterruptedException when the waiting thread is interrupted (the sweep goes on)
     */
    public SweepOutcome await() throws InterruptedException {
        done.await();
        return result();
    }

    /**
     * Waits at most the timeout for the sweep to end.
     *
     * @return how it ended, or null when it is still running
     */
    public @Nullable SweepOutcome await(Duration timeout) throws InterruptedException {
        if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return null;
        }
        return result();
    }

    private SweepOutcome result() {
        Throwable thrown = failure;
        if (thrown instanceof RuntimeException) {
            throw (RuntimeException) thrown;
        }
        if (thrown instanceof Error) {
            throw (Error) thrown;
        }
        return Objects.requireNonNull(outcome, "outcome");
    }

    void finished(SweepOutcome value) {
        outcome = value;
        done.countDown();
    }

    void failed(Throwable value) {
        failure = value;
        done.countDown();
    }

    /**
     * The stop request shared by a handle and the sweep's thread. The thread is interrupted only while it runs
     * a run or waits, never while it writes a ledger, so that a cancelled run still gets its record.
     */
    static final class Cancellation {
        private boolean requested;
        private @Nullable Thread interruptible;

        /** Asks the sweep to stop; interrupts its thread when it is inside a run or a wait. */
        synchronized void cancel() {
            requested = true;
            if (interruptible != null) {
                interruptible.interrupt();
            }
        }

        /** Whether a stop was asked for, by {@link #cancel()} or by an interrupt of the sweep's thread. */
        synchronized boolean requested() {
            if (Thread.currentThread().isInterrupted()) {
                requested = true;
            }
            return requested;
        }

        /** Marks the current thread interruptible (a run or a wait starts); interrupts it at once if a stop is due. */
        synchronized void enter() {
            interruptible = Thread.currentThread();
            if (requested) {
                interruptible.interrupt();
            }
        }

        /** Leaves the interruptible section, folding a pending interrupt into the stop request. */
        synchronized void exit() {
            interruptible = null;
            if (Thread.interrupted()) {
                requested = true;
            }
        }
    }
}
