/**
 * Hardware-free runs without a test framework: the {@link dev.orket.simulator.VirtualClock} every simulated part
 * shares, the scripted inference server with its wire dialects and faults ({@code .server}), the scripted GPU sidecar
 * ({@code .sidecar}) and the client-cost benchmark ({@code .bench}). The CLI's demo runs on it; the contract suites
 * of {@code orket-testkit} run against it.
 */
@NullMarked
package dev.orket.simulator;

import org.jspecify.annotations.NullMarked;
