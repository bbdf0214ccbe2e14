package dev.orket.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What happened to each experimental control of a run: seed, temperature, threads, context size and
 * affinity, each applied, not applicable, or not applied with the reason.
 *
 * @param controls one entry per control, in {@link ExperimentalControl} order
 * @since 0.1
 */
public record ControlsApplied(Map<ExperimentalControl, ControlApplication> controls) {

    /** The entry of a control nobody said anything about. */
    public static final ControlApplication UNDECLARED =
            ControlApplication.notApplicable("not_recorded");

    public ControlsApplied {
        EnumMap<ExperimentalControl, ControlApplication> copy = new EnumMap<>(ExperimentalControl.class);
        controls.forEach((control, application) -> copy.put(Objects.requireNonNull(control, "control"),
                Objects.requireNonNull(application, "application")));
        controls = Collections.unmodifiableMap(copy);
    }

    /** Every control not applicable, with the reason (e.g. a record written before controls were recorded). */
    public static ControlsApplied notRecorded(String reason) {
        Map<ExperimentalControl, ControlApplication> map = new EnumMap<>(ExperimentalControl.class);
        for (ExperimentalControl control : ExperimentalControl.values()) {
            map.put(control, ControlApplication.notApplicable(reason));
        }
        return new ControlsApplied(map);
    }

    /** The entry of one control; a control without one is {@link #UNDECLARED}. */
    public ControlApplication of(ExperimentalControl control) {
        ControlApplication application = controls.get(control);
        return application == null ? UNDECLARED : application;
    }

    /** The controls the run asked for that did not reach the server, in {@link ExperimentalControl} order. */
    public Map<ExperimentalControl, ControlApplication> notApplied() {
        Map<ExperimentalControl, ControlApplication> out = new EnumMap<>(ExperimentalControl.class);
        controls.forEach((control, application) -> {
            if (application.status() == ControlStatus.NOT_APPLIED) {
                out.put(control, application);
            }
        });
        return out;
    }
}
