package dev.orket.core.vram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.ConfigurationException;
import dev.orket.api.ExecutionLane;
import dev.orket.api.RunIdentity;
import dev.orket.api.RunTelemetry;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.inventory.GgufReader;
import dev.orket.core.sweep.LedgerEntry;
import dev.orket.core.sweep.RunLedger;
import dev.orket.core.sweep.RunPhase;
import dev.orket.core.sweep.SweepArtifacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads a sweep's output directory (manifest, ledgers, {@code sidecar/*.jsonl} GPU samples) and
 * explains each cell's peak VRAM by its weights and KV cache ({@code docs/vram-analyzer.md}).
 * Informational: nothing it finds changes a run's validity, a KPI or a recommendation.
 *
 * <p>Per cell (model × quant tag × server context size), with runs in execution order (warm-up,
 * canary, measured; ledger order within each):
 * <ul>
 *   <li>{@code measured_peak_mib}: the highest {@code vram_used_mib} of any sample of the cell;
 *   <li>{@code baseline_mib}: the lowest sample of the cell's first run (taken before the model
 *       loaded), absent when the rise to the peak is smaller than the weights (the model was already
 *       resident when sampling began);
 *   <li>{@code unexplained_mib} = peak − baseline − weights − KV cache, and its share of
 *       peak − baseline;
 *   <li>the least-squares slope of each run's last sample over run number.
 * </ul>
 * Samples are those of one GPU: the given index, else the first sample's. The KV cache is computed at
 * the runs' {@code server_context_size}, else the manifest's {@code context_size}, else the model
 * facts' {@code context} ({@code context_source} says which).
 *
 * @since 0.1
 */
public final class VramAnalyzer {

    /** The model facts file read from a sweep directory when present. */
    public static final String MODEL_FACTS_FILE = "model_facts.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<RunPhase> EXECUTION_ORDER = List.of(RunPhase.WARMUP, RunPhase.CANARY, RunPhase.MEASURED);

    private final VramThresholds thresholds;
    private final List<ModelFacts> facts;
    private final @Nullable Integer gpuIndex;

    private VramAnalyzer(VramThresholds thresholds, List<ModelFacts> facts, @Nullable Integer gpuIndex) {
        this.thresholds = thresholds;
        this.facts = List.copyOf(facts);
        this.gpuIndex = gpuIndex;
    }

    /**
     * An analyzer using the given model facts (matched by model and quant tag, then by quant tag for
     * facts that name no model), the default thresholds and the first sample's GPU.
     */
    public static VramAnalyzer withFacts(List<ModelFacts> facts) {
        return new VramAnalyzer(VramThresholds.DEFAULT, facts, null);
    }

    /** The same analyzer with other thresholds. */
    public VramAnalyzer thresholds(VramThresholds value) {
        return new VramAnalyzer(Objects.requireNonNull(value, "thresholds"), facts, gpuIndex);
    }

    /** The same analyzer reading the samples of the GPU of this index. */
    public VramAnalyzer gpuIndex(int value) {
        return new VramAnalyzer(thresholds, facts, value);
    }

