/**
 * Eligibility and the quality/speed/VRAM Pareto frontier of the quants of one model within one lane and profile, with deterministic tie-breaks.
 */
@NullMarked
package dev.orket.core.frontier;

import org.jspecify.annotations.NullMarked;
