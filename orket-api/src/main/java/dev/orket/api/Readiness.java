package dev.orket.api;

import java.util.List;
import java.util.Objects;

/**
 * The answer of a readiness probe: {@code ready}, or {@code blocked} with the reasons why.
 *
 * @param ready whether a run can start now
 * @param reasons snake_case reason codes (e.g. {@code model_loading}, {@code unreachable}), empty when ready
 * @param detail a human sentence with the server's own words, empty when ready
 * @since 0.1
 */
public record Readiness(boolean ready, List<String> reasons, String detail) {

    public Readiness {
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(detail, "detail");
        if (ready && !reasons.isEmpty()) {
            throw new IllegalArgumentException("a ready probe carries no reasons but had " + reasons);
        }
        if (!ready && reasons.isEmpty()) {
            throw new IllegalArgumentException("a blocked probe needs at least one reason");
        }
    }

    public static Readiness readyNow() {
        return new Readiness(true, List.of(), "");
    }

    public static Readiness blocked(String reason, String detail) {
        return new Readiness(false, List.of(reason), detail);
    }

    public static Readiness blocked(List<String> reasons, String detail) {
        return new Readiness(false, reasons, detail);
    }
}
