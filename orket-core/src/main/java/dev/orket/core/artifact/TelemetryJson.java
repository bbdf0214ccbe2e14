package dev.orket.core.artifact;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.api.ComputeProcess;
import dev.orket.api.ExecutionLane;
import dev.orket.api.FailureKind;
import dev.orket.api.FinishReason;
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
import dev.orket.api.VramProfile;
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
 * unknown; the reader ignores keys it does not know (a newer writer's additions) and treats missing
 * optional keys as absent (an older writer's record).
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
        g.writeStringField("execution_lane", id.executionLane().jsonName());
        g.writeStringField("vram_profile", id.vramProfile().jsonName());
        g.writeStringField("started_at", t.startedAt().toString());
        g.writeStringField("ended_at", t.endedAt().toString());

        RunOutcome outcome = t.outcome();
        g.writeStringField("terminal_state", outcome.terminalState().jsonName());
        NullableFields.string(g, "finish_reason", outcome.finishReason() == null ? null : outcome.finishReason().jsonName());
        NullableFields.string(g, "failure_kind", outcome.failureKind() == null ? null : outcome.failureKind().jsonName());
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
                g.writeStringField("token_metrics_status", t.tokenMetrics().status().jsonName());
            }
        }
        g.writeObjectFieldStart("metric_provenance");
        for (TelemetryField field : TelemetryField.values()) {
            Provenance provenance = field.of(t).provenance();
            if (provenance != null) {
                g.writeStringField(field.jsonName(), provenance.jsonName());
            }
        }
        g.writeEndObject();
        g.writeObjectFieldStart("unavailable_reasons");
        for (TelemetryField field : TelemetryField.values()) {
            UnavailableReason reason = field.of(t).unavailableReason();
            if (reason != null) {
                g.writeStringField(field.jsonName(), reason.jsonName());
            }
        }
        g.writeEndObject();

        g.writeStringField("run_quality_status", t.quality().status().jsonName());
        g.writeArrayFieldStart("run_quality_reasons");
        for (RunQualityReason reason : t.quality().reasons()) {
            g.writeString(reason.jsonName());
        }
        g.writeEndArray();
        g.writeObjectFieldStart("run_quality_details");
        for (Map.Entry<RunQualityReason, String> detail : new TreeMap<>(t.qualityDetails()).entrySet()) {
            g.writeStringField(detail.getKey().jsonName(), detail.getValue());
        }
        g.writeEndObject();
        g.writeBooleanField("valid", t.validity().valid());
        g.writeArrayFieldStart("invalid_reasons");
        for (String reason : t.validity().invalidReasons()) {
            g.writeString(reason);
        }
        g.writeEndArray();

        SidecarSummary s = t.sidecar();
        g.writeStringField("sidecar_parse_status", s.parseStatus().jsonName());
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
        g.writeArrayFieldStart("throttle_reasons_seen");
        for (ThrottleReason reason : s.throttleReasonsSeen()) {
            g.writeString(reason.jsonName());
        }
        g.writeEndArray();
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
        NullableFields.number(g, "server_context_size", t.serverContextSize());
        NullableFields.string(g, "server_build", t.server().build());
        NullableFields.string(g, "server_model_file", t.server().modelFile());
        NullableFields.string(g, "served_quant_tag", t.server().servedQuantTag());
        NullableFields.number(g, "server_total_slots", t.server().totalSlots());
        NullableFields.string(g, "server_model_family", t.server().family());
        NullableFields.string(g, "server_parameter_size", t.server().parameterSize());
        NullableFields.bool(g, "quant_tag_verified", t.quantTagVerified());
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
        private List<RunQualityReason> qualityReasons = List.of();
        private final Map<RunQualityReason, String> qualityDetails = new EnumMap<>(RunQualityReason.class);
        private @Nullable Boolean valid;
        private List<String> invalidReasons = List.of();
        private SidecarParseStatus sidecarStatus = SidecarParseStatus.NOT_APPLICABLE;
        private List<String> sidecarErrors = List.of();
        private SidecarSummary sidecarBody = SidecarSummary.notApplicable("not_recorded");
        private @Nullable Integer serverContextSize;
        private @Nullable String serverBuild;
        private @Nullable String serverModelFile;
        private @Nullable String servedQuantTag;
        private @Nullable Boolean quantTagVerified;
        private @Nullable Integer serverTotalSlots;
        private @Nullable String serverModelFamily;
        private @Nullable String serverParameterSize;

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
                    lane = named(ExecutionLane.class, name, p);
                    return;
                case "vram_profile":
                    profile = named(VramProfile.class, name, p);
                    return;
                case "started_at":
                    startedAt = instant(name, p);
                    return;
                case "ended_at":
                    endedAt = instant(name, p);
                    return;
                case "terminal_state":
                    terminalState = named(TerminalState.class, name, p);
                    return;
                case "finish_reason":
                    finishReason = named(FinishReason.class, name, p);
                    return;
                case "failure_kind":
                    failureKind = named(FailureKind.class, name, p);
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
                    tokenMetricsStatus = named(TokenMetricsStatus.class, name, p);
                    return;
                case "metric_provenance":
                    readFieldMap(name, p, (field, value) -> provenance.put(field, parseNamed(Provenance.class,
                            name + "." + field.jsonName(), value)));
                    return;
                case "unavailable_reasons":
                    readFieldMap(name, p, (field, value) -> unavailable.put(field, parseNamed(UnavailableReason.class,
                            name + "." + field.jsonName(), value)));
                    return;
                case "run_quality_status":
                    qualityStatus = named(RunQualityStatus.class, name, p);
                    return;
                case "run_quality_reasons":
                    List<RunQualityReason> reasons = new ArrayList<>();
                    for (String value : strings(name, p)) {
                        reasons.add(parseNamed(RunQualityReason.class, name, value));
                    }
                    qualityReasons = reasons;
                    return;
                case "run_quality_details":
                    expect(name, p, JsonToken.START_OBJECT);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        p.nextToken();
                        qualityDetails.put(parseNamed(RunQualityReason.class, name, key), string(name + "." + key, p));
                    }
                    return;
                case "valid":
                    valid = bool(name, p);
                    return;
                case "invalid_reasons":
                    invalidReasons = strings(name, p);
                    return;
                case "sidecar_parse_status":
                    sidecarStatus = parseNamed(SidecarParseStatus.class, name, string(name, p));
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
                    require("vram_profile", profile), modelFamily);
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
            RunQuality quality;
            RunValidity validity;
            try {
                quality = new RunQuality(require("run_quality_status", qualityStatus), qualityReasons);
                validity = new RunValidity(require("valid", valid), invalidReasons);
            } catch (IllegalArgumentException e) {
                throw new ArtifactFormatException("run " + id + ": " + e.getMessage(), e);
            }
            SidecarSummary sidecar = new SidecarSummary(sidecarStatus, sidecarErrors, sidecarBody.sampleCount(),
                    sidecarBody.vramTotalMb(), sidecarBody.vramUsedMb(), sidecarBody.peakVramUsedMb(),
                    sidecarBody.thermalStartC(), sidecarBody.thermalEndC(), sidecarBody.maxTemperatureC(),
                    sidecarBody.gpuClockMhz(), sidecarBody.powerDrawWatts(), sidecarBody.fanSpeedPercent(),
                    sidecarBody.throttleReasonsSeen(), sidecarBody.foreignProcesses());
            Instant start = require("started_at", startedAt);
            return new RunTelemetry(schemaVersion, identity, start, endedAt == null ? start : endedAt, outcome,
                    tokenMetrics, metric(TelemetryField.WALL_SECONDS), metric(TelemetryField.INTERNAL_MODEL_SECONDS),
                    metric(TelemetryField.ORCHESTRATION_OVERHEAD_RATIO), quality, qualityDetails, validity, sidecar,
                    serverContextSize, new ServerIdentity(serverBuild, serverModelFile, servedQuantTag, null,
                            serverTotalSlots == null || serverTotalSlots <= 0 ? null : serverTotalSlots,
                            serverModelFamily, serverParameterSize), quantTagVerified);
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

        private static SidecarSummary readSidecar(String name, JsonParser p) throws IOException {
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
                            throttles.add(parseNamed(ThrottleReason.class, path, value));
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
                        pid = intValue(name + ".pid", p);
                        break;
                    case "process_name":
                        String value = string(name + ".process_name", p);
                        processName = value == null ? "" : value;
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

    private static @Nullable Double nullableDouble(String name, JsonParser p) throws IOException {
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

    private static <E extends Enum<E> & JsonNamed> @Nullable E named(Class<E> type, String name, JsonParser p)
            throws IOException {
        String text = string(name, p);
        return text == null ? null : parseNamed(type, name, text);
    }

    private static <E extends Enum<E> & JsonNamed> E parseNamed(Class<E> type, String name, String text) {
        try {
            return JsonNamed.fromJson(type, text);
        } catch (IllegalArgumentException e) {
            throw new ArtifactFormatException("field " + name + ": " + e.getMessage(), e);
        }
    }
}
