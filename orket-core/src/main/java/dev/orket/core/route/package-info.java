/**
 * Adaptive routing, a prototype: a {@link dev.orket.core.route.Router} that an embedding runtime asks
 * which (model, quant, context) to send the next request to, fed with each finished run's telemetry,
 * moving to the next candidate when the live p90 latency or the invalid-run rate crosses its
 * threshold and coming back with hysteresis. See {@code docs/adaptive-routing.md}.
 */
@NullMarked
package dev.orket.core.route;

import org.jspecify.annotations.NullMarked;
