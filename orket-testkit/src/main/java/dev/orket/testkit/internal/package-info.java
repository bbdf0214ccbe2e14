/**
 * Code the testkit's packages share that is not API: it may change in any release.
 */
@NullMarked
package dev.orket.testkit.internal;

import org.jspecify.annotations.NullMarked;
