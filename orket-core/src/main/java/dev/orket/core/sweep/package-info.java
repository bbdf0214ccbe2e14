/**
 * The quant sweep engine: a matrix of models × quant tags × prompt sessions × repetitions with
 * warm-up runs, a canary gate, a thermal gate, a VRAM pre-flight, an append-only run ledger that a
 * killed sweep resumes from, and a manifest that records everything the sweep resolved.
 */
@NullMarked
package dev.orket.core.sweep;

import org.jspecify.annotations.NullMarked;
