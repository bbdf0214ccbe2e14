package dev.orket.core.recommend;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orket.api.ExecutionLane;
import dev.orket.api.HardwareFlag;
import dev.orket.api.ThrottleReason;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.SchemaVersion;
import dev.orket.core.frontier.FrontierRow;
import dev.orket.core.frontier.FrontierView;
import dev.orket.core.frontier.IneligibilityReason;
import dev.orket.core.kpi.CellKey;
import dev.orket.core.kpi.CellKpis;
import dev.orket.core.kpi.KpiSummary;
import dev.orket.core.kpi.MedianInterval;
import dev.orket.core.kpi.Metric;
import dev.orket.core.kpi.MetricSummary;
import dev.orket.core.kpi.ValueDistribution;
import dev.orket.core.artifact.NullableFields;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes the sweep summary (KPIs, frontiers, recommendations and the view options that shaped them)
 * as one JSON object with snake_case keys ({@code docs/specs/summary.schema.json}). Every cell,
 * frontier, row and recommendation carries {@code schema_version}, {@code execution_lane} and
 * {@code vram_profile}.
 *
 * @since 0.1
 */
public final class SummaryJson {

    /** The value of {@code record_type} on summaries. */
    public static final String RECORD_TYPE = "kpi_summary";

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private SummaryJson() {}

    /** The summary as pretty-printed JSON. */
    public static String toJson(AnalysisSummary summary) {
        return toJson(summary, null);
    }

    /**
     * The summary of a sweep as pretty-printed JSON, labelled with the sweep's id; its top-level lane and
     * profile are those of its rows ({@code mixed} when they differ).
     *
     * @throws IllegalArgumentException when the summary has no row to take them from: use
     *     {@link #toJson(AnalysisSummary, String, ExecutionLane, VramProfile)}
     */
    public static String toJson(AnalysisSummary summary, @Nullable String sweepId) {
        StringWriter out = new StringWriter(8192);
        write(summary, sweepId, out);
        return out.toString();
    }

    /**
     * The summary of a sweep as pretty-printed JSON, labelled with the sweep's id, lane and profile: a sweep's
     * summary carries them even when no run was recorded (an empty or all-blocked ledger).
     *
     * @throws IllegalArgumentException when a row has another lane or profile
     */
    public static String toJson(AnalysisSummary summary, @Nullable String sweepId, ExecutionLane lane,
            VramProfile profile) {
        return toJson(summary, sweepId, lane, profile, java.util.Map.of());
    }

    /**
     * As {@link #toJson(AnalysisSummary, String, ExecutionLane, VramProfile)}, listing the sweep's cells that did not
     * run ({@code blocked_cells}: {@code model/quant} to the reason, from {@code blocked_cells.json}).
     */
    public static String toJson(AnalysisSummary summary, @Nullable String sweepId, ExecutionLane lane,
            VramProfile profile, java.util.Map<String, String> blockedCells) {
        return toJson(summary, sweepId, lane, profile, blockedCells, null);
    }

