package dev.orket.core.route;

import java.time.Duration;
import java.util.Objects;

/**
 * The documented policy of the {@link Router} ({@code docs/adaptive-routing.md}).
 *
 * @param window runs per candidate the live figures are computed over (the most recent ones)
 * @param minRuns runs a candidate's window needs before it is judged, at least 2
 * @param latencyCeilingMs leave a candidate when the p90 of its window's wall latency exceeds this
 * @param maxInvalidRate leave a candidate when the share of invalid runs in its window exceeds this
 * @param hysteresis return to a more preferred candidate only when its probe window's p90 is at most
 *     {@code hysteresis × latencyCeilingMs} and its invalid rate at most {@code hysteresis × maxInvalidRate};
 *     in (0, 1)
 * @param cooldown how long a candidate that was left rests before it is probed
 * @param probeEvery while a more preferred candidate is being probed, one route in this many goes to it
 * @since 0.1
 */
public record RoutingPolicy(int window, int minRuns, double latencyCeilingMs, double maxInvalidRate, double hysteresis,
        Duration cooldown, int probeEvery) {

    public RoutingPolicy {
        Objects.requireNonNull(cooldown, "cooldown");
        if (window < 2) {
            throw new IllegalArgumentException("window must be at least 2 but was " + window);
        }
        if (minRuns < 2 || minRuns > window) {
            throw new IllegalArgumentException("minRuns must be in [2, window=" + window + "] but was " + minRuns);
        }
        if (!(latencyCeilingMs > 0)) {
            throw new IllegalArgumentException("latencyCeilingMs must be > 0 but was " + latencyCeilingMs);
        }
        if (!(maxInvalidRate >= 0 && maxInvalidRate < 1)) {
            throw new IllegalArgumentException("maxInvalidRate must be in [0, 1) but was " + maxInvalidRate);
        }
        if (!(hysteresis > 0 && hysteresis < 1)) {
            throw new IllegalArgumentException("hysteresis must be in (0, 1) but was " + hysteresis);
        }
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown must not be negative but was " + cooldown);
        }
        if (probeEvery < 1) {
            throw new IllegalArgumentException("probeEvery must be at least 1 but was " + probeEvery);
        }
    }

    /**
     * Window 20, judged from 10 runs, p90 ceiling as given, at most 10 % invalid, hysteresis 0.8,
     * cooldown 5 s, one probe in 5 routes.
     */
    public static RoutingPolicy withCeiling(double latencyCeilingMs) {
        return new RoutingPolicy(20, 10, latencyCeilingMs, 0.10, 0.8, Duration.ofSeconds(5), 5);
    }
}
