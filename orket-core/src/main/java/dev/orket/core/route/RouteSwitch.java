package dev.orket.core.route;

import dev.orket.api.JsonNamed;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One change of the active target.
 *
 * @param atNanos the router clock's time of the switch
 * @param routes routes answered before the switch
 * @param from the target left
 * @param to the target now active
 * @param reason why
 * @param p90LatencyMs the p90 that decided it, or null when the invalid rate did
 * @param invalidRate the invalid-run share of the deciding window
 * @since 0.1
 */
public record RouteSwitch(long atNanos, long routes, RouteTarget from, RouteTarget to, Reason reason,
        @Nullable Double p90LatencyMs, double invalidRate) {

    public RouteSwitch {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }

    /** Why the router switched. */
    public enum Reason implements JsonNamed {
        /** The active target's p90 latency exceeded the ceiling. */
        P90_LATENCY_ABOVE_CEILING("p90_latency_above_ceiling"),
        /** The active target's invalid-run rate exceeded the limit. */
        INVALID_RATE_ABOVE_LIMIT("invalid_rate_above_limit"),
        /** A more preferred target's probes came back under the hysteresis thresholds. */
        RECOVERED("recovered");

        private final String jsonName;

        Reason(String jsonName) {
            this.jsonName = jsonName;
        }

        @Override
        public String jsonName() {
            return jsonName;
        }
    }
}
