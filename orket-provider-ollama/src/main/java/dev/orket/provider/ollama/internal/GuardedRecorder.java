package dev.orket.provider.ollama.internal;

import dev.orket.api.FailureKind;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import org.jspecify.annotations.Nullable;

/**
 * Serialises one run's events from the HTTP client's threads and the waiting caller, reports
 * {@link WireEvent.RequestSent} at most once and before anything the response says, and drops
 * whatever arrives after the terminal event (a late chunk racing a timeout).
 */
public final class GuardedRecorder {

    private final RunRecorder delegate;
    private boolean requestSent;
    private boolean ended;

    public GuardedRecorder(RunRecorder delegate) {
        this.delegate = delegate;
    }

    /** Reports that the request's last byte went to the transport, once. */
    public synchronized void requestSent() {
        if (!requestSent && !ended) {
            requestSent = true;
            delegate.record(new WireEvent.RequestSent());
        }
    }

    /** Records a non-terminal event; false when the run already ended. */
    public synchronized boolean record(WireEvent event) {
        if (ended) {
            return false;
        }
        if (event instanceof WireEvent.ResponseStarted) {
            requestSent();
        }
        delegate.record(event);
        return true;
    }

    /** Records the terminal event; false when the run already ended. */
    public synchronized boolean end(WireEvent terminal) {
        if (ended) {
            return false;
        }
        ended = true;
        delegate.record(terminal);
        return true;
    }

    /** Records a failure as the terminal event; false when the run already ended. */
    public boolean fail(FailureKind kind, String message, @Nullable Integer httpStatus) {
        return end(new WireEvent.Failed(kind, message, httpStatus));
    }

    /** Whether the terminal event was recorded. */
    public synchronized boolean ended() {
        return ended;
    }
}
