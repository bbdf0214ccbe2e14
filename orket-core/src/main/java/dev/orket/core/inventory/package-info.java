/**
 * Bounded, safe reading of GGUF headers (v2, v3) into model inventory records, with a VRAM estimate per context size.
 */
@NullMarked
package dev.orket.core.inventory;

import org.jspecify.annotations.NullMarked;
