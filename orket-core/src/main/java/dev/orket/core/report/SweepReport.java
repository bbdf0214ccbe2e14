package dev.orket.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.orket.core.recommend.ContextCeilings;
import dev.orket.core.recommend.SummaryJson;
import dev.orket.core.recommend.ViewOptions;
import dev.orket.core.sweep.OutputDirectory;
import dev.orket.core.sweep.OutputLock;
import dev.orket.core.sweep.RunLedger;
import dev.orket.core.sweep.Shard;
import dev.orket.core.sweep.SweepArtifacts;
import dev.orket.core.vram.VramAnalyzer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
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
     * @param contextCeilings a context sweep's verdicts per (model, quant, context), or null for a sweep without
     *     contexts
     */
    public record Written(AnalysisSummary summary, Path summaryFile, Path reportFile, LedgerReading ledger,
            ContextCeilings.@Nullable Result contextCeilings) {
        public Written {
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(ledger, "ledger");
        }

        /** What was written for a sweep without contexts. */
        public Written(AnalysisSummary summary, Path summaryFile, Path reportFile, LedgerReading ledger) {
            this(summary, summaryFile, reportFile, ledger, null);
        }
    }

    /** The file listing the cells that did not run. */
    private static final String BLOCKED_CELLS = "blocked_cells.json";
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
        Map<String, String> blocked = blockedCells(outputDir);
        SweepArtifacts.ContextSweepRecord contextSweep = contextSweep(outputDir);
        ContextCeilings.Result ceilings = contextSweep == null ? null
                : ContextCeilings.judge(reading.kpis(), contextSweep.thresholds(), contextSweep.cells(), blocked);
        String json = labels(outputDir)
                .map(l -> SummaryJson.toJson(summary, sweepId, l.lane(), l.profile(), blocked, ceilings))
                .orElseGet(() -> summaryFromRows(summary, sweepId, outputDir));
        Path summaryFile = outputDir.resolve("summary.json");
        Path reportFile = outputDir.resolve("report.html");
        ArtifactFiles.writeAtomically(summaryFile, json + "\n");
        ArtifactFiles.writeAtomically(reportFile, HtmlReport.render(json, sweepId, vramSection(outputDir)));
        return new Written(summary, summaryFile, reportFile, reading, ceilings);
    }

    /** The context sweep the manifest beside the ledger recorded, or null (no manifest, or no context sweep). */
    private static SweepArtifacts.@Nullable ContextSweepRecord contextSweep(Path outputDir) {
        Path manifest = outputDir.resolve(OutputDirectory.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return null;
        }
        return SweepArtifacts.contextSweepOf(read(manifest));
    }

    /** The cells {@code blocked_cells.json} lists, or none when the directory has no such file. */
    private static Map<String, String> blockedCells(Path outputDir) {
        Path file = outputDir.resolve(BLOCKED_CELLS);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return SweepArtifacts.blockedOf(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Merges the outputs of a sweep's shards ({@code orket sweep --shard I/N}) into one output directory and writes its
     * summary and report: each shard contributes the ledger lines of the cells it owns (a baseline run by several
     * shards for scoring counts once, from its owner), its blocked cells, and the manifest's plan. The shards must
     * share the config digest, lane and profile, and be distinct shards of one split.
     *
     * @param lock the held lock of the (new or empty) directory to merge into
     * @param shardDirs the shards' output directories
     * @throws ConfigurationException naming the directory and the field that does not match
     */
    public static Written merge(OutputLock lock, List<Path> shardDirs, ViewOptions options,
            RunPolicy policy) {
        if (shardDirs.isEmpty()) {
            throw new ConfigurationException("merging needs at least one shard directory");
        }
        Path out = lock.directory();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode merged = null;
        ArrayNode cells = mapper.createArrayNode();
        Map<String, String> blocked = new LinkedHashMap<>();
        Set<Integer> indices = new HashSet<>();
        StringBuilder ledger = new StringBuilder();
        String firstDir = null;
        for (Path dir : shardDirs) {
            Path manifestFile = dir.resolve(OutputDirectory.MANIFEST);
            if (!Files.isRegularFile(manifestFile)) {
                throw new ConfigurationException("No sweep manifest at " + manifestFile
                        + "; point at the shards' output directories.");
            }
            String manifest = read(manifestFile);
            JsonNode node = tree(mapper, manifestFile, manifest);
            Shard shard = SweepArtifacts.shardOf(manifest);
            if (merged == null) {
                merged = (ObjectNode) node.deepCopy();
                firstDir = dir.toString();
            } else {
                for (String field : List.of("config_sha256", "execution_lane", "vram_profile", "sweep_id")) {
                    if (!merged.path(field).equals(node.path(field))) {
                        throw new ConfigurationException("Shard " + dir + " has " + field + " " + node.path(field)
                                + " but " + firstDir + " has " + merged.path(field)
                                + "; only shards of one sweep (same config, lane and profile) merge.");
                    }
                }
                if (merged.path("shard").path("count").asInt(1) != shard.count()) {
                    throw new ConfigurationException("Shard " + dir + " is shard " + shard + " but " + firstDir
                            + " is one of " + merged.path("shard").path("count").asInt(1)
                            + " shards; merge the shards of one split.");
                }
            }
            if (!indices.add(shard.index())) {
                throw new ConfigurationException("Shard " + dir + " is shard " + shard
                        + " again; give each shard's directory once.");
            }
            Set<String> owned = SweepArtifacts.ownedCellsOf(manifest);
            boolean contextSweep = !node.path("context_sweep").isMissingNode() && !node.path("context_sweep").isNull();
            for (JsonNode cell : node.path("cells")) {
                if (!cell.path("scoring_only").asBoolean(false)) {
                    cells.add(cell);
                }
            }
            Path blockedFile = dir.resolve(BLOCKED_CELLS);
            if (Files.isRegularFile(blockedFile)) {
                SweepArtifacts.blockedOf(read(blockedFile)).forEach((cell, reason) -> {
                    if (owned.contains(cell)) {
                        blocked.put(cell, reason);
                    }
                });
            }
            Path runs = dir.resolve("runs.jsonl");
            if (Files.isRegularFile(runs)) {
                String[] lines = read(runs).split("\n");
                for (int i = 0; i < lines.length; i++) {
                    String line = lines[i];
                    if (line.isBlank()) {
                        continue;
                    }
                    dev.orket.api.RunIdentity identity;
                    try {
                        identity = RunLedger.parse(line).telemetry().identity();
                    } catch (dev.orket.core.artifact.ArtifactFormatException e) {
                        // Named as the report names a ledger's bad line: which shard's file, which line.
                        throw new dev.orket.core.artifact.ArtifactFormatException("ledger " + runs + " line " + (i + 1)
                                + ": " + e.getMessage(), e);
                    }
                    // A context sweep's cell is model/quant@context: its runs asked for the cell's context. Outside
                    // one, every run asks for the sweep's context_size (or none) and the cell is model/quant.
                    String cell = dev.orket.core.sweep.SweepCell.key(String.valueOf(identity.modelFamily()),
                            String.valueOf(identity.quantTag()), contextSweep ? identity.contextSize() : null);
                    if (owned.contains(cell)) {
                        ledger.append(line).append('\n');
                    }
                }
            }
        }
        merged.set("cells", cells);
        merged.putObject("shard").put("index", 1).put("count", 1);
        ArrayNode from = merged.putArray("merged_from");
        for (Path dir : shardDirs) {
            from.add(dir.toAbsolutePath().normalize().toString());
        }
        try {
            OutputDirectory.claim(out);
            ArtifactFiles.writeAtomically(out.resolve(OutputDirectory.MANIFEST), mapper.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(merged) + "\n");
            ArtifactFiles.writeAtomically(out.resolve("runs.jsonl"), ledger.toString());
            ArtifactFiles.writeAtomically(out.resolve(BLOCKED_CELLS), blockedJson(mapper, merged, blocked));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the merged sweep to " + out + ": " + e.getMessage(), e);
        }
        return write(lock, merged.path("sweep_id").asText(), options, policy);
    }

    private static String blockedJson(ObjectMapper mapper,
            JsonNode manifest, Map<String, String> blocked) throws IOException {
        ObjectNode node = mapper.createObjectNode();
        node.put("schema_version", manifest.path("schema_version").asInt(1));
        node.put("record_type", "blocked_cells");
        node.set("execution_lane", manifest.path("execution_lane"));
        node.set("vram_profile", manifest.path("vram_profile"));
        node.set("sweep_id", manifest.path("sweep_id"));
        ObjectNode cells = node.putObject("blocked");
        blocked.forEach(cells::put);
        return mapper.writeValueAsString(node) + "\n";
    }

    private static JsonNode tree(ObjectMapper mapper,
            Path file, String json) {
        try {
            JsonNode node = mapper.readTree(json);
            if (node == null || !node.isObject()) {
                throw new ConfigurationException(file + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ConfigurationException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
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