    /**
     * As {@link #toJson(AnalysisSummary, String, ExecutionLane, VramProfile, java.util.Map)}, with a context sweep's
     * {@code context_thresholds} and {@code context_ceilings} ({@link ContextCeilings}); null writes neither (a sweep
     * without contexts).
     */
    public static String toJson(AnalysisSummary summary, @Nullable String sweepId, ExecutionLane lane,
            VramProfile profile, java.util.Map<String, String> blockedCells,
            ContextCeilings.@Nullable Result contextCeilings) {
        StringWriter out = new StringWriter(8192);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            write(summary, sweepId, new Labels(lane.jsonName(), profile.jsonName(), lane, profile, blockedCells,
                    contextCeilings), g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The summary's top-level labels, the one lane and profile every row must have (null: any), and the sweep's
     * blocked cells.
     */
    private record Labels(String lane, String profile, @Nullable ExecutionLane requiredLane,
            @Nullable VramProfile requiredProfile, java.util.Map<String, String> blockedCells,
            ContextCeilings.@Nullable Result contextCeilings) {}

    /** Writes the summary as pretty-printed JSON; the writer is flushed, not closed. */
    public static void write(AnalysisSummary summary, Writer out) {
        write(summary, null, out);
    }

    private static void write(AnalysisSummary summary, @Nullable String sweepId, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            write(summary, sweepId, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the summary as one JSON object. */
    public static void write(AnalysisSummary summary, JsonGenerator g) throws IOException {
        write(summary, null, g);
    }

    /**
     * Writes the summary as one JSON object. Its top-level {@code execution_lane} and {@code vram_profile} are
     * those every row shares (always so for a sweep), or {@code mixed} when rows differ.
     *
     * @throws IllegalArgumentException when the summary has no row to take them from: use
     *     {@link #toJson(AnalysisSummary, String, ExecutionLane, VramProfile)}
     */
    public static void write(AnalysisSummary summary, @Nullable String sweepId, JsonGenerator g) throws IOException {
        java.util.Set<ExecutionLane> lanes = java.util.EnumSet.noneOf(ExecutionLane.class);
        java.util.Set<VramProfile> profiles = java.util.EnumSet.noneOf(VramProfile.class);
        for (java.util.List<CellKpis> rows : java.util.List.of(summary.kpis().cells(), summary.kpis().invalidRows())) {
            for (CellKpis cell : rows) {
                lanes.add(cell.key().executionLane());
                profiles.add(cell.key().vramProfile());
            }
        }
        if (lanes.isEmpty()) {
            throw new IllegalArgumentException("a summary without runs has no row to take execution_lane and"
                    + " vram_profile from; pass them: SummaryJson.toJson(summary, sweepId, lane, profile)");
        }
        write(summary, sweepId, new Labels(lanes.size() == 1 ? lanes.iterator().next().jsonName() : MIXED,
                profiles.size() == 1 ? profiles.iterator().next().jsonName() : MIXED, null, null, java.util.Map.of(),
                null),
                g);
    }

    /** The top-level label of a summary whose rows span more than one lane or profile. */
    public static final String MIXED = "mixed";

    private static void write(AnalysisSummary summary, @Nullable String sweepId, Labels labels, JsonGenerator g)
            throws IOException {
        KpiSummary kpis = summary.kpis();
        for (java.util.List<CellKpis> rows : java.util.List.of(kpis.cells(), kpis.invalidRows())) {
            for (CellKpis cell : rows) {
                if ((labels.requiredLane() != null && cell.key().executionLane() != labels.requiredLane())
                        || (labels.requiredProfile() != null && cell.key().vramProfile() != labels.requiredProfile())) {
                    throw new IllegalArgumentException("a summary labelled " + labels.lane() + "/" + labels.profile()
                            + " holds a row of " + cell.key().executionLane().jsonName() + "/"
                            + cell.key().vramProfile().jsonName() + " (" + cell.key() + ")");
                }
            }
        }
        g.writeStartObject();
        g.writeNumberField("schema_version", SchemaVersion.CURRENT);
        g.writeStringField("record_type", RECORD_TYPE);
        if (sweepId != null) {
            g.writeStringField("sweep_id", sweepId);
        }
        g.writeStringField("execution_lane", labels.lane());
        g.writeStringField("vram_profile", labels.profile());
        g.writeStringField("policy_version", kpis.policyVersion());
        writeOptions(summary.options(), g);
        g.writeNumberField("total_runs", kpis.totalRuns());
        g.writeNumberField("valid_runs", kpis.validRuns());
        g.writeNumberField("excluded_runs", kpis.totalRuns() - kpis.validRuns());
        g.writeArrayFieldStart("cells");
        for (CellKpis cell : kpis.cells()) {
            writeCell(cell, g);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("frontiers");
        for (FrontierView view : summary.frontiers()) {
            writeFrontier(view, g);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("recommendations");
        for (Recommendation recommendation : summary.recommendations()) {
            writeRecommendation(recommendation, g);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("blocked_cells");
        for (java.util.Map.Entry<String, String> blocked : new java.util.TreeMap<>(labels.blockedCells()).entrySet()) {
            g.writeStartObject();
            g.writeStringField("cell", blocked.getKey());
            g.writeStringField("reason", blocked.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (labels.contextCeilings() != null) {
            writeContextCeilings(labels.contextCeilings(), g);
        }
        g.writeEndObject();
    }

    /**
     * {@code context_ceilings}: per model and quant, the largest context that passed ({@code context_ceiling}, null
     * when none did) and each context's verdict with its medians and run counts, in the shape
     * {@code dev.orket.core.select.ContextCeilingsReader} reads.
     */
    private static void writeContextCeilings(ContextCeilings.Result result, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("context_thresholds");
        g.writeNumberField("adherence_min", result.thresholds().adherenceMin());
        g.writeNumberField("ttft_ceiling_ms", result.thresholds().ttftCeilingMs());
        g.writeNumberField("decode_floor_tps", result.thresholds().decodeFloorTps());
        g.writeEndObject();
        g.writeArrayFieldStart("context_ceilings");
        for (ContextCeilings.Ceiling ceiling : result.ceilings()) {
            g.writeStartObject();
            g.writeStringField("model", ceiling.model());
            g.writeStringField("quant_tag", ceiling.quantTag());
            NullableFields.number(g, "context_ceiling", ceiling.contextCeiling());
            g.writeArrayFieldStart("per_context");
            for (ContextCeilings.PerContext c : ceiling.perContext()) {
                g.writeStartObject();
                g.writeNumberField("context", c.context());
                g.writeBooleanField("passed", c.passed());
                g.writeArrayFieldStart("reasons");
                for (String reason : c.reasons()) {
                    g.writeString(reason);
                }
                g.writeEndArray();
                NullableFields.string(g, "blocked_reason", c.blockedReason());
                NullableFields.number(g, "median_adherence", c.medianAdherence());
                NullableFields.number(g, "median_ttft_ms", c.medianTtftMs());
                NullableFields.number(g, "median_decode_tps", c.medianDecodeTps());
                NullableFields.number(g, "median_peak_vram_used_mb", c.medianPeakVramUsedMb());
                g.writeNumberField("total_runs", c.totalRuns());
                g.writeNumberField("valid_runs", c.validRuns());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeOptions(ViewOptions options, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("view_options");
        g.writeBooleanField("include_invalid", options.includeInvalid());
        g.writeBooleanField("recommendation_includes_invalid", options.recommendationIncludesInvalid());
        g.writeNumberField("quality_ratio", options.criteria().qualityRatio());
        NullableFields.number(g, "latency_ceiling", options.criteria().latencyCeiling());
        g.writeStringField("latency_metric", options.criteria().latencyMetric().jsonName());
        g.writeNumberField("confidence", MetricSummary.CONFIDENCE);
        g.writeNumberField("p99_min_runs", MetricSummary.MIN_RUNS_FOR_P99);
        g.writeNumberField("exact_value_limit", ValueDistribution.EXACT_LIMIT);
        g.writeNumberField("sketch_relative_accuracy", ValueDistribution.SKETCH_RELATIVE_ACCURACY);
        g.writeEndObject();
    }

    private static void writeLabels(ExecutionLane lane, VramProfile profile, JsonGenerator g) throws IOException {
        g.writeNumberField("schema_version", SchemaVersion.CURRENT);
        g.writeStringField("execution_lane", lane.jsonName());
        g.writeStringField("vram_profile", profile.jsonName());
    }

    /**
     * {@code context}: the context the runs asked for, written only when they asked for one, so that a summary of a
     * sweep without contexts keeps its bytes.
     */
    private static void writeContext(@Nullable Integer context, JsonGenerator g) throws IOException {
        if (context != null) {
            g.writeNumberField("context", context);
        }
    }

    private static void writeCell(CellKpis cell, JsonGenerator g) throws IOException {
        CellKey key = cell.key();
        g.writeStartObject();
        writeLabels(key.executionLane(), key.vramProfile(), g);
        g.writeStringField("model", key.model());
        NullableFields.string(g, "quant_tag", key.quantTag());
        writeContext(key.context(), g);
        g.writeStringField("row_kind", cell.rowKind().jsonName());
        g.writeBooleanField("invalid", cell.invalid());
        g.writeNumberField("total_runs", cell.totalRuns());
        g.writeNumberField("valid_runs", cell.validRuns());
        g.writeNumberField("invalid_runs", cell.invalidRuns());
        g.writeObjectFieldStart("excluded_by_reason");
        for (Map.Entry<String, Long> entry : cell.excludedByReason().entrySet()) {
            g.writeNumberField(entry.getKey(), entry.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("runs_without_quality_score", cell.runsWithoutQualityScore());
        g.writeObjectFieldStart("hardware_flags");
        for (Map.Entry<HardwareFlag, Long> entry : cell.hardwareFlagRuns().entrySet()) {
            g.writeObjectFieldStart(entry.getKey().jsonName());
            g.writeNumberField("runs", entry.getValue());
            NullableFields.number(g, "share", cell.hardwareFlagShare(entry.getKey()));
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeArrayFieldStart("throttle_reasons_seen");
        for (ThrottleReason reason : cell.throttleReasonsSeen()) {
            g.writeString(reason.jsonName());
        }
        g.writeEndArray();
        g.writeObjectFieldStart("metrics");
        for (Metric metric : Metric.values()) {
            g.writeFieldName(metric.jsonName());
            writeMetric(cell.metric(metric), g);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeMetric(MetricSummary m, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("n", m.n());
        NullableFields.number(g, "median", m.median());
        NullableFields.number(g, "p10", m.p10());
        NullableFields.number(g, "p90", m.p90());
        NullableFields.number(g, "p99", m.p99());
        NullableFields.string(g, "p99_unavailable_reason",
                m.p99UnavailableReason() == null ? null : m.p99UnavailableReason().jsonName());
        MedianInterval ci = m.medianInterval();
        if (ci == null) {
            g.writeNullField("median_ci");
        } else {
            g.writeObjectFieldStart("median_ci");
            g.writeNumberField("lower", ci.lower());
            g.writeNumberField("upper", ci.upper());
            g.writeNumberField("confidence", ci.confidence());
            g.writeNumberField("coverage", ci.coverage());
            g.writeNumberField("lower_rank", ci.lowerRank());
            g.writeNumberField("upper_rank", ci.upperRank());
            g.writeEndObject();
        }
        NullableFields.string(g, "median_ci_unavailable_reason", m.medianIntervalUnavailableReason() == null ? null
                : m.medianIntervalUnavailableReason().jsonName());
        g.writeStringField("estimator", m.estimator().jsonName());
        g.writeEndObject();
    }

    private static void writeFrontier(FrontierView view, JsonGenerator g) throws IOException {
        g.writeStartObject();
        writeLabels(view.group().executionLane(), view.group().vramProfile(), g);
        g.writeStringField("model", view.group().model());
        writeContext(view.group().context(), g);
        g.writeBooleanField("include_invalid", view.includeInvalid());
        g.writeNumberField("quality_ratio", view.criteria().qualityRatio());
        NullableFields.number(g, "latency_ceiling", view.criteria().latencyCeiling());
        g.writeStringField("latency_metric", view.criteria().latencyMetric().jsonName());
        NullableFields.string(g, "baseline_quant_tag", view.baselineQuantTag());
        NullableFields.number(g, "baseline_quality", view.baselineQuality());
        g.writeArrayFieldStart("rows");
        for (FrontierRow row : view.rows()) {
            writeRow(row, g);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeRow(FrontierRow row, JsonGenerator g) throws IOException {
        CellKey key = row.kpis().key();
        g.writeStartObject();
        writeLabels(key.executionLane(), key.vramProfile(), g);
        g.writeStringField("model", key.model());
        NullableFields.string(g, "quant_tag", key.quantTag());
        writeContext(key.context(), g);
        g.writeStringField("row_kind", row.kpis().rowKind().jsonName());
        g.writeBooleanField("invalid", row.invalid());
        g.writeNumberField("runs", row.invalid() ? row.kpis().invalidRuns() : row.kpis().validRuns());
        NullableFields.number(g, "bits_per_weight", row.bitsPerWeight());
        NullableFields.number(g, "quality", row.quality());
        NullableFields.number(g, "generation_tokens_per_second", row.speed());
        NullableFields.number(g, "peak_vram_used_mb", row.peakVramMb());
        NullableFields.number(g, "latency", row.latency());
        g.writeBooleanField("eligible", row.eligible());
        g.writeArrayFieldStart("ineligibility_reasons");
        for (IneligibilityReason reason : row.ineligibilityReasons()) {
            g.writeString(reason.jsonName());
        }
        g.writeEndArray();
        g.writeBooleanField("on_frontier", row.onFrontier());
        g.writeArrayFieldStart("dominated_by");
        for (String tag : row.dominatedBy()) {
            g.writeString(tag);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeRecommendation(Recommendation r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        writeLabels(r.group().executionLane(), r.group().vramProfile(), g);
        g.writeStringField("model", r.group().model());
        writeContext(r.group().context(), g);
        FrontierRow winner = r.winner();
        FrontierRow runnerUp = r.runnerUp();
        NullableFields.string(g, "winner_quant_tag", winner == null ? null : winner.quantTag());
        NullableFields.string(g, "runner_up_quant_tag", runnerUp == null ? null : runnerUp.quantTag());
        NullableFields.string(g, "decision", r.decision() == null ? null : r.decision().jsonName());
        NullableFields.bool(g, "speed_difference_exceeds_noise", r.speedDifferenceExceedsNoise());
        NullableFields.bool(g, "quality_difference_exceeds_noise", r.qualityDifferenceExceedsNoise());
        NullableFields.string(g, "no_recommendation_reason", r.noRecommendationReason());
        g.writeBooleanField("includes_invalid", r.includesInvalid());
        g.writeObjectFieldStart("deciding_figures");
        writeFigures("winner", winner, g);
        writeFigures("runner_up", runnerUp, g);
        g.writeEndObject();
        g.writeArrayFieldStart("notes");
        for (String note : r.notes()) {
            g.writeString(note);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeFigures(String name, @Nullable FrontierRow row, JsonGenerator g) throws IOException {
        if (row == null) {
            g.writeNullField(name);
            return;
        }
        g.writeObjectFieldStart(name);
        g.writeStringField("quant_tag", row.quantTag());
        g.writeBooleanField("invalid", row.invalid());
        for (Metric metric : new Metric[] {Metric.GENERATION_TOKENS_PER_SECOND, Metric.QUALITY_SCORE}) {
            MetricSummary m = row.kpis().metric(metric);
            NullableFields.number(g, metric.jsonName(), m.median());
            MedianInterval ci = m.medianInterval();
            if (ci == null) {
                g.writeNullField(metric.jsonName() + "_ci");
            } else {
                g.writeArrayFieldStart(metric.jsonName() + "_ci");
                g.writeNumber(ci.lower());
                g.writeNumber(ci.upper());
                g.writeEndArray();
            }
        }
        NullableFields.number(g, "peak_vram_used_mb", row.peakVramMb());
        g.writeEndObject();
    }



}
