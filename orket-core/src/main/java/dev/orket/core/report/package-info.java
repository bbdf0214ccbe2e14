/**
 * The offline HTML report: one self-contained file rendered from {@code summary.json}, so the page
 * and the machine-readable summary can never disagree.
 */
@NullMarked
package dev.orket.core.report;

import org.jspecify.annotations.NullMarked;
