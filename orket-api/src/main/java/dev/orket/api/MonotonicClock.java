package dev.orket.api;

/**
 * The one clock every timestamp of a run comes from. Inject a virtual clock in tests.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface MonotonicClock {

    /** Nanoseconds since an arbitrary fixed origin; only differences are meaningful. */
    long nanoTime();

    /** The JVM's monotonic clock, {@link System#nanoTime()}. */
    static MonotonicClock system() {
        return System::nanoTime;
    }
}
