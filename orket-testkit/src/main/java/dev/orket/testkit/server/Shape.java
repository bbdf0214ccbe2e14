package dev.orket.testkit.server;

/** Variants of a dialect's final event or body, used by the fault scripts. */
enum Shape {
    NORMAL,
    NO_TIMINGS,
    NO_COUNTS_NO_TIMINGS,
    DURATIONS_IN_MS,
    ABSURD_NUMBERS,
    DUPLICATED_DONE,
    NO_DONE
}
