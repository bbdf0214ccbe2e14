package dev.orket.core.kpi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.orket.api.ExecutionLane;
import dev.orket.api.HardwareFlag;
import dev.orket.api.JsonNamed;
import dev.orket.api.ThrottleReason;
import dev.orket.api.VramProfile;
import dev.orket.core.artifact.ArtifactFormatException;
import dev.orket.core.artifact.LedgerAttempts;
import dev.orket.core.policy.ValidRunPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads, from one run telemetry JSON object, only the fields KPIs need and skips the rest without
 * converting it: the hot path of ledger aggregation. It reads the same keys as
 * {@link dev.orket.core.artifact.TelemetryJson} (a test holds the two in agreement) and judges
 * validity with {@link ValidRunPolicy} from the outcome, token metrics status and quality, united
 * with the validity the record carries. Like that reader it tolerates the future (label spellings it does
 * not know are kept as text and judged conservatively) and the past (hardware codes an older writer put in
 * {@code run_quality_reasons} are hardware flags, which never exclude a run).
 */
final class LedgerScanner {

    // Package-private: LedgerLineScanner, the byte-level fast path, fills the same fields and shares finish().
    @Nullable String terminalState;
    @Nullable String tokenStatus;
    @Nullable String qualityStatus;
    final List<String> qualityReasons = new ArrayList<>();
    @Nullable Boolean valid;
    final List<String> invalidReasons = new ArrayList<>();
    int schemaVersion;
    @Nullable String runId;
    @Nullable String model;
    @Nullable String modelFamily;
    boolean movedHardwareCode;

    /** Reads one object; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    void read(JsonParser p, RunSample s) throws IOException {
        reset(s);
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken token = p.nextToken();
            switch (name) {
                case "schema_version":
                    if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            || p.getLongValue() < 1 || p.getLongValue() > Integer.MAX_VALUE) {
                        throw new ArtifactFormatException("field schema_version must be an integer >= 1 but was '"
                                + p.getText() + "'");
                    }
                    schemaVersion = p.getIntValue();
                    break;
                case "attempt":
                    s.attempt = LedgerAttempts.readAttempt(p);
                    break;
                case "run_id":
                    if (runId != null) {
                        throw new ArtifactFormatException("field run_id appears twice in one record");
                    }
                    runId = text(p, name);
                    break;
                case "sweep_id":
                    s.sweepId = text(p, name);
                    break;
                case "model":
                    model = text(p, name);
                    break;
                case "model_family":
                    if (token != JsonToken.VALUE_NULL) {
                        modelFamily = text(p, name);
                    }
                    break;
                case "quant_tag":
                    s.quantTag = text(p, name);
                    break;
                case "context_size":
                    s.contextSize = contextSize(p);
                    break;
                case "execution_lane":
                    s.lane = label(ExecutionLane.class, p, name);
                    break;
                case "vram_profile":
                    s.profile = label(VramProfile.class, p, name);
                    break;
                case "terminal_state":
                    terminalState = text(p, name);
                    break;
                case "token_metrics_status":
                    tokenStatus = text(p, name);
                    break;
                case "run_quality_status":
                    qualityStatus = text(p, name);
                    break;
                case "run_quality_reasons":
                    for (String reason : strings(p, name)) {
                        addQualityReason(reason, s);
                    }
                    break;
                case "hardware_flags":
                    for (String flag : strings(p, name)) {
                        s.hardwareFlags.add(JsonNamed.fromArtifact(HardwareFlag.class, flag));
                    }
                    break;
                case "valid":
                    if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                        throw new ArtifactFormatException("field valid must be a boolean but was '" + p.getText() + "'");
                    }
                    valid = token == JsonToken.VALUE_TRUE;
                    break;
                case "invalid_reasons":
                    invalidReasons.addAll(strings(p, name));
                    break;
                case "client_ttft_ms":
                    s.clientTtftMs = number(p, name);
                    break;
                case "generation_tokens_per_second":
                    s.generationTokensPerSecond = number(p, name);
                    break;
                case "prompt_tokens_per_second":
                    s.promptTokensPerSecond = number(p, name);
                    break;
                case "wall_seconds":
                    s.wallSeconds = number(p, name);
                    break;
                case "orchestration_overhead_ratio":
                    s.overheadRatio = number(p, name);
                    break;
                case "sidecar":
                    readSidecar(p, s);
                    break;
                case "quality_score":
                    s.recordedQualityScore = number(p, name);
                    break;
                default:
                    p.skipChildren();
            }
        }
        finish(s);
    }

    /**
     * Takes one {@code run_quality_reasons} entry: an older writer's hardware code becomes a hardware flag (advisory
     * now, and never a reason to exclude), anything else a quality reason.
     */
    void addQualityReason(String reason, RunSample s) {
        HardwareFlag legacy = HardwareFlag.fromLegacyQualityReason(reason);
        if (legacy != null) {
            s.hardwareFlags.add(legacy);
            movedHardwareCode = true;
        } else {
            qualityReasons.add(reason);
        }
    }

