package dev.orket.core.telemetry;

import org.jspecify.annotations.Nullable;

/**
 * The plausible bounds of the numbers a server reports ({@code docs/telemetry.md}, plausible server
 * numbers). A number outside them is not a measurement: it becomes absent with the reason
 * {@code implausible_server_value}, and the run is {@code IMPLAUSIBLE_SERVER_VALUE}, never valid. Judging
 * happens once, here in core, so every provider hands over what its server said, unclamped.
 *
 * @since 0.1
 */
public final class ServerNumbers {

    /** The largest plausible token count of one run: 100 million (contexts are far smaller). */
    public static final long MAX_TOKENS = 100_000_000L;

    /** The longest plausible server duration of one run: 7 days, in milliseconds. */
    public static final double MAX_DURATION_MS = 7 * 24 * 3_600_000.0;

    /** The shortest plausible non-zero server duration: 1 µs, in milliseconds (no model step takes less). */
    public static final double MIN_NONZERO_DURATION_MS = 0.001;

    /**
     * How much longer than the client's wall time the server's model time may plausibly be: the server works
     * inside the client's wait, so its time exceeds the wall only by clock granularity; beyond
     * {@code 2 × wall + 1 s} the server's durations cannot be right.
     */
    public static final double MAX_INTERNAL_OVER_WALL_FACTOR = 2.0;

    /** The slack of {@link #MAX_INTERNAL_OVER_WALL_FACTOR}, in seconds. */
    public static final double INTERNAL_OVER_WALL_SLACK_SECONDS = 1.0;

    private ServerNumbers() {}

    /** Why a token count is implausible, or null when it is plausible. */
    public static @Nullable String countProblem(long value) {
        if (value < 0) {
            return "negative";
        }
        if (value > MAX_TOKENS) {
            return "above " + MAX_TOKENS + " tokens";
        }
        return null;
    }

    /** Why a duration in milliseconds is implausible, or null when it is plausible. */
    public static @Nullable String durationProblem(double ms) {
        if (Double.isNaN(ms) || Double.isInfinite(ms)) {
            return "not finite";
        }
        if (ms < 0) {
            return "negative";
        }
        if (ms > MAX_DURATION_MS) {
            return "above " + (long) MAX_DURATION_MS + " ms (7 days)";
        }
        if (ms > 0 && ms < MIN_NONZERO_DURATION_MS) {
            return "under " + MIN_NONZERO_DURATION_MS + " ms (1 µs) but not zero";
        }
        return null;
    }
}
