package dev.orket.core.sweep;

/**
 * Observes a sweep's progress, e.g. to print a progress line with an ETA.
 *
 * @since 0.1
 */
public interface SweepProgress {

    /** A listener that ignores everything. */
    SweepProgress NONE = new SweepProgress() {};

    /**
     * A run finished and was written to its ledger.
     *
     * @param run the planned run
     * @param entry what was recorded
     * @param done runs finished so far in this invocation, resumed ones excluded
     * @param remaining runs still to do
     */
    default void runFinished(PlannedRun run, LedgerEntry entry, int done, int remaining) {}

    /** A cell was skipped or tagged by the pre-flight, or a gate spoke; a human sentence. */
    default void note(String message) {}
}
