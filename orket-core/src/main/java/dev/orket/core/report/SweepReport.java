package dev.orket.core.report;

import dev.orket.api.ConfigurationException;
import dev.orket.api.ExecutionLane;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.ArtifactFiles;
import dev.orket.core.kpi.KpiAggregator;
import dev.orket.core.kpi.LedgerCheck;
import dev.orket.core.kpi.LedgerReading;
import dev.orket.core.kpi.QualityScores;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.recommend.AnalysisSummary;
import dev.orket.core.recommend.SummaryJson;
import dev.orket.core.recommend.ViewOptions;
import dev.orket.core.sweep.OutputDirectory;
import dev.orket.core.sweep.OutputLock;
import dev.orket.core.sweep.SweepArtifacts;
import dev.orket.core.vram.VramAnalyzer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates a sweep's measured-run ledger ({@code runs.jsonl}) into {@code summary.json} and
 * {@code report.html} beside it, under the directory's lock. Each run counts once, by its last attempt;
 * with a manifest beside the ledger, a record of another sweep is refused and planned runs the ledger
 * lacks are reported. Re-running it on the same ledger gives the same bytes.
 *
 * @since 0.1
 */
public final class SweepReport {

    /**
     * What was written.
     *
     * @param summary the analysis
     * @param summaryFile {@code summary.json}
     * @param reportFile {@code report.html}
     * @param ledger what reading the ledger found: duplicates ignored, superseded attempts, missing runs
     */
    public record Written(AnalysisSummary summary, Path summaryFile, Path reportFile, LedgerReading ledger) {
        public Written {
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(ledger, "ledger");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SweepReport.class);

    private SweepReport() {}

    private record Labels(ExecutionLane lane, VramProfile profile) {}

    /** The lane and profile the sweep's manifest recorded, so that an empty or all-blocked sweep carries them. */
    private static java.util.Optional<Labels> labels(Path outputDir) {
        Path manifest = outputDir.resolve("sweep_manifest.json");
        if (!Files.isRegularFile(manifest)) {
            return java.util.Optional.empty();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(manifest.toFile());
            if (node == null || !node.path("execution_lane").isTextual() || !node.path("vram_profile").isTextual()) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new Labels(ExecutionLane.fromJson(node.path("execution_lane").asText()),
                    VramProfile.fromJson(node.path("vram_profile").asText())));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new dev.orket.core.artifact.ArtifactFormatException("cannot read execution_lane and vram_profile"
                    + " from " + manifest + ": " + e.getMessage(), e);
        }
    }

    private static String summaryFromRows(AnalysisSummary summary, String sweepId, Path outputDir) {
        try {
            return SummaryJson.toJson(summary, sweepId);
        } catch (IllegalArgumentException e) {
            throw new dev.orket.api.ConfigurationException("The ledger in " + outputDir + " holds no run and there is"
                    + " no sweep_manifest.json to take execution_lane and vram_profile from; point at a sweep's"
                    + " output directory.", e);
        }
    }

    /**
     * Writes the summary and the report of the ledger in a sweep's output directory, taking the directory's
     * lock for the while.
     *
     * @param outputDir the sweep's output directory, holding {@code runs.jsonl}
     * @param sweepId the sweep's id, labelling both files
     * @param options view options, recorded in the summary
     * @param policy the policy the runs are judged by
     * @throws dev.orket.core.sweep.OutputDirectoryInUseException when another process is writing the directory
     */
    public static Written write(Path outputDir, String sweepId, ViewOptions options, RunPolicy policy) {
        requireLedger(outputDir);
        try (OutputLock lock = OutputLock.acquire(outputDir)) {
            return write(lock, sweepId, options, policy);
        }
    }

    /** Writes the summary and the report under a lock the caller holds on the output directory. */
    public static Written write(OutputLock lock, String sweepId, ViewOptions options, RunPolicy policy) {
        Path outputDir = lock.directory();
        Path ledger = requireLedger(outputDir);
        LedgerReading reading = KpiAggregator.readLedger(ledger, QualityScores.none(), policy, check(outputDir));
        AnalysisSummary summary = AnalysisSummary.analyze(reading.kpis(), options);
        String json = labels(outputDir)
                .map(l -> SummaryJson.toJson(summary, sweepId, l.lane(), l.profile()))
                .orElseGet(() -> summaryFromRows(summary, sweepId, outputDir));
        Path summaryFile = outputDir.resolve("summary.json");
        Path reportFile = outputDir.resolve("report.html");
        ArtifactFiles.writeAtomically(summaryFile, json + "\n");
        ArtifactFiles.writeAtomically(reportFile, HtmlReport.render(json, sweepId, vramSection(outputDir)));
        return new Written(summary, summaryFile, reportFile, reading);
    }

    /** The VRAM section when the sweep has GPU samples; informational, so it never fails the report. */
    private static String vramSection(Path outputDir) {
        if (!Files.isDirectory(outputDir.resolve(SweepArtifacts.SIDECAR_DIR))) {
            return "";
        }
        try {
            return VramReportSection.render(VramAnalyzer.withFacts(List.of()).analyze(outputDir));
        } catch (RuntimeException e) {
            LOG.warn("VRAM analysis left out of the report: {}", e.getMessage());
            return "";
        }
    }

    private static Path requireLedger(Path outputDir) {
        Path ledger = outputDir.resolve("runs.jsonl");
        if (!Files.isRegularFile(ledger)) {
            throw new ConfigurationException("No run ledger at " + ledger + "; point at a sweep's output directory.");
        }
        return ledger;
    }

    /** The manifest's sweep and plan, or no checks when the directory has no manifest. */
    private static LedgerCheck check(Path outputDir) {
        Path manifest = outputDir.resolve(OutputDirectory.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return LedgerCheck.NONE;
        }
        try {
            SweepArtifacts.ManifestPlan plan = SweepArtifacts.planOf(Files.readString(manifest,
                    StandardCharsets.UTF_8));
            return new LedgerCheck(plan.sweepId(), plan.measuredRunIds());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest + ": " + e.getMessage(), e);
        }
    }
}
