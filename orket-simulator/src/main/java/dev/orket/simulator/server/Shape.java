package dev.orket.simulator.server;

/**
 * Variants of a dialect's final event or body: the normal one and the damaged ones the fault scripts serve. A dialect
 * says which it writes ({@link ServerDialect#supports}); each one it writes adds a fault to the provider contract.
 *
 * @since 0.1 (public since 0.2)
 */
public enum Shape {
    /** Counts and timings as the server reports them. */
    NORMAL,
    /** Token counts but no durations ({@link Fault#MISSING_TIMINGS}). */
    NO_TIMINGS,
    /** Neither token counts nor durations ({@link Fault#MISSING_USAGE_AND_TIMINGS}). */
    NO_COUNTS_NO_TIMINGS,
    /** Durations in milliseconds where the API's unit is nanoseconds ({@link Fault#DURATIONS_IN_MILLISECONDS}). */
    DURATIONS_IN_MS,
    /** Numbers no real server sends: 1.7e308 ms, a negative duration, 9e18 tokens ({@link Fault#ABSURD_NUMBERS}). */
    ABSURD_NUMBERS,
    /** The stream terminator twice ({@link Fault#DUPLICATED_DONE}); only for APIs with a terminator. */
    DUPLICATED_DONE,
    /** The final events without the stream terminator ({@link Fault#NO_DONE}); only for APIs with a terminator. */
    NO_DONE
}
