package dev.orket.core.telemetry;

import dev.orket.api.spi.WireEvent;

/**
 * The kinds of wire event, as the transition table knows them.
 */
enum EventKind {
    CONNECT_STARTED,
    CONNECTED,
    CONNECTION_REUSED,
    REQUEST_SENT,
    RESPONSE_STARTED,
    CONTENT_DELTA,
    RESPONSE_BODY,
    SERVER_REPORT,
    QUALITY_FLAG,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** The event's simple class name, as the history of an {@link dev.orket.api.spi.IllegalTransitionException} shows it. */
    private final String label = label(name());

    String label() {
        return label;
    }

    private static String label(String name) {
        StringBuilder label = new StringBuilder(name.length());
        for (String word : name.split("_")) {
            label.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return label.toString();
    }

    static EventKind of(WireEvent event) {
        // The hot path first: a stream is mostly content deltas.
        if (event instanceof WireEvent.ContentDelta) {
            return CONTENT_DELTA;
        } else if (event instanceof WireEvent.ConnectStarted) {
            return CONNECT_STARTED;
        } else if (event instanceof WireEvent.Connected) {
            return CONNECTED;
        } else if (event instanceof WireEvent.ConnectionReused) {
            return CONNECTION_REUSED;
        } else if (event instanceof WireEvent.RequestSent) {
            return REQUEST_SENT;
        } else if (event instanceof WireEvent.ResponseStarted) {
            return RESPONSE_STARTED;
        } else if (event instanceof WireEvent.ResponseBody) {
            return RESPONSE_BODY;
        } else if (event instanceof WireEvent.ServerUsage
                || event instanceof WireEvent.ServerTimings
                || event instanceof WireEvent.ServerFacts) {
            return SERVER_REPORT;
        } else if (event instanceof WireEvent.QualityFlag) {
            return QUALITY_FLAG;
        } else if (event instanceof WireEvent.Completed) {
            return COMPLETED;
        } else if (event instanceof WireEvent.Failed) {
            return FAILED;
        } else if (event instanceof WireEvent.Cancelled) {
            return CANCELLED;
        }
        throw new AssertionError(event);
    }
}
