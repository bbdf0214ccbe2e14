package dev.orket.core.sweep;

import dev.orket.api.ExecutionLane;
import dev.orket.api.RunRequest;
import dev.orket.api.RunTelemetry;
import dev.orket.api.ServerIdentity;
import dev.orket.api.VramProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened in a sweep, as typed events delivered to {@link SweepListener}s in the order they happen: one
 * {@link SweepStarted}, then per cell {@link CellStarted} or {@link CellBlocked}, {@link RunFinished} per run written to
 * its ledger, {@link CanaryFinished} once the canary gate judged, {@link ThermalWait} when the gate waited,
 * {@link TornLineRecovered} and {@link Warning} where they apply, and one {@link SweepFinished} last. The CLI's
 * progress line and {@code orket sweep --json} are both built on these events; {@link #eventName()} is the
 * {@code event} field of the JSON form ({@code docs/sweep.md}).
 *
 * @since 0.1
 */
public sealed interface SweepEvent {

    /** The event's snake_case name, e.g. {@code run_finished}. */
    String eventName();

    /**
     * The sweep began (or resumed) in its output directory.
     *
     * @param sweepId the sweep's id
     * @param outputDir where its artifacts go
     * @param executionLane the lane every artifact carries
     * @param vramProfile the VRAM profile every artifact carries
     * @param cells cells this invocation plans (its shard's, when sharded)
     * @param plannedRuns runs planned in all (canary, warm-up, measured)
     * @param resumedRuns runs already done before this invocation, skipped
     * @param toRun runs this invocation has to execute
     */
    record SweepStarted(String sweepId, Path outputDir, ExecutionLane executionLane, VramProfile vramProfile,
            int cells, int plannedRuns, int resumedRuns, int toRun) implements SweepEvent {
        public SweepStarted {
            Objects.requireNonNull(sweepId, "sweepId");
            Objects.requireNonNull(outputDir, "outputDir");
            Objects.requireNonNull(executionLane, "executionLane");
            Objects.requireNonNull(vramProfile, "vramProfile");
        }

        @Override
        public String eventName() {
            return "sweep_started";
        }
    }

    /**
     * A cell's server is ready and serves the cell's quant (or cannot say); its runs start.
     *
     * @param model the model's base name
     * @param quant the quant tag
     * @param context the cell's context size, or null when the sweep has one context for all cells
     * @param server what the server said it serves
     * @param runsToDo the cell's runs this invocation executes
     */
    record CellStarted(String model, String quant, @Nullable Integer context, ServerIdentity server, int runsToDo)
            implements SweepEvent {
        public CellStarted {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(quant, "quant");
            Objects.requireNonNull(server, "server");
        }

        @Override
        public String eventName() {
            return "cell_started";
        }
    }

    /**
     * A cell will not run (or stopped running): the pre-flight, a server that did not start or died too often, a
     * quant mismatch, a server that never became ready, or the circuit breaker. {@code --resume} tries it again.
     *
     * @param model the model's base name
     * @param quant the quant tag
     * @param context the cell's context size, or null
     * @param reason a code with its detail, e.g. {@code quant_mismatch:Q8_0!=Q4_K_M}
     */
    record CellBlocked(String model, String quant, @Nullable Integer context, String reason) implements SweepEvent {
        public CellBlocked {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(quant, "quant");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String eventName() {
            return "cell_blocked";
        }
    }

    /**
     * A run ended and its record was written to its ledger (and forced to disk).
     *
     * @param runId the run's id
     * @param phase canary, warm-up or measured
     * @param attempt which attempt of the run this was, from 1
     * @param request what was asked of the server
     * @param telemetry the run's telemetry record, as written
     * @param qualityScore the output's quality score, or null when the run did not complete
     * @param done runs this invocation finished so far
     * @param remaining runs this invocation still plans
     */
    record RunFinished(String runId, RunPhase phase, int attempt, RunRequest request, RunTelemetry telemetry,
            @Nullable Double qualityScore, int done, int remaining) implements SweepEvent {
        public RunFinished {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(telemetry, "telemetry");
        }

        @Override
        public String eventName() {
            return "run_finished";
        }
    }

    /** The canary gate judged its runs; a failed verdict stops the sweep. */
    record CanaryFinished(CanaryVerdict verdict) implements SweepEvent {
        public CanaryFinished {
            Objects.requireNonNull(verdict, "verdict");
        }

        @Override
        public String eventName() {
            return "canary_verdict";
        }
    }

    /**
     * The thermal gate waited for the card before a measured run.
     *
     * @param runId the run it waited for
     * @param waited how long it waited
     * @param settled whether the card settled; when not, the run is flagged {@code THERMAL_NOT_SETTLED}
     * @param detail the last reading's detail (temperature or throttle reason)
     */
    record ThermalWait(String runId, Duration waited, boolean settled, String detail) implements SweepEvent {
        public ThermalWait {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(waited, "waited");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String eventName() {
            return "thermal_wait";
        }
    }

    /**
     * A torn last ledger line (a kill mid-write) was moved aside on resume; its run is done again.
     *
     * @param ledgerFile the ledger's file name
     * @param lineNumber the torn line's 1-based number
     * @param bytes its length
     * @param movedTo where its bytes were moved
     */
    record TornLineRecovered(String ledgerFile, int lineNumber, int bytes, Path movedTo) implements SweepEvent {
        public TornLineRecovered {
            Objects.requireNonNull(ledgerFile, "ledgerFile");
            Objects.requireNonNull(movedTo, "movedTo");
        }

        @Override
        public String eventName() {
            return "torn_line_recovered";
        }
    }

    /**
     * Something the operator should know that changes no result: a restarted server, a model that could not be
     * unloaded, a cell whose pre-flight has no estimate, a duplicate ledger line ignored, a stale lock taken over.
     *
     * @param code a snake_case code, e.g. {@code server_restarted}
     * @param message a human sentence with the figures
     */
    record Warning(String code, String message) implements SweepEvent {
        public Warning {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String eventName() {
            return "warning";
        }
    }

    /** The sweep ended: completed, stopped by the canary gate, or interrupted. */
    record SweepFinished(SweepOutcome outcome) implements SweepEvent {
        public SweepFinished {
            Objects.requireNonNull(outcome, "outcome");
        }

        @Override
        public String eventName() {
            return "sweep_finished";
        }
    }
}
