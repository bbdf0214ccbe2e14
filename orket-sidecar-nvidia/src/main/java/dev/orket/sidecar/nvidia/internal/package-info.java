/**
 * Implementation of the nvidia-smi sidecar that is public only for the module's own packages and
 * tests: the field table, value tokens, the CSV, XML and compute-apps parsers, the line framer and
 * the process plumbing. Nothing here is API; it may change in any release.
 */
@NullMarked
package dev.orket.sidecar.nvidia.internal;

import org.jspecify.annotations.NullMarked;
