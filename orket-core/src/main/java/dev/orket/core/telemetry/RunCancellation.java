package dev.orket.core.telemetry;

import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Cancels one run from another thread: pass it to
 * {@link RunExecutor#execute(dev.orket.api.spi.InferenceProvider, dev.orket.api.RunRequest,
 * dev.orket.core.host.MeasuredServer, java.util.Map, RunCancellation)} and call {@link #cancel(String)} while the run executes (or before). The run
 * ends {@code CANCELLED} with the reason as its failure message, its full record is written, and the provider
 * closes the connection so the server stops generating.
 *
 * <pre>{@code
 * RunCancellation cancellation = new RunCancellation();
 * scheduler.schedule(() -> cancellation.cancel("operator pressed stop"), 2, TimeUnit.SECONDS);
 * RunResult result = executor.execute(provider, request, Set.of(), Map.of(), cancellation);
 * }</pre>
 *
 * <p>A provider hears of it through {@link dev.orket.api.spi.RunRecorder#whenCancelled}; one that registers
 * nothing has the executing thread interrupted instead (the executor clears that interrupt when the run ends).
 * Thread-safe; one instance per run; cancelling twice keeps the first reason.
 *
 * @since 0.2
 */
public final class RunCancellation {

    private @Nullable String reason;
    private @Nullable Consumer<String> action;
    private @Nullable Thread runner;
    private boolean interruptedRunner;

    /** A cancellation that has not been triggered. */
    public RunCancellation() {}

    /**
     * Cancels the run: the provider's registered action runs on this thread, or the executing thread is
     * interrupted when the provider registered none. Does nothing after the first call.
     *
     * @param why the reason recorded as the run's failure message, never null
     */
    public void cancel(String why) {
        Objects.requireNonNull(why, "why");
        Consumer<String> toRun;
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
            toRun = action;
            if (toRun == null && runner != null) {
                // Under the lock, so that unbind() cannot clear the flag before this interrupt lands.
                runner.interrupt();
                interruptedRunner = true;
            }
        }
        if (toRun != null) {
            toRun.accept(why);
        }
    }

    /** Whether {@link #cancel} was called. */
    public synchronized boolean isCancelled() {
        return reason != null;
    }

    /** The reason given to {@link #cancel}, or null while not cancelled. */
    public synchronized @Nullable String reason() {
        return reason;
    }

    /** Registers the provider's action; runs it at once when the run was cancelled already. */
    void register(Consumer<String> value) {
        Objects.requireNonNull(value, "action");
        String already;
        synchronized (this) {
            already = reason;
            if (already == null) {
                action = value;
            }
        }
        if (already != null) {
            value.accept(already);
        }
    }

    /** Binds the thread executing the run, the one interrupted when no action is registered. */
    synchronized void bind(Thread thread) {
        runner = thread;
    }

    /** Unbinds the executing thread; returns whether this cancellation interrupted it. */
    synchronized boolean unbind() {
        runner = null;
        action = null;
        return interruptedRunner;
    }
}
