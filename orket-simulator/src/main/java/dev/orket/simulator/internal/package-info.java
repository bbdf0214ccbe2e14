/**
 * Code the simulator's packages and the testkit share that is not API: it may change in any release.
 */
@NullMarked
package dev.orket.simulator.internal;

import org.jspecify.annotations.NullMarked;
