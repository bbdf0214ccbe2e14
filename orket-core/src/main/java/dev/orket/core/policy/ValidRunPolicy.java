package dev.orket.core.policy;

import dev.orket.api.RunOutcome;
import dev.orket.api.RunQuality;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunTelemetry;
import dev.orket.api.RunValidity;
import dev.orket.api.TerminalState;
import dev.orket.api.TokenMetricsStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Decides whether a run may enter KPI aggregates: only when it completed, its token metrics are
 * {@code OK} and its quality is {@code CLEAN}. Sidecar parse status never takes part.
 *
 * @since 0.1
 */
public final class ValidRunPolicy {

    private ValidRunPolicy() {}

    /** The validity of a run, every reason listed and sorted. */
    public static RunValidity evaluate(RunOutcome outcome, TokenMetricsStatus tokenMetricsStatus, RunQuality quality) {
        List<String> reasons = new ArrayList<>();
        if (outcome.terminalState() != TerminalState.COMPLETED) {
            reasons.add("terminal_state:" + outcome.terminalState().jsonName());
        }
        if (tokenMetricsStatus != TokenMetricsStatus.OK) {
            reasons.add("token_metrics:" + tokenMetricsStatus.jsonName());
        }
        for (RunQualityReason reason : quality.reasons()) {
            reasons.add("run_quality:" + reason.jsonName());
        }
        Collections.sort(reasons);
        return new RunValidity(reasons.isEmpty(), reasons);
    }

    /**
     * The validity of a recorded run, judged again from its outcome, token metrics status and quality,
     * united with the validity the record carries: a run its record marks invalid stays invalid, with
     * the recorded reasons kept, even when this policy would admit it.
     */
    public static RunValidity evaluate(RunTelemetry run) {
        RunValidity judged = evaluate(run.outcome(), run.tokenMetrics().status(), run.quality());
        RunValidity recorded = run.validity();
        if (recorded.valid() || recorded.invalidReasons().equals(judged.invalidReasons())) {
            return judged;
        }
        TreeSet<String> reasons = new TreeSet<>(judged.invalidReasons());
        reasons.addAll(recorded.invalidReasons());
        return new RunValidity(false, List.copyOf(reasons));
    }
}
