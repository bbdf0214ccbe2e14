package dev.orket.core.sweep;

import dev.orket.core.telemetry.RunCancellation;
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

    /** The reason a stopped sweep's run in flight carries. */
    static final String STOPPED = "the sweep was stopped (a signal, SweepHandle.cancel or an interrupt)";

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
        private @Nullable RunCancellation run;

        /** Asks the sweep to stop: cancels the run in flight, or interrupts a wait. */
        synchronized void cancel() {
            requested = true;
            if (run != null) {
                run.cancel(STOPPED);
            } else if (interruptible != null) {
                interruptible.interrupt();
            }
        }

        /** A run starts: a stop cancels it through the transport (its in-flight record is written CANCELLED). */
        synchronized RunCancellation enterRun() {
            RunCancellation current = new RunCancellation();
            run = current;
            if (requested) {
                current.cancel(STOPPED);
            }
            return current;
        }

        /** The run ended; an interrupt that reached the thread meanwhile is a stop request too. */
        synchronized void exitRun() {
            run = null;
            if (Thread.interrupted()) {
                requested = true;
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
