/**
 * What provider and sidecar authors implement: factories found by {@link java.util.ServiceLoader},
 * the provider that executes one run and reports canonical {@link dev.orket.api.spi.WireEvent}s to a
 * {@link dev.orket.api.spi.RunRecorder}, and the GPU sidecar that samples while a run is measured.
 */
@NullMarked
package dev.orket.api.spi;

import org.jspecify.annotations.NullMarked;
