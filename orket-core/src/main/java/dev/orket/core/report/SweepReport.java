package dev.orket.core.report;

import dev.orket.core.artifact.ArtifactFiles;
import dev.orket.core.kpi.KpiAggregator;
import dev.orket.core.kpi.KpiSummary;
import dev.orket.core.kpi.QualityScores;
import dev.orket.core.policy.RunPolicy;
import dev.orket.core.recommend.AnalysisSummary;
import dev.orket.core.recommend.SummaryJson;
import dev.orket.core.recommend.ViewOptions;
import dev.orket.core.sweep.SweepArtifacts;
import dev.orket.core.vram.VramAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates a sweep's measured-run ledger ({@code runs.jsonl}) into {@code summary.json} and
 * {@code report.html} beside it. Re-running it on the same ledger gives the same bytes.
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
     */
    public record Written(AnalysisSummary summary, Path summaryFile, Path reportFile) {}

    private static final Logger LOG = LoggerFactory.getLogger(SweepReport.class);

    private SweepReport() {}

    /**
     * Writes the summary and the report of the ledger in a sweep's output directory.
     *
     * @param outputDir the sweep's output directory, holding {@code runs.jsonl}
     * @param sweepId the sweep's id, labelling both files
     * @param options view options, recorded in the summary
     * @param policy the policy the runs are judged by
     */
    public static Written write(Path outputDir, String sweepId, ViewOptions options, RunPolicy policy) {
        Path ledger = outputDir.resolve("runs.jsonl");
        if (!Files.isRegularFile(ledger)) {
            throw new dev.orket.api.ConfigurationException("No run ledger at " + ledger
                    + "; point at a sweep's output directory.");
        }
        KpiSummary kpis = KpiAggregator.aggregateLedger(ledger, QualityScores.none(), policy);
        AnalysisSummary summary = AnalysisSummary.analyze(kpis, options);
        String json = SummaryJson.toJson(summary, sweepId);
        Path summaryFile = outputDir.resolve("summary.json");
        Path reportFile = outputDir.resolve("report.html");
        ArtifactFiles.writeAtomically(summaryFile, json + "\n");
        ArtifactFiles.writeAtomically(reportFile, HtmlReport.render(json, sweepId, vramSection(outputDir)));
        return new Written(summary, summaryFile, reportFile);
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

}
