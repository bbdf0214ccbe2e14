package dev.orket.core.telemetry;

import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.MonotonicClock;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.spi.IllegalTransitionException;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The recorder a provider reports one run's events to. Checks each transition against the canonical
 * state machine, timestamps each event on the injected monotonic clock, and keeps what it needs to
 * compute the run's telemetry. Thread-safe: HTTP clients may report from their own threads.
 *
 * @since 0.1
 */
public final class TelemetryRecorder implements RunRecorder {

    private final RunRequest request;
    private final String providerId;
    private final MonotonicClock clock;
    private final RecordingListener listener;
    private final Instant startedAt;
    private final long createdNanos;
    private final @Nullable RunCancellation cancellation;
    /** The accepted events run-length encoded (a stream is thousands of deltas): kinds and their repeat counts. */
    private final List<EventKind> historyKinds = new ArrayList<>();
    private final List<Long> historyCounts = new ArrayList<>();
    private @Nullable EventKind lastKind;
    private long lastKindCount;
    private final StringBuilder output = new StringBuilder();
    private final Map<RunQualityReason, String> qualityFlags = new EnumMap<>(RunQualityReason.class);

    private RunState state = RunState.CREATED;
    private @Nullable Long connectStartedNanos;
    private @Nullable Long connectedNanos;
    private boolean connectionReused;
    private @Nullable Long requestSentNanos;
    private @Nullable Long firstTokenNanos;
    private @Nullable Long lastTokenNanos;
    private long endNanos;
    private long chunkCount;
    private long chunkTokenSum;
    private boolean everyChunkCounted = true;
    private @Nullable Long promptTokens;
    private @Nullable Long cachedPromptTokens;
    private @Nullable Long outputTokens;
    private @Nullable Double promptMs;
    private @Nullable Double generationMs;
    private @Nullable Double loadMs;
    private @Nullable Integer contextSize;
    private @Nullable FinishReason finishReason;
    private @Nullable FailureKind failureKind;
    private @Nullable String failureMessage;
    private @Nullable Integer httpStatus;

    /**
     * Creates a recorder for one run; the run's clock starts now.
     *
     * @param request the run
     * @param providerId the provider executing it
     * @param clock the monotonic clock for every timestamp
     * @param startedAt the wall-clock time to label the run with
     * @param listener observes accepted events
     */
    public TelemetryRecorder(RunRequest request, String providerId, MonotonicClock clock, Instant startedAt,
            RecordingListener listener) {
        this(request, providerId, clock, startedAt, listener, null);
    }

    /**
     * Creates a recorder for one run that the caller may cancel; the run's clock starts now.
     *
     * @param request the run
     * @param providerId the provider executing it
     * @param clock the monotonic clock for every timestamp
     * @param startedAt the wall-clock time to label the run with
     * @param listener observes accepted events
     * @param cancellation the caller's handle to cancel the run, or null when it cannot be cancelled
     * @since 0.2
     */
    public TelemetryRecorder(RunRequest request, String providerId, MonotonicClock clock, Instant startedAt,
            RecordingListener listener, @Nullable RunCancellation cancellation) {
        this.cancellation = cancellation;
        this.request = Objects.requireNonNull(request, "request");
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.createdNanos = clock.nanoTime();
    }

    @Override
    public void record(WireEvent event) {
        Objects.requireNonNull(event, "event");
        long nanos;
        RunState next;
        synchronized (this) {
            EventKind kind = EventKind.of(event);
            // The hot path of a stream, a delta while streaming, is the table's STREAMING -> STREAMING.
            RunState candidate = kind == EventKind.CONTENT_DELTA && state == RunState.STREAMING ? RunState.STREAMING
                    : RunStateMachine.next(state, kind, request.stream());
            if (candidate == null) {
                throw new IllegalTransitionException(state.name(), describe(event), history());
            }
            nanos = clock.nanoTime();
            apply(event, nanos);
            state = candidate;
            next = candidate;
            remember(kind);
            if (next.isTerminal()) {
                endNanos = nanos;
            }
        }
        listener.recorded(event, nanos, next);
    }

    /** The run's current state. */
    public synchronized RunState state() {
        return state;
    }

    /** The generated text received so far (all content chunks, or the whole body). */
    public synchronized String outputText() {
        return output.toString();
    }

    /**
     * The events accepted so far, oldest first, repeats folded: {@code [RequestSent, ResponseStarted,
     * ContentDelta x16, ServerUsage, Completed]}.
     */
    public synchronized List<String> history() {
        List<String> described = new ArrayList<>(historyKinds.size() + 1);
        for (int i = 0; i < historyKinds.size(); i++) {
            described.add(describe(historyKinds.get(i), historyCounts.get(i)));
        }
        if (lastKind != null) {
            described.add(describe(lastKind, lastKindCount));
        }
        return described;
    }

