package dev.orket.core.artifact;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.api.ComputeProcess;
import dev.orket.api.ControlApplication;
import dev.orket.api.ControlStatus;
import dev.orket.api.ControlsApplied;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.ExecutionLane;
import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
import dev.orket.api.HardwareFlag;
import dev.orket.api.HardwareFlags;
import dev.orket.api.HostTelemetry;
import dev.orket.api.JsonNamed;
import dev.orket.api.MetricValue;
import dev.orket.api.Provenance;
import dev.orket.api.RunIdentity;
import dev.orket.api.RunOutcome;
import dev.orket.api.RunQuality;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunQualityStatus;
import dev.orket.api.RunTelemetry;
import dev.orket.api.RunValidity;
import dev.orket.api.ServerIdentity;
import dev.orket.api.SidecarParseStatus;
import dev.orket.api.SidecarSummary;
import dev.orket.api.TerminalState;
import dev.orket.api.ThrottleReason;
import dev.orket.api.TokenMetrics;
import dev.orket.api.TokenMetricsStatus;
import dev.orket.api.UnavailableReason;
import dev.orket.api.UnrecognizedLabel;
import dev.orket.api.VramProfile;
import dev.orket.core.policy.ValidRunPolicy;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads the run telemetry record as one JSON object with snake_case keys
 * ({@code docs/specs/run-telemetry.schema.json}). Every key is written on every record, null where
 * unknown. The reader tolerates the future and the past: it ignores keys it does not know (a newer
 * writer's additions), keeps a label value it does not know as its raw spelling (the typed field holds
 * {@code UNRECOGNIZED}; an unknown quality reason still makes the run invalid), treats missing optional keys
 * as absent (an older writer's record), and moves the hardware codes an older writer put in
 * {@code run_quality_reasons} to {@code hardware_flags}, judging the run's validity again.
 *
 * @since 0.1
 */
public final class TelemetryJson {

    /** The value of {@code record_type} on run telemetry records. */
    public static final String RECORD_TYPE = "run_telemetry";

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private TelemetryJson() {}

    /** The record as one line of JSON, without a line break. */
    public static String toJson(RunTelemetry telemetry) {
        StringWriter out = new StringWriter(2048);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(telemetry, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the record as one JSON object. */
    public static void write(RunTelemetry t, JsonGenerator g) throws IOException {
        g.writeStartObject();
        writeFields(t, g);
        g.writeEndObject();
    }

    /**
     * Writes the record's fields into an object the caller opened, so that a ledger can add fields of
     * its own (additively) before closing it.
     */
    public static void writeFields(RunTelemetry t, JsonGenerator g) throws IOException {
        g.writeNumberField("schema_version", t.schemaVersion());
        g.writeStringField("record_type", RECORD_TYPE);
        RunIdentity id = t.identity();
        g.writeStringField("run_id", id.runId());
        NullableFields.string(g, "sweep_id", id.sweepId());
        NullableFields.string(g, "session_id", id.sessionId());
        g.writeStringField("provider", id.provider());
        g.writeStringField("model", id.model());
        NullableFields.string(g, "model_family", id.modelFamily());
        NullableFields.string(g, "quant_tag", id.quantTag());
        g.writeBooleanField("stream", id.stream());
        g.writeStringField("execution_lane", label(t, id.executionLane(), "execution_lane"));
        g.writeStringField("vram_profile", label(t, id.vramProfile(), "vram_profile"));
        g.writeStringField("started_at", t.startedAt().toString());
        g.writeStringField("ended_at", t.endedAt().toString());

        RunOutcome outcome = t.outcome();
        g.writeStringField("terminal_state", label(t, outcome.terminalState(), "terminal_state"));
        NullableFields.string(g, "finish_reason",
                outcome.finishReason() == null ? null : label(t, outcome.finishReason(), "finish_reason"));
        NullableFields.string(g, "failure_kind",
                outcome.failureKind() == null ? null : label(t, outcome.failureKind(), "failure_kind"));
        NullableFields.string(g, "failure_message", outcome.failureMessage());
        NullableFields.number(g, "http_status", outcome.httpStatus());

        for (TelemetryField field : TelemetryField.values()) {
            MetricValue metric = field.of(t);
            g.writeFieldName(field.jsonName());
            if (!metric.isPresent()) {
                g.writeNull();
            } else if (field.integral()) {
                g.writeNumber((long) metric.require());
            } else {
                g.writeNumber(metric.require());
            }
            if (field == TelemetryField.CLIENT_TIME_PER_OUTPUT_TOKEN_MS) {
                g.writeNumberField("chunk_count", t.tokenMetrics().chunkCount());
                g.writeStringField("token_metrics_status",
                        label(t, t.tokenMetrics().status(), "token_metrics_status"));
            }
        }
        g.writeObjectFieldStart("metric_provenance");
        for (TelemetryField field : TelemetryField.values()) {
            Provenance provenance = field.of(t).provenance();
            if (provenance != null) {
                g.writeStringField(field.jsonName(),
                        label(t, provenance, "metric_provenance." + field.jsonName()));
            }
        }
        g.writeEndObject();
        g.writeObjectFieldStart("unavailable_reasons");
        for (TelemetryField field : TelemetryField.values()) {
            UnavailableReason reason = field.of(t).unavailableReason();
            if (reason != null) {
                g.writeStringField(field.jsonName(),
                        label(t, reason, "unavailable_reasons." + field.jsonName()));
            }
        }
        g.writeEndObject();

        g.writeStringField("run_quality_status", label(t, t.quality().status(), "run_quality_status"));
        writeCodes(g, "run_quality_reasons", codes(t, t.quality().reasons(), "run_quality_reasons"));
        writeDetails(g, "run_quality_details", t, t.qualityDetails(), "run_quality_reasons");
        g.writeBooleanField("valid", t.validity().valid());
        g.writeArrayFieldStart("invalid_reasons");
        for (String reason : t.validity().invalidReasons()) {
            g.writeString(reason);
        }
        g.writeEndArray();

        SidecarSummary s = t.sidecar();
        g.writeStringField("sidecar_parse_status", label(t, s.parseStatus(), "sidecar_parse_status"));
        g.writeArrayFieldStart("sidecar_parse_errors");
        for (String error : s.parseErrors()) {
            g.writeString(error);
        }
        g.writeEndArray();
        g.writeObjectFieldStart("sidecar");
        g.writeNumberField("sample_count", s.sampleCount());
        NullableFields.number(g, "vram_total_mb", s.vramTotalMb());
        NullableFields.number(g, "vram_used_mb", s.vramUsedMb());
        NullableFields.number(g, "peak_vram_used_mb", s.peakVramUsedMb());
        NullableFields.number(g, "thermal_start_c", s.thermalStartC());
        NullableFields.number(g, "thermal_end_c", s.thermalEndC());
        NullableFields.number(g, "max_temperature_c", s.maxTemperatureC());
        NullableFields.number(g, "gpu_clock_mhz", s.gpuClockMhz());
        NullableFields.number(g, "power_draw_watts", s.powerDrawWatts());
        NullableFields.number(g, "fan_speed_percent", s.fanSpeedPercent());
        writeCodes(g, "throttle_reasons_seen", codes(t, s.throttleReasonsSeen(), "sidecar.throttle_reasons_seen"));
        g.writeArrayFieldStart("foreign_processes");
        for (ComputeProcess process : s.foreignProcesses()) {
            g.writeStartObject();
            NullableFields.string(g, "gpu_uuid", process.gpuUuid());
            g.writeNumberField("pid", process.pid());
            g.writeStringField("process_name", process.processName());
            NullableFields.number(g, "used_memory_mib", process.usedMemoryMib());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        NullableFields.number(g, "context_size", t.identity().contextSize());
        NullableFields.number(g, "server_context_size", t.serverContextSize());
        NullableFields.string(g, "server_build", t.server().build());
        NullableFields.string(g, "server_model_file", t.server().modelFile());
        NullableFields.string(g, "served_quant_tag", t.server().servedQuantTag());
        NullableFields.number(g, "server_total_slots", t.server().totalSlots());
        NullableFields.string(g, "server_model_family", t.server().family());
        NullableFields.string(g, "server_parameter_size", t.server().parameterSize());
        NullableFields.bool(g, "quant_tag_verified", t.quantTagVerified());
        writeCodes(g, "hardware_flags", codes(t, t.hardwareFlags().flags(), "hardware_flags"));
        writeDetails(g, "hardware_flag_details", t, t.hardwareFlags().details(), "hardware_flags");
        writeHost(g, t.host());
        writeControls(g, t);
    }

    private static void writeHost(JsonGenerator g, HostTelemetry h) throws IOException {
        NullableFields.number(g, "host_cpu_percent", h.hostCpuPercent());
        NullableFields.number(g, "host_load_1m", h.hostLoad1m());
        NullableFields.number(g, "host_core_count", h.hostCoreCount());
        NullableFields.number(g, "foreign_cpu_percent", h.foreignCpuPercent());
        NullableFields.number(g, "server_cpu_percent", h.serverCpuPercent());
        NullableFields.number(g, "orket_cpu_percent", h.orketCpuPercent());
        g.writeObjectFieldStart("host");
        g.writeNumberField("sample_count", h.sampleCount());
        g.writeStringField("source", h.source());
        NullableFields.number(g, "cpu_resolution_percent", h.cpuResolutionPercent());
        g.writeArrayFieldStart("unavailable_reasons");
        for (String reason : h.unavailableReasons()) {
            g.writeString(reason);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("server_process_ids");
        for (long pid : h.serverProcessIds()) {
            g.writeNumber(pid);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeControls(JsonGenerator g, RunTelemetry t) throws IOException {
        g.writeObjectFieldStart("controls_applied");
        for (Map.Entry<ExperimentalControl, ControlApplication> entry : t.controlsApplied().controls().entrySet()) {
            ControlApplication application = entry.getValue();
            String field = "controls_applied." + entry.getKey().jsonName();
            g.writeObjectFieldStart(entry.getKey().jsonName());
            g.writeStringField("status", label(t, application.status(), field + ".status"));
            NullableFields.string(g, "requested", application.requested());
            NullableFields.string(g, "detail", application.detail());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** A label's spelling: its own, or the raw one a newer writer used when this reader did not know it. */
    private static String label(RunTelemetry t, JsonNamed value, String field) {
        if (value.unrecognized()) {
            List<String> raw = t.unrecognized(field);
            if (!raw.isEmpty()) {
                return raw.get(0);
            }
        }
        return value.jsonName();
    }

    /** The spellings of a list of codes, unknown ones as they were read, sorted. */
    private static List<String> codes(RunTelemetry t, List<? extends JsonNamed> values, String field) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (JsonNamed value : values) {
            if (!value.unrecognized()) {
                out.add(value.jsonName());
            }
        }
        out.addAll(t.unrecognized(field));
        if (out.isEmpty() && !values.isEmpty()) {
            out.add(values.get(0).jsonName());
        }
        return List.copyOf(out);
    }

    private static void writeCodes(JsonGenerator g, String name, List<String> codes) throws IOException {
        g.writeArrayFieldStart(name);
        for (String code : codes) {
            g.writeString(code);
        }
        g.writeEndArray();
    }

    private static <E extends Enum<E> & JsonNamed> void writeDetails(JsonGenerator g, String name, RunTelemetry t,
            Map<E, String> details, String codesField) throws IOException {
        TreeMap<String, String> sorted = new TreeMap<>();
        details.forEach((key, detail) -> {
            List<String> raw = t.unrecognized(codesField);
            sorted.put(key.unrecognized() && !raw.isEmpty() ? raw.get(0) : key.jsonName(), detail);
        });
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, String> detail : sorted.entrySet()) {
            g.writeStringField(detail.getKey(), detail.getValue());
        }
        g.writeEndObject();
    }

    /**
     * Reads one record from a JSON object.
     *
     * @throws ArtifactFormatException naming the field and the offending value
     */
    public static RunTelemetry fromJson(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ArtifactFormatException("run telemetry record must be a JSON object but started with "
                        + parser.currentToken());
            }
            return read(parser);
        } catch (IOException e) {
            throw new ArtifactFormatException("run telemetry record is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one record; the parser is positioned on the object's {@code START_OBJECT} and is left on its
     * {@code END_OBJECT}.
     *
     * @throws ArtifactFormatException naming the field and the offending value
     */
    public static RunTelemetry read(JsonParser p) throws IOException {
        RecordFields f = new RecordFields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            f.read(name, p);
        }
        return f.build();
    }





    /** The fields of one record as they are read, in any order. */
    private static final class RecordFields {
        private int schemaVersion = -1;
        private @Nullable String runId;
        private @Nullable String sweepId;
        private @Nullable String sessionId;
        private @Nullable String provider;
        private @Nullable String model;
        private @Nullable String quantTag;
        private @Nullable String modelFamily;
        private boolean stream;
        private @Nullable ExecutionLane lane;
        private @Nullable VramProfile profile;
        private @Nullable Instant startedAt;
        private @Nullable Instant endedAt;
        private @Nullable TerminalState terminalState;
        private @Nullable FinishReason finishReason;
        private @Nullable FailureKind failureKind;
        private @Nullable String failureMessage;
        private @Nullable Integer httpStatus;
        private final Map<TelemetryField, Double> values = new EnumMap<>(TelemetryField.class);
        private final Map<TelemetryField, Provenance> provenance = new EnumMap<>(TelemetryField.class);
        private final Map<TelemetryField, UnavailableReason> unavailable = new EnumMap<>(TelemetryField.class);
        private long chunkCount;
        private @Nullable TokenMetricsStatus tokenMetricsStatus;
        private @Nullable RunQualityStatus qualityStatus;
        private final List<String> rawQualityReasons = new ArrayList<>();
        private final Map<String, String> rawQualityDetails = new TreeMap<>();
        private final List<String> rawHardwareFlags = new ArrayList<>();
        private final Map<String, String> rawHardwareDetails = new TreeMap<>();
        private @Nullable Boolean valid;
        private List<String> invalidReasons = List.of();
        private SidecarParseStatus sidecarStatus = SidecarParseStatus.NOT_APPLICABLE;
        private List<String> sidecarErrors = List.of();
        private SidecarSummary sidecarBody = SidecarSummary.notApplicable("not_recorded");
        private @Nullable Integer serverContextSize;
        private @Nullable Integer contextSize;
        private @Nullable String serverBuild;
        private @Nullable String serverModelFile;
        private @Nullable String servedQuantTag;
        private @Nullable Boolean quantTagVerified;
        private @Nullable Integer serverTotalSlots;
        private @Nullable String serverModelFamily;
        private @Nullable String serverParameterSize;
        private @Nullable Double hostCpu;
        private @Nullable Double hostLoad;
        private @Nullable Integer hostCores;
        private @Nullable Double foreignCpu;
        private @Nullable Double serverCpu;
        private @Nullable Double orketCpu;
        private boolean hostRecorded;
        private int hostSamples;
        private String hostSource = "none";
        private List<String> hostReasons = List.of("not_recorded");
        private List<Long> serverPids = List.of();
        private @Nullable Double hostResolution;
        private @Nullable ControlsApplied controls;
        private final List<UnrecognizedLabel> labels = new ArrayList<>();

        void read(String name, JsonParser p) throws IOException {
            switch (name) {
                case "schema_version":
                    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
                            || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 1
                            || p.getLongValue() > Integer.MAX_VALUE) {
                        throw new ArtifactFormatException("field schema_version must be an integer >= 1 but was '"
                                + p.getText() + "'");
                    }
                    schemaVersion = p.getIntValue();
                    return;
                case "run_id":
                    runId = string(name, p);
                    return;
                case "sweep_id":
                    sweepId = string(name, p);
                    return;
                case "session_id":
                    sessionId = string(name, p);
                    return;
                case "provider":
                    provider = string(name, p);
                    return;
                case "model":
                    model = string(name, p);
                    return;
                case "quant_tag":
                    quantTag = string(name, p);
                    return;
                case "model_family":
                    modelFamily = string(name, p);
                    return;
                case "stream":
                    stream = bool(name, p);
                    return;
                case "execution_lane":
                    lane = label(ExecutionLane.class, name, p);
                    return;
                case "vram_profile":
                    profile = label(VramProfile.class, name, p);
                    return;
                case "started_at":
                    startedAt = instant(name, p);
                    return;
                case "ended_at":
                    endedAt = instant(name, p);
                    return;
                case "terminal_state":
                    terminalState = label(TerminalState.class, name, p);
                    return;
                case "finish_reason":
                    finishReason = label(FinishReason.class, name, p);
                    return;
                case "failure_kind":
                    failureKind = label(FailureKind.class, name, p);
                    return;
                case "failure_message":
                    failureMessage = string(name, p);
                    return;
                case "http_status":
                    httpStatus = nullableInt(name, p);
                    return;
                case "chunk_count":
                    chunkCount = intValue(name, p);
                    return;
                case "token_metrics_status":
                    tokenMetricsStatus = label(TokenMetricsStatus.class, name, p);
                    return;
                case "metric_provenance":
                    readFieldMap(name, p, (field, value) -> provenance.put(field,
                            tolerant(Provenance.class, name + "." + field.jsonName(), value)));
                    return;
                case "unavailable_reasons":
                    readFieldMap(name, p, (field, value) -> unavailable.put(field,
                            tolerant(UnavailableReason.class, name + "." + field.jsonName(), value)));
                    return;
                case "run_quality_status":
                    qualityStatus = label(RunQualityStatus.class, name, p);
                    return;
                case "run_quality_reasons":
                    rawQualityReasons.addAll(strings(name, p));
                    return;
                case "run_quality_details":
                    readDetails(name, p, rawQualityDetails);
                    return;
                case "hardware_flags":
                    rawHardwareFlags.addAll(strings(name, p));
                    return;
                case "hardware_flag_details":
                    readDetails(name, p, rawHardwareDetails);
                    return;
                case "valid":
                    valid = bool(name, p);
                    return;
                case "invalid_reasons":
                    invalidReasons = strings(name, p);
                    return;
                case "sidecar_parse_status":
                    String status = string(name, p);
                    sidecarStatus = status == null ? SidecarParseStatus.NOT_APPLICABLE
                            : tolerant(SidecarParseStatus.class, name, status);
                    return;
                case "sidecar_parse_errors":
                    sidecarErrors = strings(name, p);
                    return;
                case "sidecar":
                    sidecarBody = readSidecar(name, p);
                    return;
                case "server_context_size":
                    serverContextSize = nullableInt(name, p);
                    return;
                case "context_size":
                    contextSize = nullableInt(name, p);
                    if (contextSize != null && contextSize <= 0) {
                        throw new ArtifactFormatException("field context_size must be a positive integer (the context"
                                + " the run asked for) or null but was " + contextSize);
                    }
                    return;
                case "server_build":
                    serverBuild = string(name, p);
                    return;
                case "server_model_file":
                    serverModelFile = ServerIdentity.baseName(string(name, p));
                    return;
                case "served_quant_tag":
                    servedQuantTag = string(name, p);
                    return;
                case "server_total_slots":
                    serverTotalSlots = nullableInt(name, p);
                    return;
                case "server_model_family":
                    serverModelFamily = string(name, p);
                    return;
                case "server_parameter_size":
                    serverParameterSize = string(name, p);
                    return;
                case "quant_tag_verified":
                    quantTagVerified = p.currentToken() == JsonToken.VALUE_NULL ? null : Boolean.valueOf(bool(name, p));
                    return;
                case "host_cpu_percent":
                    hostCpu = nullableDouble(name, p);
                    hostRecorded = true;
                    return;
                case "host_load_1m":
                    hostLoad = nullableDouble(name, p);
                    return;
                case "host_core_count":
                    hostCores = nullableInt(name, p);
                    return;
                case "foreign_cpu_percent":
                    foreignCpu = nullableDouble(name, p);
                    return;
                case "server_cpu_percent":
                    serverCpu = nullableDouble(name, p);
                    return;
                case "orket_cpu_percent":
                    orketCpu = nullableDouble(name, p);
                    return;
                case "host":
                    readHost(name, p);
                    return;
                case "controls_applied":
                    controls = readControls(name, p);
                    return;
                default:
                    for (TelemetryField field : TelemetryField.values()) {
                        if (field.jsonName().equals(name)) {
                            Double value = nullableDouble(name, p);
                            if (value != null) {
                                values.put(field, value);
                            }
                            return;
                        }
                    }
                    // A key from a newer schema version: additive evolution means it is safe to skip.
                    p.skipChildren();
            }
        }

        RunTelemetry build() {
            if (schemaVersion < 1) {
                throw new ArtifactFormatException("run telemetry record lacks schema_version");
            }
            String id = require("run_id", runId);
            RunIdentity identity = new RunIdentity(id, sweepId, sessionId, require("provider", provider),
                    require("model", model), quantTag, stream, require("execution_lane", lane),
                    require("vram_profile", profile), modelFamily, contextSize);
            RunOutcome outcome;
            try {
                outcome = new RunOutcome(require("terminal_state", terminalState), finishReason, failureKind,
                        failureMessage, httpStatus);
            } catch (IllegalArgumentException e) {
                throw new ArtifactFormatException("run " + id + ": " + e.getMessage(), e);
            }
            TokenMetrics tokenMetrics = new TokenMetrics(metric(TelemetryField.PROMPT_TOKENS),
                    metric(TelemetryField.CACHED_PROMPT_TOKENS), metric(TelemetryField.OUTPUT_TOKENS),
                    metric(TelemetryField.TOTAL_TOKENS), metric(TelemetryField.SERVER_PROMPT_MS),
                    metric(TelemetryField.SERVER_GENERATION_MS), metric(TelemetryField.LOAD_MS),
                    metric(TelemetryField.PROMPT_TOKENS_PER_SECOND), metric(TelemetryField.GENERATION_TOKENS_PER_SECOND),
                    metric(TelemetryField.CLIENT_TTFT_MS), metric(TelemetryField.CLIENT_TIME_PER_OUTPUT_TOKEN_MS),
                    chunkCount, require("token_metrics_status", tokenMetricsStatus),
                    metric(TelemetryField.CLIENT_CONNECT_MS));

            // Codes an older writer put in run_quality_reasons that are advisory hardware flags now move there.
            Map<HardwareFlag, String> hardware = new EnumMap<>(HardwareFlag.class);
            for (String raw : rawHardwareFlags) {
                hardware.put(tolerant(HardwareFlag.class, "hardware_flags", raw), detail(rawHardwareDetails, raw));
            }
            List<RunQualityReason> reasons = new ArrayList<>();
            List<String> keptReasons = new ArrayList<>();
            Map<RunQualityReason, String> qualityDetails = new EnumMap<>(RunQualityReason.class);
            boolean moved = false;
            for (String raw : rawQualityReasons) {
                HardwareFlag legacy = HardwareFlag.fromLegacyQualityReason(raw);
                if (legacy != null) {
                    moved = true;
                    hardware.putIfAbsent(legacy, detail(rawQualityDetails, raw));
                    continue;
                }
                RunQualityReason reason = tolerant(RunQualityReason.class, "run_quality_reasons", raw);
                if (!reasons.contains(reason)) {
                    reasons.add(reason);
                }
                keptReasons.add(raw);
                String detail = rawQualityDetails.get(raw);
                if (detail != null) {
                    qualityDetails.merge(reason, reason.unrecognized() ? raw + ": " + detail : detail,
                            (a, b) -> a + "; " + b);
                }
            }
            RunQualityStatus status = require("run_quality_status", qualityStatus);
            if (moved && status == RunQualityStatus.POLLUTED && reasons.isEmpty()) {
                status = RunQualityStatus.CLEAN;
            }
            RunQuality quality;
            RunValidity validity;
            try {
                quality = new RunQuality(status, RunQuality.of(reasons).reasons());
                boolean recordedValid = require("valid", valid);
                validity = moved
                        ? ValidRunPolicy.judge(rawLabel("terminal_state", outcome.terminalState()),
                                rawLabel("token_metrics_status", tokenMetrics.status()),
                                rawLabel("run_quality_status", status), keptReasons, recordedValid, invalidReasons)
                        : new RunValidity(recordedValid, invalidReasons);
            } catch (IllegalArgumentException e) {
                throw new ArtifactFormatException("run " + id + ": " + e.getMessage(), e);
            }
            SidecarSummary sidecar = new SidecarSummary(sidecarStatus, sidecarErrors, sidecarBody.sampleCount(),
                    sidecarBody.vramTotalMb(), sidecarBody.vramUsedMb(), sidecarBody.peakVramUsedMb(),
                    sidecarBody.thermalStartC(), sidecarBody.thermalEndC(), sidecarBody.maxTemperatureC(),
                    sidecarBody.gpuClockMhz(), sidecarBody.powerDrawWatts(), sidecarBody.fanSpeedPercent(),
                    sidecarBody.throttleReasonsSeen(), sidecarBody.foreignProcesses());
            HostTelemetry host;
            try {
                host = hostRecorded || hostSamples > 0
                        ? new HostTelemetry(hostCpu, hostLoad, hostCores, foreignCpu, serverCpu, orketCpu, hostSamples,
                                hostSource, hostReasons, serverPids, hostResolution)
                        : HostTelemetry.notSampled("not_recorded");
            } catch (IllegalArgumentException e) {
                throw new ArtifactFormatException("run " + id + ": " + e.getMessage(), e);
            }
            Instant start = require("started_at", startedAt);
            return new RunTelemetry(schemaVersion, identity, start, endedAt == null ? start : endedAt, outcome,
                    tokenMetrics, metric(TelemetryField.WALL_SECONDS), metric(TelemetryField.INTERNAL_MODEL_SECONDS),
                    metric(TelemetryField.ORCHESTRATION_OVERHEAD_RATIO), quality, qualityDetails, validity, sidecar,
                    serverContextSize, new ServerIdentity(serverBuild, serverModelFile, servedQuantTag, null,
                            serverTotalSlots == null || serverTotalSlots <= 0 ? null : serverTotalSlots,
                            serverModelFamily, serverParameterSize), quantTagVerified, HardwareFlags.of(hardware), host,
                    controls == null ? ControlsApplied.notRecorded("not_recorded") : controls, labels);
        }

        /** The spelling a label was read with: its own, or the raw one a newer writer used. */
        private String rawLabel(String field, JsonNamed value) {
            if (value.unrecognized()) {
                for (UnrecognizedLabel label : labels) {
                    if (label.field().equals(field)) {
                        return label.value();
                    }
                }
            }
            return value.jsonName();
        }

        private static String detail(Map<String, String> details, String code) {
            String detail = details.get(code);
            return detail == null ? "" : detail;
        }

        private <E extends Enum<E> & JsonNamed> @Nullable E label(Class<E> type, String name, JsonParser p)
                throws IOException {
            String text = string(name, p);
            return text == null ? null : tolerant(type, name, text);
        }

        /** The constant of a spelling, or the vocabulary's UNRECOGNIZED with the raw spelling kept. */
        private <E extends Enum<E> & JsonNamed> E tolerant(Class<E> type, String field, String text) {
            E value = JsonNamed.fromArtifact(type, text);
            if (value.unrecognized()) {
                labels.add(new UnrecognizedLabel(field, text));
            }
            return value;
        }

        private MetricValue metric(TelemetryField field) {
            Double value = values.get(field);
            if (value == null) {
                UnavailableReason reason = unavailable.get(field);
                return MetricValue.unavailable(reason == null ? UnavailableReason.INPUT_UNAVAILABLE : reason);
            }
            Provenance source = provenance.get(field);
            if (source == null) {
                throw new ArtifactFormatException("run " + runId + ": field " + field.jsonName() + " has value " + value
                        + " but no entry in metric_provenance");
            }
            return MetricValue.of(value, source);
        }

        private <T> T require(String name, @Nullable T value) {
            if (value == null) {
                throw new ArtifactFormatException(
                        "run telemetry record " + (runId == null ? "" : runId + " ") + "lacks required field " + name);
            }
            return value;
        }

        private static void readDetails(String name, JsonParser p, Map<String, String> into) throws IOException {
            expect(name, p, JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                String detail = string(name + "." + key, p);
                into.put(key, detail == null ? "" : detail);
            }
        }

        private void readHost(String name, JsonParser p) throws IOException {
            expect(name, p, JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                String path = name + "." + key;
                p.nextToken();
                switch (key) {
                    case "sample_count":
                        hostSamples = intValue(path, p);
                        break;
                    case "source":
                        String source = string(path, p);
                        hostSource = source == null ? "none" : source;
                        break;
                    case "cpu_resolution_percent":
                        hostResolution = nullableDouble(path, p);
                        break;
                    case "unavailable_reasons":
                        hostReasons = strings(path, p);
                        break;
                    case "server_process_ids":
                        expect(path, p, JsonToken.START_ARRAY);
                        List<Long> pids = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            Long pid = nullableLong(path, p);
                            if (pid != null) {
                                pids.add(pid);
                            }
                        }
                        serverPids = pids;
                        break;
                    default:
                        p.skipChildren();
                }
            }
        }

        private ControlsApplied readControls(String name, JsonParser p) throws IOException {
            expect(name, p, JsonToken.START_OBJECT);
            Map<ExperimentalControl, ControlApplication> entries = new EnumMap<>(ExperimentalControl.class);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                String path = name + "." + key;
                p.nextToken();
                expect(path, p, JsonToken.START_OBJECT);
                ExperimentalControl control = null;
                for (ExperimentalControl candidate : ExperimentalControl.values()) {
                    if (candidate.jsonName().equals(key)) {
                        control = candidate;
                    }
                }
                ControlStatus status = null;
                String requested = null;
                String detail = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "status":
                            String text = string(path + ".status", p);
                            status = text == null ? null : tolerant(ControlStatus.class, path + ".status", text);
                            break;
                        case "requested":
                            requested = scalarText(path + ".requested", p);
                            break;
                        case "detail":
                            detail = string(path + ".detail", p);
                            break;
                        default:
                            p.skipChildren();
                    }
                }
                if (control == null) {
                    // A control a newer writer records: its name is kept, the entry has no place here.
                    labels.add(new UnrecognizedLabel(name, key));
                    continue;
                }
                if (status == null) {
                    throw new ArtifactFormatException("field " + path + " lacks status");
                }
                try {
                    entries.put(control, new ControlApplication(status, requested, detail));
                } catch (IllegalArgumentException e) {
                    throw new ArtifactFormatException("field " + path + ": " + e.getMessage(), e);
                }
            }
            return new ControlsApplied(entries);
        }

        private SidecarSummary readSidecar(String name, JsonParser p) throws IOException {
            expect(name, p, JsonToken.START_OBJECT);
            int samples = 0;
            Long total = null;
            Long used = null;
            Long peak = null;
            Double start = null;
            Double end = null;
            Double max = null;
            Double clock = null;
            Double power = null;
            Double fan = null;
            List<ThrottleReason> throttles = new ArrayList<>();
            List<ComputeProcess> foreign = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                String path = name + "." + key;
                p.nextToken();
                switch (key) {
                    case "sample_count":
                        samples = intValue(path, p);
                        break;
                    case "vram_total_mb":
                        total = nullableLong(path, p);
                        break;
                    case "vram_used_mb":
                        used = nullableLong(path, p);
                        break;
                    case "peak_vram_used_mb":
                        peak = nullableLong(path, p);
                        break;
                    case "thermal_start_c":
                        start = nullableDouble(path, p);
                        break;
                    case "thermal_end_c":
                        end = nullableDouble(path, p);
                        break;
                    case "max_temperature_c":
                        max = nullableDouble(path, p);
                        break;
                    case "gpu_clock_mhz":
                        clock = nullableDouble(path, p);
                        break;
                    case "power_draw_watts":
                        power = nullableDouble(path, p);
                        break;
                    case "fan_speed_percent":
                        fan = nullableDouble(path, p);
                        break;
                    case "throttle_reasons_seen":
                        for (String value : strings(path, p)) {
                            throttles.add(tolerant(ThrottleReason.class, path, value));
                        }
                        break;
                    case "foreign_processes":
                        expect(path, p, JsonToken.START_ARRAY);
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            foreign.add(readProcess(path, p));
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
            return new SidecarSummary(SidecarParseStatus.NOT_APPLICABLE, List.of(), samples, total, used, peak, start,
                    end, max, clock, power, fan, throttles, foreign);
        }

        private static ComputeProcess readProcess(String name, JsonParser p) throws IOException {
            String uuid = null;
            long pid = -1;
            String processName = "";
            Long memory = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                switch (key) {
                    case "gpu_uuid":
                        uuid = string(name + ".gpu_uuid", p);
                        break;
                    case "pid":
                        Long value = nullableLong(name + ".pid", p);
                        pid = value == null ? -1 : value;
                        break;
                    case "process_name":
                        String text = string(name + ".process_name", p);
                        processName = text == null ? "" : text;
                        break;
                    case "used_memory_mib":
                        memory = nullableLong(name + ".used_memory_mib", p);
                        break;
                    default:
                        p.skipChildren();
                }
            }
            return new ComputeProcess(uuid, pid, processName, memory);
        }

        private interface FieldEntry {
            void accept(TelemetryField field, String value);
        }

        private static void readFieldMap(String name, JsonParser p, FieldEntry sink) throws IOException {
            expect(name, p, JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                String value = string(name + "." + key, p);
                for (TelemetryField field : TelemetryField.values()) {
                    if (field.jsonName().equals(key) && value != null) {
                        sink.accept(field, value);
                    }
                }
            }
        }
    }

    private static @Nullable String scalarText(String name, JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT
                || token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_TRUE
                || token == JsonToken.VALUE_FALSE) {
            return p.getText();
        }
        throw new ArtifactFormatException("field " + name + " must be a string or number but was " + token);
    }

    private static void expect(String name, JsonParser p, JsonToken token) throws IOException {
        if (p.currentToken() != token) {
            throw new ArtifactFormatException("field " + name + " must be " + token + " but was " + p.currentToken()
                    + " '" + p.getText() + "' at " + p.currentLocation().offsetDescription());
        }
    }

    private static @Nullable String string(String name, JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(name, p, JsonToken.VALUE_STRING);
        return p.getText();
    }

    private static List<String> strings(String name, JsonParser p) throws IOException {
        expect(name, p, JsonToken.START_ARRAY);
        List<String> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(name, p, JsonToken.VALUE_STRING);
            values.add(p.getText());
        }
        return values;
    }

    private static boolean bool(String name, JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new ArtifactFormatException("field " + name + " must be a boolean but was '" + p.getText() + "'");
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private static int intValue(String name, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new ArtifactFormatException("field " + name + " must be an integer but was '" + p.getText() + "'");
        }
        return p.getIntValue();
    }

    private static @Nullable Integer nullableInt(String name, JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : intValue(name, p);
    }

    private static @Nullable Long nullableLong(String name, JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new ArtifactFormatException("field " + name + " must be an integer but was '" + p.getText() + "'");
        }
        return p.getLongValue();
    }

    /** A number field's value, or null for JSON null; {@link GpuSampleJson} reads its numbers so too. */
    static @Nullable Double nullableDouble(String name, JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new ArtifactFormatException("field " + name + " must be a number but was '" + p.getText() + "'");
        }
        return p.getDoubleValue();
    }

    private static @Nullable Instant instant(String name, JsonParser p) throws IOException {
        String text = string(name, p);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ArtifactFormatException("field " + name + " must be an ISO-8601 instant but was '" + text + "'", e);
        }
    }
}
