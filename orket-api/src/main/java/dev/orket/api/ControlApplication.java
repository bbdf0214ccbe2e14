package dev.orket.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one experimental control of a run.
 *
 * @param status applied, not applicable or not applied
 * @param requested the value the run asked for, as text, or null when it asked for none
 * @param detail how it was applied or why not (e.g. {@code llama-server takes threads only at start (-t)}), or null
 * @since 0.1
 */
public record ControlApplication(ControlStatus status, @Nullable String requested, @Nullable String detail) {

    public ControlApplication {
        Objects.requireNonNull(status, "status");
        if (status == ControlStatus.NOT_APPLIED && (detail == null || detail.isBlank())) {
            throw new IllegalArgumentException("a control that was not applied needs the reason why");
        }
    }

    /** The control reached the server. */
    public static ControlApplication applied(Object requested, String how) {
        return new ControlApplication(ControlStatus.APPLIED, String.valueOf(requested), how);
    }

    /** The run did not ask for the control, or it means nothing here. */
    public static ControlApplication notApplicable(String why) {
        return new ControlApplication(ControlStatus.NOT_APPLICABLE, null, why);
    }

    /** The run asked for the control and it did not reach the server. */
    public static ControlApplication notApplied(Object requested, String why) {
        return new ControlApplication(ControlStatus.NOT_APPLIED, String.valueOf(requested), why);
    }
}
