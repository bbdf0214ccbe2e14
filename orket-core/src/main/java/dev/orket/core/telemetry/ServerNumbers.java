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

    /**
     * The shortest plausible non-zero server duration: 1 ns, in milliseconds (no clock a server reads measures
     * less; a denormal such as {@code 1e-320} would make any rate infinite).
     */
    public static final double MIN_NONZERO_DURATION_MS = 0.000_001;

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
            return "under 1 ns but not zero";
        }
        return null;
    }
}
