/**
 * The contract suites every provider and sidecar module runs in its own tests
 * ({@link dev.orket.testkit.ProviderContract}, {@link dev.orket.testkit.SidecarContract}), run against the scripted
 * server of {@code orket-simulator} on its {@link dev.orket.simulator.VirtualClock}, so their timings are exact. They
 * are JUnit 5 tests with AssertJ assertions; both come with this jar.
 */
@NullMarked
package dev.orket.testkit;

import org.jspecify.annotations.NullMarked;
