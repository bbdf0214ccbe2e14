package dev.orket.core.telemetry;

import dev.orket.api.spi.WireEvent;

/**
 * The kinds of wire event, as the transition table knows them.
 */
enum EventKind {
    REQUEST_SENT,
    RESPONSE_STARTED,
    CONTENT_DELTA,
    RESPONSE_BODY,
    SERVER_REPORT,
    QUALITY_FLAG,
    COMPLETED,
    FAILED,
    CANCELLED;

    static EventKind of(WireEvent event) {
        if (event instanceof WireEvent.RequestSent) {
            return REQUEST_SENT;
        } else if (event instanceof WireEvent.ResponseStarted) {
            return RESPONSE_STARTED;
        } else if (event instanceof WireEvent.ContentDelta) {
            return CONTENT_DELTA;
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
