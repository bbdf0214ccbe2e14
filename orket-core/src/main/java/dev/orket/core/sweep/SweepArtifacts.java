package dev.orket.core.sweep;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.ServerIdentity;
import dev.orket.api.GpuSample;
import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.artifact.GpuSampleJson;
import dev.orket.core.artifact.NullableFields;
import dev.orket.core.artifact.SchemaVersion;
import dev.orket.core.host.ServerProcess;
import dev.orket.core.host.ServerProcessRule;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The sweep's JSON artifacts besides the ledgers: the manifest, the canary verdict, blocked cells and
 * GPU sample lines. Each carries {@code schema_version}, {@code execution_lane} and {@code vram_profile}.
 *
 * @since 0.1
 */
public final class SweepArtifacts {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SweepArtifacts() {}

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String object(String recordType, SweepConfig config, Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("schema_version", SchemaVersion.CURRENT);
            g.writeStringField("record_type", recordType);
            g.writeStringField("execution_lane", config.executionLane().jsonName());
            g.writeStringField("vram_profile", config.vramProfile().jsonName());
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * One process found to be the measured server's, recorded in the manifest.
     *
     * @param cell the key of the cell whose server it was ({@link SweepCell#key()}), or null for a server shared by
     *     every cell
     * @param process the process and how it was found
     */
    public record ResolvedServerProcess(@Nullable String cell, ServerProcess process) {
        public ResolvedServerProcess {
            java.util.Objects.requireNonNull(process, "process");
        }
    }

    /**
     * What one cell's server said it serves, for the manifest.
     *
     * @param quant the cell's configured quant tag, which the served one is verified against
     * @param identity what the server said
     */
    public record CellIdentity(String quant, ServerIdentity identity) {
        public CellIdentity {
            java.util.Objects.requireNonNull(quant, "quant");
            java.util.Objects.requireNonNull(identity, "identity");
        }
    }

    /** The manifest without any server process resolved or identity read yet. */
    public static String manifestJson(String sweepId, SweepConfig config, String configDigest, SweepPlan plan,
            String providerId, @Nullable String sidecarId, Instant createdAt) {
        return manifestJson(sweepId, config, configDigest, plan, providerId, sidecarId, createdAt, List.of(),
                Map.of());
    }

    /**
     * The manifest: the resolved matrix, config digest, tool versions, controls, gates, lane and profile, the
     * measured server's processes found so far (never counted as foreign), and what each cell's server said it
     * serves ({@code cell_identities}, by cell key: {@code model/quant}, {@code model/quant@context} in a context
     * sweep), and a context sweep's contexts and thresholds ({@code context_sweep}).
     */
    public static String manifestJson(String sweepId, SweepConfig config, String configDigest, SweepPlan plan,
            String providerId, @Nullable String sidecarId, Instant createdAt,
            List<ResolvedServerProcess> serverProcesses, Map<String, CellIdentity> identities) {
        return object("sweep_manifest", config, g -> {
            g.writeStringField("sweep_id", sweepId);
            g.writeStringField("created_at", createdAt.toString());
            g.writeStringField("config_sha256", configDigest);
            g.writeObjectFieldStart("tool_versions");
            g.writeStringField("orket", OrketVersion.current());
            g.writeStringField("java", System.getProperty("java.version", "unknown"));
            g.writeStringField("os", System.getProperty("os.name", "unknown") + " "
                    + System.getProperty("os.arch", ""));
            g.writeEndObject();
            g.writeStringField("provider", providerId);
            g.writeStringField("base_url", config.provider().baseUrl().toString());
            NullableFields.string(g, "sidecar", sidecarId);
            g.writeObjectFieldStart("controls");
            g.writeNumberField("seed", config.controls().seed());
            NullableFields.number(g, "threads", config.controls().threads());
            g.writeStringField("affinity_policy", config.controls().affinityPolicy());
            g.writeNumberField("temperature", config.controls().temperature());
            g.writeEndObject();
            g.writeNumberField("repetitions", config.repetitions());
            g.writeNumberField("warmup_runs", config.warmupRuns());
            g.writeBooleanField("stream", config.stream());
            NullableFields.number(g, "context_size", config.contextSize());
            writeContextSweep(g, config.contextSweep());
            g.writeObjectFieldStart("canary");
            g.writeNumberField("runs", config.canary().runs());
            g.writeNumberField("latency_variance_threshold", config.canary().latencyVarianceThreshold());
            g.writeNumberField("adherence_threshold", config.canary().adherenceThreshold());
            NullableFields.number(g, "latency_ceiling_ms", config.canary().latencyCeilingMs());
            g.writeEndObject();
            g.writeObjectFieldStart("thermal_gate");
            g.writeBooleanField("enabled", config.thermalGate().enabled());
            g.writeNumberField("target_c", config.thermalGate().targetC());
            g.writeNumberField("max_wait_ms", config.thermalGate().maxWait().toMillis());
            g.writeNumberField("poll_ms", config.thermalGate().pollInterval().toMillis());
            g.writeNumberField("cooldown_ms", config.thermalGate().cooldownBetweenCells().toMillis());
            g.writeEndObject();
            g.writeObjectFieldStart("vram_preflight");
            g.writeStringField("mode", config.preflight().mode().jsonName());
            NullableFields.number(g, "card_vram_mib", config.preflight().cardVramMib());
            g.writeEndObject();
            g.writeArrayFieldStart("sessions");
            for (PromptSession session : config.sessions()) {
                g.writeStartObject();
                g.writeStringField("id", session.id());
                g.writeStringField("style", session.style().jsonName());
                g.writeNumberField("max_output_tokens", session.maxOutputTokens());
                g.writeStringField("scorer", session.scorer());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("cells");
            for (SweepCell cell : plan.cells()) {
                g.writeStartObject();
                g.writeStringField("model", cell.model());
                g.writeStringField("quant", cell.quant());
                if (cell.context() != null) {
                    g.writeNumberField("context", cell.context());
                }
                g.writeStringField("server_model", cell.serverModel());
                g.writeBooleanField("baseline", cell.baseline());
                g.writeBooleanField("scoring_only", cell.scoringOnly());
                g.writeNumberField("planned_runs", cell.runs().size());
                Long estimate = config.preflight().estimateFor(cell);
                NullableFields.number(g, "vram_estimate_mib", estimate);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("canary_runs_planned", plan.canaryRuns().size());
            g.writeNumberField("measured_runs_planned", plan.measuredRunCount());
            g.writeObjectFieldStart("shard");
            g.writeNumberField("index", plan.shard().index());
            g.writeNumberField("count", plan.shard().count());
            g.writeEndObject();
            g.writeNumberField("max_attempts", config.resilience().maxAttempts());
            g.writeNumberField("readiness_timeout_ms", config.resilience().readinessTimeout().toMillis());
            g.writeNumberField("max_consecutive_failures", config.resilience().maxConsecutiveFailures());
            writeServerProcesses(g, config, serverProcesses);
            writeIdentities(g, identities);
        });
    }

    /**
     * {@code context_sweep}, written only for a context sweep: the profile, its file as the config named it, the
     * resolved contexts and thresholds (what the report judges by), and the prompt fill.
     */
    private static void writeContextSweep(JsonGenerator g, @Nullable ContextSweep sweep) throws IOException {
        if (sweep == null) {
            return;
        }
        g.writeObjectFieldStart("context_sweep");
        NullableFields.string(g, "profile", sweep.profile());
        NullableFields.string(g, "profiles_file", sweep.profilesFile());
        g.writeArrayFieldStart("contexts");
        for (int context : sweep.contexts()) {
            g.writeNumber(context);
        }
        g.writeEndArray();
        g.writeNumberField("adherence_min", sweep.thresholds().adherenceMin());
        g.writeNumberField("ttft_ceiling_ms", sweep.thresholds().ttftCeilingMs());
        g.writeNumberField("decode_floor_tps", sweep.thresholds().decodeFloorTps());
        g.writeNumberField("prompt_fill", sweep.promptFill());
        g.writeStringField("filler_word", ContextFill.FILLER_WORD);
        g.writeEndObject();
    }

    /**
     * What a manifest recorded of a context sweep.
     *
     * @param thresholds what each (quant, context) had to reach
     * @param cells the planned (model, quant, context) cells the manifest lists, in plan order
     * @param recorded the manifest's {@code context_sweep} object as written, to compare a resumed config's with
     */
    public record ContextSweepRecord(dev.orket.core.recommend.ContextThresholds thresholds,
            List<dev.orket.core.recommend.ContextCeilings.PlannedCell> cells, String recorded) {
        public ContextSweepRecord {
            java.util.Objects.requireNonNull(thresholds, "thresholds");
            cells = List.copyOf(cells);
            java.util.Objects.requireNonNull(recorded, "recorded");
        }
    }

    /**
     * The context sweep a manifest recorded, or null for a sweep without one.
     *
     * @throws ArtifactFormatException naming the field when the section is malformed
     */
    public static @Nullable ContextSweepRecord contextSweepOf(String manifestJson) {
        JsonNode node = tree(manifestJson);
        JsonNode sweep = node.path("context_sweep");
        if (sweep.isMissingNode() || sweep.isNull()) {
            return null;
        }
        for (String field : List.of("adherence_min", "ttft_ceiling_ms", "decode_floor_tps")) {
            if (!sweep.path(field).isNumber()) {
                throw new ArtifactFormatException("sweep_manifest.json context_sweep." + field + " must be a number but"
                        + " was " + sweep.path(field));
            }
        }
        dev.orket.core.recommend.ContextThresholds thresholds;
        try {
            thresholds = new dev.orket.core.recommend.ContextThresholds(sweep.path("adherence_min").asDouble(),
                    sweep.path("ttft_ceiling_ms").asDouble(), sweep.path("decode_floor_tps").asDouble());
        } catch (IllegalArgumentException e) {
            throw new ArtifactFormatException("sweep_manifest.json context_sweep: " + e.getMessage(), e);
        }
        List<dev.orket.core.recommend.ContextCeilings.PlannedCell> cells = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JsonNode cell : node.path("cells")) {
            JsonNode context = cell.path("context");
            if (!context.canConvertToInt() || context.asInt() <= 0) {
                throw new ArtifactFormatException("sweep_manifest.json of a context sweep lists cell "
                        + cell.path("model").asText() + "/" + cell.path("quant").asText() + " without a positive"
                        + " context: " + context);
            }
            var planned = new dev.orket.core.recommend.ContextCeilings.PlannedCell(cell.path("model").asText(),
                    cell.path("quant").asText(), context.asInt());
            // A merged manifest lists each shard's own cells once; a shard's manifest its scoring-only ones too.
            if (seen.add(planned.key())) {
                cells.add(planned);
            }
        }
        return new ContextSweepRecord(thresholds, cells, sweep.toString());
    }

    /** The {@code context_sweep} object this config writes into a manifest, as {@link ContextSweepRecord#recorded()}. */
    static String contextSweepJson(@Nullable ContextSweep sweep) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            writeContextSweep(g, sweep);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tree(out.toString()).path("context_sweep").toString();
    }

    private static void writeIdentities(JsonGenerator g, Map<String, CellIdentity> identities) throws IOException {
        g.writeObjectFieldStart("cell_identities");
        for (Map.Entry<String, CellIdentity> entry : identities.entrySet()) {
            ServerIdentity identity = entry.getValue().identity();
            g.writeObjectFieldStart(entry.getKey());
            g.writeStringField("quant", entry.getValue().quant());
            NullableFields.string(g, "server_build", identity.build());
            NullableFields.string(g, "server_model_file", identity.modelFile());
            NullableFields.string(g, "served_quant_tag", identity.servedQuantTag());
            NullableFields.bool(g, "quant_tag_verified", identity.quantTagVerified(entry.getValue().quant()));
            NullableFields.number(g, "server_context_size", identity.contextSize());
            NullableFields.number(g, "server_total_slots", identity.totalSlots());
            NullableFields.string(g, "model_family", identity.family());
            NullableFields.string(g, "parameter_size", identity.parameterSize());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** What a manifest recorded of each cell's server, by cell key (none for an older manifest). */
    public static Map<String, CellIdentity> cellIdentitiesOf(String manifestJson) {
        Map<String, CellIdentity> identities = new java.util.LinkedHashMap<>();
        tree(manifestJson).path("cell_identities").fields().forEachRemaining(entry -> {
            JsonNode n = entry.getValue();
            String key = entry.getKey();
            // Written since context sweeps (whose keys end in @context); an older manifest's key ends in the quant.
            String quant = n.path("quant").isTextual() ? n.path("quant").asText()
                    : key.substring(key.lastIndexOf('/') + 1);
            identities.put(key, new CellIdentity(quant, new ServerIdentity(text(n, "server_build"),
                    ServerIdentity.baseName(text(n, "server_model_file")), text(n, "served_quant_tag"),
                    positive(n, "server_context_size"), positive(n, "server_total_slots"), text(n, "model_family"),
                    text(n, "parameter_size"))));
        });
        return identities;
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static @Nullable Integer positive(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.canConvertToInt() && value.asInt() > 0 ? value.asInt() : null;
    }

    private static void writeServerProcesses(JsonGenerator g, SweepConfig config,
            List<ResolvedServerProcess> serverProcesses) throws IOException {
        g.writeObjectFieldStart("server_processes");
        g.writeBooleanField("managed", config.managedServer() != null);
        NullableFields.number(g, "loopback_port", config.managedServer() != null ? null
                : ServerProcessRule.loopbackPort(config.provider().baseUrl()));
        g.writeArrayFieldStart("process_names");
        for (String name : config.serverProcessNames()) {
            g.writeString(name);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("resolved");
        for (ResolvedServerProcess entry : new java.util.LinkedHashSet<>(serverProcesses)) {
            g.writeStartObject();
            NullableFields.string(g, "cell", entry.cell());
            g.writeNumberField("pid", entry.process().pid());
            g.writeStringField("name", entry.process().name());
            g.writeStringField("found_by", entry.process().foundBy());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The creation time a manifest recorded. */
    public static Instant createdAtOf(String manifestJson) {
        JsonNode node = tree(manifestJson);
        JsonNode created = node.get("created_at");
        if (created == null || !created.isTextual()) {
            throw new ArtifactFormatException("sweep_manifest.json lacks created_at");
        }
        try {
            return Instant.parse(created.asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new ArtifactFormatException("sweep_manifest.json created_at must be an ISO-8601 instant but was '"
                    + created.asText() + "'", e);
        }
    }

    /** The server processes a manifest recorded (none for a manifest written before they were). */
    public static List<ResolvedServerProcess> serverProcessesOf(String manifestJson) {
        List<ResolvedServerProcess> out = new ArrayList<>();
        for (JsonNode entry : tree(manifestJson).path("server_processes").path("resolved")) {
            if (!entry.path("pid").canConvertToLong()) {
                throw new ArtifactFormatException("sweep_manifest.json server_processes.resolved[] lacks a pid: "
                        + entry);
            }
            out.add(new ResolvedServerProcess(entry.path("cell").isTextual() ? entry.path("cell").asText() : null,
                    new ServerProcess(entry.path("pid").asLong(), entry.path("name").asText(""),
                            entry.path("found_by").asText("pid"))));
        }
        return out;
    }

    /** The shard a manifest recorded ({@link Shard#WHOLE} for a manifest without one: an unsplit sweep). */
    public static Shard shardOf(String manifestJson) {
        JsonNode shard = tree(manifestJson).path("shard");
        if (shard.isMissingNode() || shard.isNull()) {
            return Shard.WHOLE;
        }
        if (!shard.path("index").canConvertToInt() || !shard.path("count").canConvertToInt()) {
            throw new ArtifactFormatException("sweep_manifest.json shard must be {\"index\": I, \"count\": N} but was "
                    + shard);
        }
        try {
            return new Shard(shard.path("index").asInt(), shard.path("count").asInt());
        } catch (IllegalArgumentException e) {
            throw new ArtifactFormatException("sweep_manifest.json " + e.getMessage(), e);
        }
    }

    /**
     * The keys ({@link SweepCell#key()}: {@code model/quant}, {@code model/quant@context} in a context sweep) of the
     * cells whose results a manifest's sweep (or shard) owns.
     */
    public static java.util.Set<String> ownedCellsOf(String manifestJson) {
        java.util.Set<String> owned = new java.util.LinkedHashSet<>();
        for (JsonNode cell : tree(manifestJson).path("cells")) {
            if (!cell.path("scoring_only").asBoolean(false)) {
                owned.add(SweepCell.key(cell.path("model").asText(), cell.path("quant").asText(), context(cell)));
            }
        }
        return owned;
    }

    /** A manifest cell's {@code context}, or null for a cell without one. */
    private static @Nullable Integer context(JsonNode cell) {
        JsonNode context = cell.path("context");
        return context.canConvertToInt() && context.asInt() > 0 ? context.asInt() : null;
    }

    private static JsonNode tree(String manifestJson) {
        try {
            JsonNode node = MAPPER.readTree(manifestJson);
            if (node == null || !node.isObject()) {
                throw new ArtifactFormatException("sweep_manifest.json must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ArtifactFormatException("sweep_manifest.json is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Reads the config digest a manifest recorded. */
    public static String configDigestOf(String manifestJson) {
        try {
            JsonNode node = MAPPER.readTree(manifestJson);
            JsonNode digest = node == null ? null : node.get("config_sha256");
            if (digest == null || !digest.isTextual()) {
                throw new ArtifactFormatException("sweep_manifest.json lacks config_sha256");
            }
            return digest.asText();
        } catch (IOException e) {
            throw new ArtifactFormatException("sweep_manifest.json is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * What a manifest says was planned.
     *
     * @param sweepId the sweep's id
     * @param measuredRunIds the ids of every planned measured run
     */
    public record ManifestPlan(String sweepId, java.util.Set<String> measuredRunIds) {
        public ManifestPlan {
            java.util.Objects.requireNonNull(sweepId, "sweepId");
            measuredRunIds = java.util.Set.copyOf(measuredRunIds);
        }
    }

    /**
     * Reads the sweep id and the planned measured runs (cells × sessions × repetitions) of a manifest.
     *
     * @throws ArtifactFormatException naming the field when the manifest lacks it
     */
    public static ManifestPlan planOf(String manifestJson) {
        JsonNode node;
        try {
            node = MAPPER.readTree(manifestJson);
        } catch (IOException e) {
            throw new ArtifactFormatException("sweep_manifest.json is not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.path("sweep_id").isTextual() || !node.path("cells").isArray()
                || !node.path("sessions").isArray() || !node.path("repetitions").canConvertToInt()) {
            throw new ArtifactFormatException("sweep_manifest.json lacks sweep_id, cells, sessions or repetitions");
        }
        int repetitions = node.path("repetitions").asInt();
        if (repetitions < 0 || repetitions > SweepConfig.MAX_REPETITIONS) {
            throw new ArtifactFormatException("sweep_manifest.json repetitions must be in [0, "
                    + SweepConfig.MAX_REPETITIONS + "] but was " + repetitions);
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (JsonNode cell : node.path("cells")) {
            for (JsonNode session : node.path("sessions")) {
                for (int r = 1; r <= repetitions; r++) {
                    ids.add(SweepPlan.measuredRunId(cell.path("model").asText(), cell.path("quant").asText(),
                            context(cell), session.path("id").asText(), r));
                }
            }
            if (ids.size() > SweepConfig.MAX_PLANNED_RUNS) {
                throw new ArtifactFormatException("sweep_manifest.json plans more than " + SweepConfig.MAX_PLANNED_RUNS
                        + " measured runs");
            }
        }
        return new ManifestPlan(node.path("sweep_id").asText(), ids);
    }

    /** The canary verdict. */
    public static String canaryJson(String sweepId, SweepConfig config, CanaryVerdict verdict) {
        return object("canary_verdict", config, g -> {
            g.writeStringField("sweep_id", sweepId);
            g.writeBooleanField("passed", verdict.passed());
            g.writeNumberField("runs", verdict.runs());
            g.writeNumberField("valid_runs", verdict.validRuns());
            NullableFields.number(g, "internal_latency_cv", verdict.internalLatencyCv());
            NullableFields.number(g, "median_quality", verdict.medianQuality());
            NullableFields.number(g, "median_wall_ms", verdict.medianWallMs());
            g.writeArrayFieldStart("reasons");
            for (String reason : verdict.reasons()) {
                g.writeString(reason);
            }
            g.writeEndArray();
        });
    }

    /** Cells that did not run or stopped early, with the reason code and detail. */
    public static String blockedJson(String sweepId, SweepConfig config, Map<String, String> blocked) {
        return object("blocked_cells", config, g -> {
            g.writeStringField("sweep_id", sweepId);
            g.writeObjectFieldStart("blocked");
            for (Map.Entry<String, String> entry : blocked.entrySet()) {
                g.writeStringField(entry.getKey(), entry.getValue());
            }
            g.writeEndObject();
        });
    }

    /** The blocked cells a {@code blocked_cells.json} lists, cell key to reason, in file order. */
    public static Map<String, String> blockedOf(String blockedJson) {
        Map<String, String> blocked = new java.util.LinkedHashMap<>();
        tree(blockedJson).path("blocked").fields().forEachRemaining(e -> blocked.put(e.getKey(), e.getValue().asText()));
        return blocked;
    }

    /** The folder of a sweep's GPU sample files. */
    public static final String SIDECAR_DIR = "sidecar";

    /** The GPU sample file of a run: {@code sidecar/<run id, '/' as '_'>.jsonl}, one sample a line. */
    public static Path sidecarSamplesFile(Path outputDir, String runId) {
        return outputDir.resolve(SIDECAR_DIR).resolve(runId.replace('/', '_') + ".jsonl");
    }

    /** One GPU sample line of a run's sidecar file. */
    public static String sampleJson(String runId, SweepConfig config, GpuSample sample) {
        return object("gpu_sample", config, g -> {
            g.writeStringField("run_id", runId);
            GpuSampleJson.writeFields(g, sample);
        });
    }

}
