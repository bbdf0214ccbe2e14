package dev.orket.core.telemetry;

import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one transition table of the canonical state machine (docs/state-machine.md).
 *
 * <pre>
 * CREATED -> [CONNECTING ->] [CONNECTED ->] REQUEST_SENT -> AWAITING_FIRST_TOKEN -> STREAMING -> COMPLETED
 *                                                                 |                   |      \-> FAILED / CANCELLED
 *                                                                 \-> RESPONSE_RECEIVED (non-streaming) -> COMPLETED
 * any non-terminal state -> FAILED | CANCELLED
 * </pre>
 *
 * CONNECTING is entered by {@code ConnectStarted} and left by {@code Connected}; {@code ConnectionReused} leads
 * from CREATED straight to CONNECTED. A provider that reports no connection goes from CREATED to REQUEST_SENT.
 */
final class RunStateMachine {

    private static final Map<RunState, Map<EventKind, RunState>> TRANSITIONS = new EnumMap<>(RunState.class);

    static {
        for (RunState state : RunState.values()) {
            Map<EventKind, RunState> row = new EnumMap<>(EventKind.class);
            if (!state.isTerminal()) {
                row.put(EventKind.FAILED, RunState.FAILED);
                row.put(EventKind.CANCELLED, RunState.CANCELLED);
                row.put(EventKind.QUALITY_FLAG, state);
            }
            TRANSITIONS.put(state, row);
        }
        Map<EventKind, RunState> created = TRANSITIONS.get(RunState.CREATED);
        created.put(EventKind.CONNECT_STARTED, RunState.CONNECTING);
        created.put(EventKind.CONNECTION_REUSED, RunState.CONNECTED);
        created.put(EventKind.REQUEST_SENT, RunState.REQUEST_SENT);
        TRANSITIONS.get(RunState.CONNECTING).put(EventKind.CONNECTED, RunState.CONNECTED);
        TRANSITIONS.get(RunState.CONNECTED).put(EventKind.REQUEST_SENT, RunState.REQUEST_SENT);
        TRANSITIONS.get(RunState.REQUEST_SENT).put(EventKind.RESPONSE_STARTED, RunState.AWAITING_FIRST_TOKEN);

        Map<EventKind, RunState> awaiting = TRANSITIONS.get(RunState.AWAITING_FIRST_TOKEN);
        awaiting.put(EventKind.CONTENT_DELTA, RunState.STREAMING);
        awaiting.put(EventKind.RESPONSE_BODY, RunState.RESPONSE_RECEIVED);
        awaiting.put(EventKind.SERVER_REPORT, RunState.AWAITING_FIRST_TOKEN);
        // A stream may end with no content at all (n_predict 0, an immediate end-of-sequence).
        awaiting.put(EventKind.COMPLETED, RunState.COMPLETED);

        Map<EventKind, RunState> streaming = TRANSITIONS.get(RunState.STREAMING);
        streaming.put(EventKind.CONTENT_DELTA, RunState.STREAMING);
        streaming.put(EventKind.SERVER_REPORT, RunState.STREAMING);
        streaming.put(EventKind.COMPLETED, RunState.COMPLETED);

        Map<EventKind, RunState> received = TRANSITIONS.get(RunState.RESPONSE_RECEIVED);
        received.put(EventKind.SERVER_REPORT, RunState.RESPONSE_RECEIVED);
        received.put(EventKind.COMPLETED, RunState.COMPLETED);
    }

    private RunStateMachine() {}

    /** The state after the event, or null when the event is illegal in the state. */
    static @Nullable RunState next(RunState state, EventKind kind, boolean streamingRequest) {
        // The table is shared by both modes; these two checks keep content events to their mode.
        if (kind == EventKind.CONTENT_DELTA && !streamingRequest) {
            return null;
        }
        if (kind == EventKind.RESPONSE_BODY && streamingRequest) {
            return null;
        }
        if (kind == EventKind.COMPLETED && state == RunState.AWAITING_FIRST_TOKEN && !streamingRequest) {
            return null;
        }
        return TRANSITIONS.get(state).get(kind);
    }
}