    /** Model facts from every {@code *.gguf} file directly in a folder (headers only), matched by quant tag. */
    public static List<ModelFacts> factsFromGgufDir(Path dir) {
        List<ModelFacts> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.gguf")) {
            for (Path file : files) {
                found.add(ModelFacts.fromGguf(GgufReader.read(file), file.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list GGUF files in " + dir, e);
        }
        found.sort(java.util.Comparator.comparing(ModelFacts::source));
        return found;
    }

    /**
     * Analyzes a sweep's output directory, adding the facts of its {@code model_facts.json} when
     * present to the analyzer's own.
     *
     * @throws ConfigurationException when the directory holds no sweep manifest
     * @throws ArtifactFormatException naming the file, line and field when an artifact cannot be read
     */
    public VramAnalysis analyze(Path sweepDir) {
        Path manifestFile = sweepDir.resolve("sweep_manifest.json");
        if (!Files.isRegularFile(manifestFile)) {
            throw new ConfigurationException("No sweep manifest at " + manifestFile
                    + "; point orket analyze vram at a sweep's output directory.");
        }
        JsonNode manifest = readJson(manifestFile);
        String sweepId = text(manifest, "sweep_id", manifestFile);
        ExecutionLane lane = ExecutionLane.fromJson(text(manifest, "execution_lane", manifestFile));
        VramProfile profile = VramProfile.fromJson(text(manifest, "vram_profile", manifestFile));
        JsonNode configured = manifest.path("context_size");
        Integer configuredContext = configured.canConvertToInt() && configured.isIntegralNumber() ? configured.asInt()
                : null;
        List<ModelFacts> allFacts = new ArrayList<>(facts);
        Path factsFile = sweepDir.resolve(MODEL_FACTS_FILE);
        if (Files.isRegularFile(factsFile)) {
            allFacts.addAll(ModelFactsJson.read(factsFile));
        }

        Map<CellId, List<RunTelemetry>> runsByCell = new LinkedHashMap<>();
        for (RunPhase phase : EXECUTION_ORDER) {
            Path ledger = sweepDir.resolve(phase.ledgerFile());
            if (!Files.isRegularFile(ledger)) {
                continue;
            }
            for (LedgerEntry entry : RunLedger.readAll(ledger)) {
                RunTelemetry run = entry.telemetry();
                RunIdentity id = run.identity();
                String model = id.modelFamily() != null ? id.modelFamily() : id.model();
                runsByCell.computeIfAbsent(new CellId(model, id.quantTag(), run.serverContextSize()),
                        key -> new ArrayList<>()).add(run);
            }
        }
        List<VramCell> cells = new ArrayList<>();
        for (Map.Entry<CellId, List<RunTelemetry>> cell : runsByCell.entrySet()) {
            cells.add(analyzeCell(sweepDir, cell.getKey(), cell.getValue(), allFacts, configuredContext));
        }
        return new VramAnalysis(sweepId, lane, profile, thresholds, cells);
    }

    private record CellId(String model, @Nullable String quantTag, @Nullable Integer context) {}

    private VramCell analyzeCell(Path dir, CellId id, List<RunTelemetry> runs, List<ModelFacts> allFacts,
            @Nullable Integer configuredContext) {
        Map<String, VramUnavailableReason> reasons = new TreeMap<>();
        Integer gpu = gpuIndex;
        long peak = Long.MIN_VALUE;
        Long firstRunMin = null;
        List<Long> postRun = new ArrayList<>();
        for (RunTelemetry run : runs) {
            List<long[]> samples = samples(dir, run.identity().runId());
            long runMin = Long.MAX_VALUE;
            long last = -1;
            long lastOffset = Long.MIN_VALUE;
            for (long[] sample : samples) {
                if (gpu == null) {
                    gpu = (int) sample[1];
                }
                if (sample[1] != gpu) {
                    continue;
                }
                peak = Math.max(peak, sample[2]);
                runMin = Math.min(runMin, sample[2]);
                if (sample[0] >= lastOffset) {
                    lastOffset = sample[0];
                    last = sample[2];
                }
            }
            if (last >= 0) {
                postRun.add(last);
                if (firstRunMin == null) {
                    firstRunMin = runMin;
                }
            }
        }
        Long measuredPeak = peak == Long.MIN_VALUE ? null : peak;
        if (measuredPeak == null) {
            reasons.put("measured_peak_mib", VramUnavailableReason.NO_GPU_SAMPLES);
        }
        ModelFacts matched = match(allFacts, id);
        Long weights = matched == null ? null : matched.weightsMib();
        if (matched == null) {
            reasons.put("weights_mib", VramUnavailableReason.NO_MODEL_FACTS);
            reasons.put("kv_cache_mib", VramUnavailableReason.NO_MODEL_FACTS);
        }
        Integer context = id.context();
        VramCell.ContextSource contextSource = context == null ? null : VramCell.ContextSource.SERVER_REPORTED;
        if (context == null && configuredContext != null) {
            context = configuredContext;
            contextSource = VramCell.ContextSource.CONFIGURED;
        }
        if (context == null && matched != null && matched.context() != null) {
            context = matched.context();
            contextSource = VramCell.ContextSource.MODEL_FACTS;
        }
        if (context == null) {
            reasons.put("context", VramUnavailableReason.NO_CONTEXT_SIZE);
        }
        Long kv = null;
        if (matched != null) {
            if (context == null) {
                reasons.put("kv_cache_mib", VramUnavailableReason.NO_CONTEXT_SIZE);
            } else {
                kv = matched.kvCacheMib(context);
                if (kv == null) {
                    reasons.put("kv_cache_mib", VramUnavailableReason.NO_KV_SHAPE);
                }
            }
        }
        Long baseline = null;
        if (firstRunMin == null) {
            reasons.put("baseline_mib", VramUnavailableReason.NO_GPU_SAMPLES);
        } else if (measuredPeak != null && weights != null && measuredPeak - firstRunMin < weights) {
            reasons.put("baseline_mib", VramUnavailableReason.MODEL_RESIDENT_AT_FIRST_SAMPLE);
        } else {
            baseline = firstRunMin;
        }
        Long unexplained = null;
        Double share = null;
        if (measuredPeak != null && baseline != null && weights != null && kv != null) {
            unexplained = measuredPeak - baseline - weights - kv;
            long rise = measuredPeak - baseline;
            if (rise > 0) {
                share = (double) unexplained / rise;
            }
        }
        if (unexplained == null) {
            reasons.put("unexplained_mib", VramUnavailableReason.DEPENDS_ON_ABSENT_FIGURE);
        }
        if (share == null) {
            reasons.put("unexplained_share", VramUnavailableReason.DEPENDS_ON_ABSENT_FIGURE);
        }
        Double slope = null;
        if (postRun.size() >= thresholds.minRunsForSlope()) {
            slope = slope(postRun);
        } else {
            reasons.put("post_run_slope_mib_per_run", VramUnavailableReason.TOO_FEW_RUNS);
        }
        List<VramFlag> flags = new ArrayList<>();
        if (share != null && share > thresholds.unexplainedShare()) {
            flags.add(VramFlag.HIGH_UNEXPLAINED_VRAM);
        }
        if (slope != null && slope >= thresholds.slopeMibPerRun()) {
            flags.add(VramFlag.VRAM_GROWTH_OVER_RUNS);
        }
        VramCell.Breakdown breakdown = new VramCell.Breakdown(weights, kv, baseline, measuredPeak, unexplained, share,
                matched == null ? null : matched.source());
        return new VramCell(id.model(), id.quantTag(), context, contextSource, breakdown,
                new VramCell.Trend(runs.size(), postRun, slope), flags, reasons);
    }

    private static @Nullable ModelFacts match(List<ModelFacts> all, CellId id) {
        ModelFacts byTag = null;
        for (ModelFacts candidate : all) {
            if (!candidate.quantTag().equalsIgnoreCase(String.valueOf(id.quantTag()))) {
                continue;
            }
            if (id.model().equals(candidate.model())) {
                return candidate;
            }
            if (candidate.model() == null && byTag == null) {
                byTag = candidate;
            }
        }
        return byTag;
    }

    /** Least-squares slope of values over their index 0, 1, 2, …, in units per index. */
    static double slope(List<Long> values) {
        int n = values.size();
        double meanX = (n - 1) / 2.0;
        double meanY = 0;
        for (long v : values) {
            meanY += v;
        }
        meanY /= n;
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (i - meanX) * (values.get(i) - meanY);
            den += (i - meanX) * (i - meanX);
        }
        return num / den;
    }

    /** {offset_ms, gpu_index, vram_used_mib} of each sample with a VRAM reading; none when the run has no file. */
    private static List<long[]> samples(Path dir, String runId) {
        Path file = SweepArtifacts.sidecarSamplesFile(dir, runId);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read GPU samples " + file, e);
        }
        List<long[]> samples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode sample;
            try {
                sample = MAPPER.readTree(lines.get(i));
            } catch (IOException e) {
                throw new ArtifactFormatException("GPU samples " + file + " line " + (i + 1) + " is not JSON: "
                        + e.getMessage(), e);
            }
            JsonNode used = sample.path("vram_used_mib");
            if (used.isNull() || used.isMissingNode()) {
                // An absent reading is absent: the sample says nothing about VRAM.
                continue;
            }
            samples.add(new long[] {
                integer(sample, "offset_ms", file, i + 1, 0), integer(sample, "gpu_index", file, i + 1, 0),
                integer(sample, "vram_used_mib", file, i + 1, 0)
            });
        }
        return samples;
    }

    private static long integer(JsonNode node, String field, Path file, int line, long absent) {
        JsonNode value = node.path(field);
        if (value.isNull() || value.isMissingNode()) {
            return absent;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new ArtifactFormatException("GPU samples " + file + " line " + line + ": field " + field
                    + " must be an integer but was '" + value + "'");
        }
        return value.asLong();
    }

    private static JsonNode readJson(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ArtifactFormatException("cannot read " + file + " as JSON: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field, Path file) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new ArtifactFormatException(file + ": field " + field + " must be a string but was '" + value + "'");
        }
        return value.asText();
    }
}
