/**
 * The VRAM analyzer, an informational experiment that is never a gate: per sweep cell, what the GPU
 * sidecar measured against what the weights and the KV cache explain, and whether VRAM grows run
 * after run (a leak or fragmentation signal). See {@code docs/vram-analyzer.md}.
 */
@NullMarked
package dev.orket.core.vram;

import org.jspecify.annotations.NullMarked;
