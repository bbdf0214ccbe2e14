package dev.orket.provider.ollama.internal;

import dev.orket.core.telemetry.ServerNumbers;
import org.jspecify.annotations.Nullable;

/**
 * The unit sanity rule for Ollama durations, which are documented as nanoseconds. A duration is
 * implausible when it would mean more than a million tokens per second:
 *
 * <ul>
 *   <li>{@code eval_duration < (eval_count − 1) × 1000} with {@code eval_count ≥ 2} (llama-server times
 *       {@code eval_count − 1} decode steps; under 1 µs per step is no real model);
 *   <li>{@code prompt_eval_duration < 1000} (under 1 µs to evaluate at least one uncached token; the
 *       per-token form is not used because a KV-cache hit makes many counted tokens cost nothing).
 * </ul>
 *
 * A server sending milliseconds or microseconds instead trips the rule on any real run. When it
 * trips, the provider flags {@code UNIT_ANOMALY} (so the run is polluted, hence invalid and kept out of
 * every KPI) and reports every duration of that response read as <b>milliseconds</b>, never as
 * nanoseconds: Ollama's durations are llama-server's millisecond {@code timings} multiplied by 10⁶,
 * so a server or proxy that skips that conversion sends milliseconds. The record then shows the
 * likely values, marked by the flag, instead of numbers a million times too small.
 */
public final class UnitCheck {

    /** One microsecond in nanoseconds: the shortest plausible time per token. */
    public static final long MIN_NANOS_PER_TOKEN = 1_000L;

    private UnitCheck() {}

    /** A human detail when the final object's durations are implausible for nanoseconds, else null. */
    public static @Nullable String anomaly(ParsedLine line) {
        // Negative or absurd figures are judged by the recorder (implausible), not read as another unit.
        if (line.hasEvalDuration && line.hasEvalCount && line.evalCount >= 2 && line.evalDuration >= 0
                && line.evalCount <= ServerNumbers.MAX_TOKENS
                && line.evalDuration < (line.evalCount - 1) * MIN_NANOS_PER_TOKEN) {
            return "eval_duration " + line.evalDuration + " for eval_count " + line.evalCount
                    + " is under 1 µs per token if nanoseconds (over 1M tokens/s); durations read as milliseconds";
        }
        if (line.hasPromptEvalDuration && line.promptEvalDuration >= 0
                && line.promptEvalDuration < MIN_NANOS_PER_TOKEN) {
            return "prompt_eval_duration " + line.promptEvalDuration
                    + " is under 1 µs if nanoseconds; durations read as milliseconds";
        }
        return null;
    }
}
