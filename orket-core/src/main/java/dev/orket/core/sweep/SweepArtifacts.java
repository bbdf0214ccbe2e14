package dev.orket.core.sweep;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
     * @param cell the {@code model/quant} cell whose server it was, or null for a server shared by every cell
     * @param process the process and how it was found
     */
    public record ResolvedServerProcess(@Nullable String cell, ServerProcess process) {
        public ResolvedServerProcess {
            java.util.Objects.requireNonNull(process, "process");
        }
    }

    /** The manifest without any server process resolved yet. */
    public static String manifestJson(String sweepId, SweepConfig config, String configDigest, SweepPlan plan,
            String providerId, @Nullable String sidecarId, Instant createdAt) {
        return manifestJson(sweepId, config, configDigest, plan, providerId, sidecarId, createdAt, List.of());
    }

    /**
     * The manifest: the resolved matrix, config digest, tool versions, controls, gates, lane and profile, and
     * the measured server's processes found so far (never counted as foreign).
     */
    public static String manifestJson(String sweepId, SweepConfig config, String configDigest, SweepPlan plan,
            String providerId, @Nullable String sidecarId, Instant createdAt,
            List<ResolvedServerProcess> serverProcesses) {
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
                g.writeStringField("server_model", cell.serverModel());
                g.writeBooleanField("baseline", cell.baseline());
                g.writeNumberField("planned_runs", cell.runs().size());
                Long estimate = config.preflight().estimatesMib().get(cell.quant());
                NullableFields.number(g, "vram_estimate_mib", estimate);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("canary_runs_planned", plan.canaryRuns().size());
            g.writeNumberField("measured_runs_planned", plan.measuredRunCount());
            writeServerProcesses(g, config, serverProcesses);
        });
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
                            session.path("id").asText(), r));
                }
            }
            if (ids.size() > SweepConfig.MAX_PLANNED_RUNS) {
                throw new ArtifactFormatException("sweep_manifest.json plans more than " + SweepConfig.MAX_PLANNED_RUNS
                        + " measured runs");
            }
        }
        return new ManifestPlan(node.path("sweep_id").asText(), ids);
    }

    /**
     * The manifest with what one cell's server said it serves, under {@code cell_identities."<model>/<quant>"}
     * (additive: readers that do not know the key skip it).
     */
    public static String withCellIdentity(String manifestJson, SweepCell cell, ServerIdentity identity) {
        try {
            JsonNode node = MAPPER.readTree(manifestJson);
            if (!(node instanceof ObjectNode)) {
                throw new ArtifactFormatException("sweep_manifest.json is not a JSON object");
            }
            ObjectNode manifest = (ObjectNode) node;
            JsonNode existing = manifest.get("cell_identities");
            ObjectNode identities = existing instanceof ObjectNode ? (ObjectNode) existing
                    : manifest.putObject("cell_identities");
            ObjectNode entry = identities.putObject(cell.model() + "/" + cell.quant());
            entry.put("server_build", identity.build());
            entry.put("server_model_file", identity.modelFile());
            entry.put("served_quant_tag", identity.servedQuantTag());
            Boolean verified = identity.quantTagVerified(cell.quant());
            if (verified == null) {
                entry.putNull("quant_tag_verified");
            } else {
                entry.put("quant_tag_verified", verified.booleanValue());
            }
            entry.put("server_context_size", identity.contextSize());
            entry.put("server_total_slots", identity.totalSlots());
            entry.put("model_family", identity.family());
            entry.put("parameter_size", identity.parameterSize());
            return MAPPER.writeValueAsString(manifest);
        } catch (IOException e) {
            throw new ArtifactFormatException("sweep_manifest.json is not valid JSON: " + e.getMessage(), e);
        }
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

    /** Cells the strict pre-flight blocked. */
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
