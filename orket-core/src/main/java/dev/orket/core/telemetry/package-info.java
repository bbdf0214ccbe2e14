/**
 * The canonical token/timing state machine: providers report {@link dev.orket.api.spi.WireEvent}s to a
 * {@link dev.orket.core.telemetry.TelemetryRecorder}, which checks every transition, timestamps every event
 * on one injectable monotonic clock and turns the run into one {@link dev.orket.api.RunTelemetry}.
 */
@NullMarked
package dev.orket.core.telemetry;

import org.jspecify.annotations.NullMarked;
