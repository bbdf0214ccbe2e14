/**
 * AssertJ assertions for run telemetry records, whose failures read {@code Expected <x> but was <y>}.
 */
@NullMarked
package dev.orket.testkit.assertj;

import org.jspecify.annotations.NullMarked;
