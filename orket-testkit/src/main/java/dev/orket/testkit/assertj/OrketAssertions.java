package dev.orket.testkit.assertj;

import dev.orket.api.RunTelemetry;

/**
 * Entry point of Orket's AssertJ assertions: {@code OrketAssertions.assertThat(telemetry).isCompleted()}.
 *
 * @since 0.1
 */
public final class OrketAssertions {

    private OrketAssertions() {}

    /** Assertions on a run telemetry record; failures read {@code Expected <x> but was <y>}. */
    public static RunTelemetryAssert assertThat(RunTelemetry actual) {
        return new RunTelemetryAssert(actual);
    }
}
