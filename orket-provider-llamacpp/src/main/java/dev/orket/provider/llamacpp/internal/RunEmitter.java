package dev.orket.provider.llamacpp.internal;

import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import org.jspecify.annotations.Nullable;

/**
 * Guards one run's recorder against the races of an asynchronous exchange: events arrive from the
 * HTTP client's threads while the caller's thread may time the run out. Exactly one terminal event
 * passes; anything after it is dropped. A recorder that throws (a provider bug caught by the state
 * machine) ends the run and the exception is rethrown on the caller's thread.
 */
public final class RunEmitter {
    private final RunRecorder recorder;
    private boolean done;
    private @Nullable RuntimeException bug;

    public RunEmitter(RunRecorder recorder) {
        this.recorder = recorder;
    }

    /** Records a non-terminal event unless the run already ended; returns whether it was recorded. */
    public synchronized boolean emit(WireEvent event) {
        if (done) {
            return false;
        }
        try {
            recorder.record(event);
            return true;
        } catch (RuntimeException e) {
            bug = e;
            done = true;
            notifyAll();
            return false;
        }
    }

    /** Records the terminal event unless the run already ended; returns whether it was recorded. */
    public synchronized boolean finish(WireEvent terminal) {
        if (done) {
            return false;
        }
        done = true;
        try {
            recorder.record(terminal);
        } catch (RuntimeException e) {
            bug = e;
        } finally {
            notifyAll();
        }
        return true;
    }

    /** Whether the run has ended. */
    public synchronized boolean done() {
        return done;
    }

    /** Rethrows on the caller's thread what the recorder threw on another thread, if anything. */
    public synchronized void rethrowBug() {
        if (bug != null) {
            throw bug;
        }
    }
}
