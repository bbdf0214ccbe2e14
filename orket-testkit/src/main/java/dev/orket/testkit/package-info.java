/**
 * The contract suites every provider and sidecar module runs in its own tests
 * ({@link dev.orket.testkit.ProviderContract}, {@link dev.orket.testkit.SidecarContract}) and the
 * {@link dev.orket.testkit.VirtualClock} that makes their timings exact. The suites need JUnit 5 and
 * AssertJ on the test class path; the scripted server and sidecar in the sub-packages do not.
 */
@NullMarked
package dev.orket.testkit;

import org.jspecify.annotations.NullMarked;
