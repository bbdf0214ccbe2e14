/**
 * A GPU sidecar that plays scripted samples or statuses, for thermal-gate, VRAM-cap and spill tests
 * without a GPU. Needs neither JUnit nor AssertJ.
 */
@NullMarked
package dev.orket.simulator.sidecar;

import org.jspecify.annotations.NullMarked;
