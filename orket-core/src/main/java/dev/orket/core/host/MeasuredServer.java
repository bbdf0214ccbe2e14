package dev.orket.core.host;

import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What is known about the server a run is measured on, beyond its URL: how to find its processes, and the
 * experimental controls applied when it was started (a managed llama-server's {@code -t}, {@code -c} and CPU
 * affinity), which override what the provider can pass per request.
 *
 * @param processes how to find the server's processes
 * @param controls controls applied (or not) at the server's start
 * @since 0.1
 */
public record MeasuredServer(ServerProcessRule processes, Map<ExperimentalControl, ControlApplication> controls) {

    /** Nothing known: every process is foreign, and the provider alone says what it applied. */
    public static final MeasuredServer UNKNOWN = new MeasuredServer(ServerProcessRule.NONE, Map.of());

    public MeasuredServer {
        Objects.requireNonNull(processes, "processes");
        controls = Map.copyOf(controls);
    }

    /** A server of the given processes (and their descendants), with no start-time controls. */
    public static MeasuredServer ofPids(Set<Long> pids) {
        return new MeasuredServer(ServerProcessRule.ofPids(pids), Map.of());
    }
}
