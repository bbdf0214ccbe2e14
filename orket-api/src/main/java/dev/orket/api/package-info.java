/**
 * Canonical value types of Orket: run requests, run telemetry records, token metrics with their
 * provenance, GPU samples and the closed vocabularies (lanes, profiles, statuses, reasons) that
 * artifacts carry. This package depends on nothing but the JDK.
 */
@NullMarked
package dev.orket.api;

import org.jspecify.annotations.NullMarked;
