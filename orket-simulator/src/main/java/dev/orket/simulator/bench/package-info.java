/**
 * The client-cost benchmark: CPU and allocated bytes per streamed token through
 * {@link dev.orket.core.telemetry.RunExecutor} with a full telemetry record, beside a bare JDK {@code HttpClient}
 * that only counts the lines of the same stream, in the same run, against a server in another JVM. A main class,
 * not a test: see {@code docs/benchmarks.md}.
 */
@NullMarked
package dev.orket.simulator.bench;

import org.jspecify.annotations.NullMarked;
