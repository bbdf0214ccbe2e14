package dev.orket.core.stream;

import dev.orket.api.FailureKind;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The one guarded recorder of a run: serialises the events that the HTTP client's threads, the waiting
 * caller and a cancelling thread report, so that exactly one terminal event passes and nothing follows
 * it (a late chunk racing a timeout is dropped). {@link WireEvent.RequestSent} passes at most once, and
 * only before the response. It also bounds the output: a stream whose content runs past
 * {@link #outputTokenCeiling(int)} ends {@code RESPONSE_TOO_LARGE}.
 *
 * <p>A recorder that throws (the state machine refusing an event: a provider bug) ends the run; the
 * exception is kept and {@link #rethrowBug()} throws it on the caller's thread.
 *
 * @since 0.2
 */
public final class RunEvents {

    private final RunRecorder recorder;
    private final long tokenCeiling;
    private final @Nullable Integer maxOutputTokens;
    private long outputTokens;
    private boolean requestSent;
    private boolean responseStarted;
    private boolean ended;
    private boolean completed;
    private @Nullable RuntimeException bug;

    /**
     * Guards a run's recorder.
     *
     * @param recorder the run's recorder
     * @param maxOutputTokens the run's output limit, or null for none (then output is not bounded here)
     */
    public RunEvents(RunRecorder recorder, @Nullable Integer maxOutputTokens) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.maxOutputTokens = maxOutputTokens;
        this.tokenCeiling = maxOutputTokens == null ? Long.MAX_VALUE : outputTokenCeiling(maxOutputTokens);
    }

    /**
     * The most output tokens a stream may carry for a limit before the run ends {@code RESPONSE_TOO_LARGE}: the
     * limit plus a margin of a quarter of it, at least 16 tokens ({@code 4096 -> 5120}, {@code 16 -> 32}). The
     * margin absorbs chunks that servers count differently; a server that ignores its limit runs into it.
     * Tokens are counted from the stream: a chunk's token count when the server says, else one per chunk.
     */
    public static long outputTokenCeiling(int maxOutputTokens) {
        if (maxOutputTokens < 0) {
            throw new IllegalArgumentException("maxOutputTokens must be >= 0 but was " + maxOutputTokens);
        }
        return (long) maxOutputTokens + Math.max(16L, maxOutputTokens / 4L);
    }

    /**
     * Records a non-terminal event unless the run already ended.
     *
     * @return whether it was recorded; false means the run is over and the caller should stop
     */
    public synchronized boolean emit(WireEvent event) {
        if (ended) {
            return false;
        }
        if (event instanceof WireEvent.ContentDelta) {
            Integer count = ((WireEvent.ContentDelta) event).tokenCount();
            outputTokens += count == null ? 1 : count;
            if (outputTokens > tokenCeiling) {
                // The chunk that crosses the ceiling is counted, then the run ends: the server ignores its limit.
                if (deliver(event)) {
                    end(new WireEvent.Failed(FailureKind.RESPONSE_TOO_LARGE, "the stream carried " + outputTokens
                            + " output tokens, past max_output_tokens " + maxOutputTokens + " by more than the margin"
                            + " (ceiling " + tokenCeiling + "): the server does not honour its token limit", 200));
                }
                return false;
            }
        } else if (event instanceof WireEvent.RequestSent) {
            if (requestSent || responseStarted) {
                // A retried request is sent twice; the first send is the origin, and after the response it is moot.
                return true;
            }
            requestSent = true;
        } else if (event instanceof WireEvent.ResponseStarted) {
            responseStarted = true;
        }
        return deliver(event);
    }

    /**
     * Records the terminal event unless the run already ended.
     *
     * @return whether it was recorded
     */
    public synchronized boolean finish(WireEvent terminal) {
        if (!(terminal instanceof WireEvent.Completed || terminal instanceof WireEvent.Failed
                || terminal instanceof WireEvent.Cancelled)) {
            throw new IllegalArgumentException("not a terminal event: " + terminal);
        }
        if (ended) {
            return false;
        }
        return end(terminal);
    }

    /** Records a failure as the terminal event unless the run already ended; returns whether it was recorded. */
    public boolean fail(FailureKind kind, String message, @Nullable Integer httpStatus) {
        return finish(new WireEvent.Failed(kind, message, httpStatus));
    }

    /** Whether the run has ended. */
    public synchronized boolean ended() {
        return ended;
    }

    /** Whether the run ended {@code Completed} (its end marker or whole body was read). */
    public synchronized boolean completed() {
        return completed;
    }

    /** Whether the request's last byte was reported sent. */
    public synchronized boolean requestSent() {
        return requestSent;
    }

    /** Output tokens counted from the stream so far. */
    public synchronized long outputTokens() {
        return outputTokens;
    }

    /**
     * Waits until the run ends or the time passes; returns whether it ended.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    synchronized boolean awaitEnd(long nanos) throws InterruptedException {
        if (!ended && nanos > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        }
        return ended;
    }

    /**
     * Ends the run because the provider's own code threw on the HTTP client's thread (a provider bug): nothing more
     * is recorded, and {@link #rethrowBug()} throws it on the caller's thread, where the executor records it as
     * {@code PROVIDER_ERROR}.
     */
    public synchronized void crash(RuntimeException error) {
        if (bug == null) {
            bug = error;
        }
        ended = true;
        notifyAll();
    }

    /** Rethrows on the caller's thread what the recorder threw on another thread, if anything. */
    public synchronized void rethrowBug() {
        if (bug != null) {
            throw bug;
        }
    }

    private boolean deliver(WireEvent event) {
        try {
            recorder.record(event);
            return true;
        } catch (RuntimeException e) {
            bug = e;
            ended = true;
            notifyAll();
            return false;
        }
    }

    private boolean end(WireEvent terminal) {
        ended = true;
        completed = terminal instanceof WireEvent.Completed;
        try {
            recorder.record(terminal);
        } catch (RuntimeException e) {
            bug = e;
        } finally {
            notifyAll();
        }
        return true;
    }
}
