package dev.orket.api;

import java.util.List;
import java.util.Objects;

/**
 * Whether a run's measurement was clean, with the sorted reasons when it was not.
 *
 * @since 0.1
 */
public record RunQuality(RunQualityStatus status, List<RunQualityReason> reasons) {

    public RunQuality {
        Objects.requireNonNull(status, "status");
        reasons = List.copyOf(reasons);
        // A status from a newer writer says nothing this reader can check against the reasons.
        if (status != RunQualityStatus.UNRECOGNIZED && (status == RunQualityStatus.CLEAN) != reasons.isEmpty()) {
            throw new IllegalArgumentException("a CLEAN run has no reasons and a POLLUTED run at least one; status "
                    + status + ", reasons " + reasons);
        }
        for (int i = 1; i < reasons.size(); i++) {
            if (reasons.get(i - 1).jsonName().compareTo(reasons.get(i).jsonName()) >= 0) {
                throw new IllegalArgumentException("reasons must be sorted and distinct but were " + reasons);
            }
        }
    }

    /** The quality implied by a set of reasons: CLEAN when there are none, else POLLUTED, reasons sorted. */
    public static RunQuality of(java.util.Collection<RunQualityReason> reasons) {
        List<RunQualityReason> sorted = reasons.stream()
                .distinct()
                .sorted(java.util.Comparator.comparing(RunQualityReason::jsonName))
                .toList();
        return new RunQuality(sorted.isEmpty() ? RunQualityStatus.CLEAN : RunQualityStatus.POLLUTED, sorted);
    }
}
