/**
 * Per-cell KPI aggregation over valid runs only (medians, percentiles, order-statistic confidence intervals), streamed from a JSONL run ledger, and the KPI summary artifact.
 */
@NullMarked
package dev.orket.core.kpi;

import org.jspecify.annotations.NullMarked;
