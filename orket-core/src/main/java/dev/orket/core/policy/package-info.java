/**
 * The versioned thresholds that decide run quality and validity, in one place.
 */
@NullMarked
package dev.orket.core.policy;

import org.jspecify.annotations.NullMarked;
