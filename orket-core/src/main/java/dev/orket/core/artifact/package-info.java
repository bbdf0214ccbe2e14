/**
 * JSON artifacts: the run telemetry record written and read with Jackson's streaming API, snake_case
 * keys, additive-only schema evolution.
 */
@NullMarked
package dev.orket.core.artifact;

import org.jspecify.annotations.NullMarked;