    @Override
    public void whenCancelled(Consumer<String> action) {
        Objects.requireNonNull(action, "action");
        if (cancellation != null) {
            cancellation.register(action);
        }
    }

    private void remember(EventKind kind) {
        if (kind == lastKind) {
            lastKindCount++;
            return;
        }
        if (lastKind != null) {
            historyKinds.add(lastKind);
            historyCounts.add(lastKindCount);
        }
        lastKind = kind;
        lastKindCount = 1;
    }

    private static String describe(EventKind kind, long count) {
        return count == 1 ? kind.label() : kind.label() + " x" + count;
    }

    /**
     * What was observed, for an ended run.
     *
     * @throws IllegalStateException when the run has not reached a terminal state
     */
    public synchronized RunObservation observation() {
        if (!state.isTerminal()) {
            throw new IllegalStateException("run " + request.runId() + " has not ended; state " + state);
        }
        return new RunObservation(request, providerId, startedAt, createdNanos, requestSentNanos, firstTokenNanos,
                lastTokenNanos, endNanos, chunkCount, everyChunkCounted ? Long.valueOf(chunkTokenSum) : null,
                promptTokens, cachedPromptTokens, outputTokens, promptMs, generationMs, loadMs, contextSize,
                qualityFlags, state, finishReason, failureKind, failureMessage, httpStatus, connectStartedNanos,
                connectedNanos, connectionReused);
    }

    private void apply(WireEvent event, long nanos) {
        if (event instanceof WireEvent.ContentDelta) {
            WireEvent.ContentDelta delta = (WireEvent.ContentDelta) event;
            if (firstTokenNanos == null) {
                firstTokenNanos = nanos;
            }
            lastTokenNanos = nanos;
            chunkCount++;
            if (delta.tokenCount() == null) {
                everyChunkCounted = false;
            } else {
                chunkTokenSum += delta.tokenCount();
            }
            output.append(delta.text());
        } else if (event instanceof WireEvent.ConnectStarted) {
            connectStartedNanos = nanos;
        } else if (event instanceof WireEvent.Connected) {
            connectedNanos = nanos;
        } else if (event instanceof WireEvent.ConnectionReused) {
            connectionReused = true;
        } else if (event instanceof WireEvent.RequestSent) {
            requestSentNanos = nanos;
        } else if (event instanceof WireEvent.ResponseStarted) {
            httpStatus = ((WireEvent.ResponseStarted) event).httpStatus();
        } else if (event instanceof WireEvent.ResponseBody) {
            output.append(((WireEvent.ResponseBody) event).text());
        } else if (event instanceof WireEvent.ServerUsage) {
            WireEvent.ServerUsage usage = (WireEvent.ServerUsage) event;
            promptTokens = firstNonNull(usage.promptTokens(), promptTokens);
            cachedPromptTokens = firstNonNull(usage.cachedPromptTokens(), cachedPromptTokens);
            outputTokens = firstNonNull(usage.outputTokens(), outputTokens);
        } else if (event instanceof WireEvent.ServerTimings) {
            WireEvent.ServerTimings timings = (WireEvent.ServerTimings) event;
            promptMs = firstNonNull(timings.promptMs(), promptMs);
            generationMs = firstNonNull(timings.generationMs(), generationMs);
            loadMs = firstNonNull(timings.loadMs(), loadMs);
        } else if (event instanceof WireEvent.ServerFacts) {
            contextSize = firstNonNull(((WireEvent.ServerFacts) event).contextSize(), contextSize);
        } else if (event instanceof WireEvent.QualityFlag) {
            WireEvent.QualityFlag flag = (WireEvent.QualityFlag) event;
            qualityFlags.putIfAbsent(flag.reason(), flag.detail());
        } else if (event instanceof WireEvent.Completed) {
            finishReason = ((WireEvent.Completed) event).finishReason();
        } else if (event instanceof WireEvent.Failed) {
            WireEvent.Failed failed = (WireEvent.Failed) event;
            failureKind = failed.kind();
            failureMessage = failed.message();
            if (failed.httpStatus() != null) {
                httpStatus = failed.httpStatus();
            }
        } else if (event instanceof WireEvent.Cancelled) {
            failureMessage = ((WireEvent.Cancelled) event).reason();
        } else {
            throw new AssertionError(event);
        }
    }

    private static <T> @Nullable T firstNonNull(@Nullable T preferred, @Nullable T fallback) {
        return preferred != null ? preferred : fallback;
    }

    private static String describe(WireEvent event) {
        return event.getClass().getSimpleName();
    }
}