    /** Clears the fields of the previous record and the sample's figures. */
    void reset(RunSample s) {
        terminalState = null;
        movedHardwareCode = false;
        tokenStatus = null;
        qualityStatus = null;
        qualityReasons.clear();
        valid = null;
        invalidReasons.clear();
        schemaVersion = -1;
        runId = null;
        model = null;
        modelFamily = null;
        s.quantTag = null;
        s.contextSize = null;
        s.lane = null;
        s.profile = null;
        s.clientTtftMs = Double.NaN;
        s.generationTokensPerSecond = Double.NaN;
        s.promptTokensPerSecond = Double.NaN;
        s.wallSeconds = Double.NaN;
        s.overheadRatio = Double.NaN;
        s.peakVramMb = Double.NaN;
        s.recordedQualityScore = Double.NaN;
        s.hardwareFlags.clear();
        s.throttleReasons.clear();
        s.attempt = 1;
        s.sweepId = null;
    }

    /** Checks the required fields and judges validity into the sample. */
    void finish(RunSample s) {
        if (schemaVersion < 1) {
            throw new ArtifactFormatException("run telemetry record lacks schema_version");
        }
        s.runId = require("run_id", runId);
        s.model = modelFamily != null ? modelFamily : require("model", model);
        require("execution_lane", s.lane);
        require("vram_profile", s.profile);
        String quality = require("run_quality_status", qualityStatus);
        if (movedHardwareCode && "POLLUTED".equals(quality) && qualityReasons.isEmpty()) {
            quality = "CLEAN";
        }
        s.validity = ValidRunPolicy.judge(require("terminal_state", terminalState),
                require("token_metrics_status", tokenStatus), quality, qualityReasons, require("valid", valid),
                invalidReasons);
    }

    private <T> T require(String name, @Nullable T value) {
        if (value == null) {
            throw new ArtifactFormatException(
                    "run telemetry record " + (runId == null ? "" : runId + " ") + "lacks required field " + name);
        }
        return value;
    }

    private static void readSidecar(JsonParser p, RunSample s) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ArtifactFormatException("field sidecar must be an object but was " + p.currentToken());
        }
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            if (name.equals("peak_vram_used_mb")) {
                s.peakVramMb = number(p, "sidecar.peak_vram_used_mb");
            } else if (name.equals("throttle_reasons_seen")) {
                for (String reason : strings(p, "sidecar.throttle_reasons_seen")) {
                    s.throttleReasons.add(JsonNamed.fromArtifact(ThrottleReason.class, reason));
                }
            } else {
                p.skipChildren();
            }
        }
    }

    /** {@code context_size}: null, or a positive integer that fits an int. */
    private static @Nullable Integer contextSize(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || p.getLongValue() < 1 || p.getLongValue() > Integer.MAX_VALUE) {
            throw new ArtifactFormatException("field context_size must be a positive integer (the context the run"
                    + " asked for) or null but was '" + p.getText() + "'");
        }
        return p.getIntValue();
    }

    private static double number(JsonParser p, String name) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return Double.NaN;
        }
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new ArtifactFormatException("field " + name + " must be a number but was '" + p.getText() + "'");
        }
        return p.getDoubleValue();
    }

    private static @Nullable String text(JsonParser p, String name) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new ArtifactFormatException("field " + name + " must be a string but was '" + p.getText() + "'");
        }
        return p.getText();
    }

    private static List<String> strings(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new ArtifactFormatException("field " + name + " must be an array but was " + p.currentToken());
        }
        List<String> values = new ArrayList<>(2);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String value = text(p, name);
            if (value == null) {
                throw new ArtifactFormatException("field " + name + " must hold strings but held null");
            }
            values.add(value);
        }
        return values;
    }

    /** A label of a known vocabulary, or its UNRECOGNIZED constant when a newer writer used another spelling. */
    private static <E extends Enum<E> & JsonNamed> @Nullable E label(Class<E> type, JsonParser p, String name)
            throws IOException {
        String text = text(p, name);
        return text == null ? null : JsonNamed.fromArtifact(type, text);
    }
}
