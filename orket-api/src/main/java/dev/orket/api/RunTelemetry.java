package dev.orket.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one record every run produces, successful or failed, with the same keys on every path
 * (see {@code docs/specs/run-telemetry.schema.json}).
 *
 * @param schemaVersion the artifact schema version this record was written with
 * @param identity the run's labels
 * @param startedAt wall-clock time the run started, for humans; durations come from the monotonic clock
 * @param endedAt wall-clock time the run reached its terminal state
 * @param outcome how the run ended
 * @param tokenMetrics token counts and timings
 * @param wallSeconds client time from request sent to terminal state, in seconds
 * @param internalModelSeconds server-reported model time (prompt + generation, plus load where reported), in seconds
 * @param orchestrationOverheadRatio max(0, (wall − internal) / wall), in [0, 1]
 * @param quality whether the measurement was clean
 * @param qualityDetails a human detail per quality reason where one is known (e.g. the spill fraction)
 * @param validity whether the run may enter KPI aggregates
 * @param sidecar the GPU sidecar's summary of the run
 * @param serverContextSize the context size the server used, or null when it did not say
 * @param server what the server said it serves (build, model file, served quant, slots, family, parameter size;
 *     its context size is {@code serverContextSize}), never null
 * @param quantTagVerified whether the served quant tag is the configured one, null when either is unknown
 * @param hardwareFlags what the GPU sidecar and the GPU-reading gates saw: advisory, never part of quality or
 *     validity
 * @param host how busy the host was during the run and who made it busy
 * @param controlsApplied what happened to each experimental control the run asked for
 * @param unrecognizedLabels label values a newer writer used that this reader does not know, kept raw; empty on
 *     every record this version writes
 * @since 0.1
 */
public record RunTelemetry(
        int schemaVersion,
        RunIdentity identity,
        Instant startedAt,
        Instant endedAt,
        RunOutcome outcome,
        TokenMetrics tokenMetrics,
        MetricValue wallSeconds,
        MetricValue internalModelSeconds,
        MetricValue orchestrationOverheadRatio,
        RunQuality quality,
        Map<RunQualityReason, String> qualityDetails,
        RunValidity validity,
        SidecarSummary sidecar,
        @Nullable Integer serverContextSize,
        ServerIdentity server,
        @Nullable Boolean quantTagVerified,
        HardwareFlags hardwareFlags,
        HostTelemetry host,
        ControlsApplied controlsApplied,
        List<UnrecognizedLabel> unrecognizedLabels) {

    public RunTelemetry {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(tokenMetrics, "tokenMetrics");
        Objects.requireNonNull(wallSeconds, "wallSeconds");
        Objects.requireNonNull(internalModelSeconds, "internalModelSeconds");
        Objects.requireNonNull(orchestrationOverheadRatio, "orchestrationOverheadRatio");
        Objects.requireNonNull(quality, "quality");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(sidecar, "sidecar");
        Objects.requireNonNull(server, "server");
        qualityDetails = Map.copyOf(qualityDetails);
        Objects.requireNonNull(hardwareFlags, "hardwareFlags");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(controlsApplied, "controlsApplied");
        unrecognizedLabels = unrecognizedLabels.stream().distinct().sorted().toList();
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be >= 1 but was " + schemaVersion);
        }
    }

    /** The raw spellings a newer writer used in one field, in order; empty when every value was known. */
    public List<String> unrecognized(String field) {
        return unrecognizedLabels.stream().filter(label -> label.field().equals(field)).map(UnrecognizedLabel::value)
                .toList();
    }

    /**
     * This record labelled with what the server said it serves: the identity, whether the served quant is the
     * configured one, and the server's context size where the run itself did not report one.
     */
    public RunTelemetry withServer(ServerIdentity identity) {
        Integer context = serverContextSize != null ? serverContextSize : identity.contextSize();
        // The context size lives in serverContextSize, so that the record says it once.
        ServerIdentity server = new ServerIdentity(identity.build(), identity.modelFile(), identity.servedQuantTag(),
                null, identity.totalSlots(), identity.family(), identity.parameterSize());
        return new RunTelemetry(schemaVersion, this.identity, startedAt, endedAt, outcome, tokenMetrics, wallSeconds,
                internalModelSeconds, orchestrationOverheadRatio, quality, qualityDetails, validity, sidecar, context,
                server, identity.quantTagVerified(this.identity.quantTag()), hardwareFlags, host, controlsApplied,
                unrecognizedLabels);
    }

    /** Whether the run completed. */
    public boolean completed() {
        return outcome.terminalState() == TerminalState.COMPLETED;
    }
}
