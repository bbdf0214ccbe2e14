package dev.orket.core.policy;

import dev.orket.api.HardwareFlag;
import dev.orket.api.JsonNamed;
import dev.orket.api.RunOutcome;
import dev.orket.api.RunQuality;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunTelemetry;
import dev.orket.api.RunValidity;
import dev.orket.api.TokenMetricsStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Decides whether a run may enter KPI aggregates: only when it completed, its token metrics are
 * {@code OK} and its quality is {@code CLEAN}. Neither the sidecar's parse status nor its readings (the
 * advisory hardware flags) ever take part. A label a newer writer used that this reader does not know
 * counts against the run: an unknown state is not {@code COMPLETED}, an unknown reason is a reason.
 *
 * @since 0.1
 */
public final class ValidRunPolicy {

    private static final String COMPLETED = "COMPLETED";
    private static final String OK = "OK";
    private static final String CLEAN = "CLEAN";

    private ValidRunPolicy() {}

    /** The validity of a run, every reason listed and sorted. */
    public static RunValidity evaluate(RunOutcome outcome, TokenMetricsStatus tokenMetricsStatus, RunQuality quality) {
        List<String> reasons = new ArrayList<>();
        for (RunQualityReason reason : quality.reasons()) {
            reasons.add(reason.jsonName());
        }
        return judge(outcome.terminalState().jsonName(), tokenMetricsStatus.jsonName(), quality.status().jsonName(),
                reasons, true, List.of());
    }

    /**
     * The validity of a recorded run, judged again from its outcome, token metrics status and quality (with
     * the raw spellings of labels this reader does not know), united with the validity the record carries:
     * a run its record marks invalid stays invalid, with the recorded reasons kept, even when this policy
     * would admit it — except {@code run_quality:} reasons that are hardware flags now
     * ({@link #withoutHardwareFlags}), which an older writer recorded as quality reasons.
     */
    public static RunValidity evaluate(RunTelemetry run) {
        List<String> reasons = new ArrayList<>();
        for (RunQualityReason reason : run.quality().reasons()) {
            if (!reason.unrecognized()) {
                reasons.add(reason.jsonName());
            }
        }
        reasons.addAll(run.unrecognized("run_quality_reasons"));
        if (run.quality().reasons().contains(RunQualityReason.UNRECOGNIZED)
                && run.unrecognized("run_quality_reasons").isEmpty()) {
            reasons.add(RunQualityReason.UNRECOGNIZED.jsonName());
        }
        return judge(label(run, run.outcome().terminalState(), "terminal_state"),
                label(run, run.tokenMetrics().status(), "token_metrics_status"),
                label(run, run.quality().status(), "run_quality_status"), reasons, run.validity().valid(),
                run.validity().invalidReasons());
    }

    /**
     * The validity from the spellings a record carries: invalid unless the terminal state is
     * {@code COMPLETED}, the token metrics status {@code OK} and the quality status {@code CLEAN} with no
     * reason; united with the recorded validity as {@link #evaluate(RunTelemetry)} says.
     *
     * @param terminalState the {@code terminal_state} spelling
     * @param tokenMetricsStatus the {@code token_metrics_status} spelling
     * @param qualityStatus the {@code run_quality_status} spelling
     * @param qualityReasons the {@code run_quality_reasons} spellings, hardware flags already moved out
     * @param recordedValid the {@code valid} the record carries
     * @param recordedInvalidReasons the {@code invalid_reasons} the record carries
     */
    public static RunValidity judge(String terminalState, String tokenMetricsStatus, String qualityStatus,
            List<String> qualityReasons, boolean recordedValid, List<String> recordedInvalidReasons) {
        TreeSet<String> reasons = new TreeSet<>();
        if (!COMPLETED.equals(terminalState)) {
            reasons.add("terminal_state:" + terminalState);
        }
        if (!OK.equals(tokenMetricsStatus)) {
            reasons.add("token_metrics:" + tokenMetricsStatus);
        }
        for (String reason : qualityReasons) {
            reasons.add("run_quality:" + reason);
        }
        if (!CLEAN.equals(qualityStatus) && qualityReasons.isEmpty()) {
            // A polluted status without a reason (or one this reader does not know) still polluted the run.
            reasons.add("run_quality_status:" + qualityStatus);
        }
        if (!recordedValid) {
            reasons.addAll(withoutHardwareFlags(recordedInvalidReasons));
        }
        return new RunValidity(reasons.isEmpty(), List.copyOf(reasons));
    }

    /**
     * Recorded invalid reasons without {@code run_quality:} codes that are hardware flags now: an older
     * writer let GPU readings invalidate runs, which Orket's first guardrail forbids.
     */
    public static List<String> withoutHardwareFlags(List<String> invalidReasons) {
        List<String> kept = new ArrayList<>();
        for (String reason : invalidReasons) {
            if (reason.startsWith("run_quality:")
                    && HardwareFlag.fromLegacyQualityReason(reason.substring("run_quality:".length())) != null) {
                continue;
            }
            kept.add(reason);
        }
        return kept;
    }

    private static String label(RunTelemetry run, JsonNamed value, String field) {
        if (value.unrecognized()) {
            List<String> raw = run.unrecognized(field);
            return raw.isEmpty() ? value.jsonName() : raw.get(0);
        }
        return value.jsonName();
    }
}
