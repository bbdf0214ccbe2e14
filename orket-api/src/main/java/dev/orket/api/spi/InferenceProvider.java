package dev.orket.api.spi;

import dev.orket.api.Capability;
import dev.orket.api.ControlApplication;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.Readiness;
import dev.orket.api.RunQualityReason;
import dev.orket.api.RunRequest;
import dev.orket.api.ServerIdentity;
import dev.orket.api.UnsupportedCapabilityException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs prompts against one inference server and reports what happened on the wire as canonical
 * events. A provider never computes telemetry fields: the recorder does.
 *
 * @since 0.1
 */
public interface InferenceProvider extends AutoCloseable {

    /** The id of the factory that made this provider. */
    String id();

    /** What this provider can do; a declared capability must work. */
    Set<Capability> capabilities();

    /**
     * Asks the server whether a run of the model can start now. Never throws for a server that is
     * down or loading: that is {@link Readiness#blocked}.
     */
    Readiness probe(String model);

    /**
     * Executes one run, reporting every step to the recorder: {@link WireEvent.RequestSent} first,
     * then what the server sent, then exactly one terminal event ({@link WireEvent.Completed},
     * {@link WireEvent.Failed} or {@link WireEvent.Cancelled}). A failure of the server is a
     * {@link WireEvent.Failed} event, not an exception. Returns after the terminal event.
     *
     * <p>A request asking for streaming or non-streaming the provider does not declare is reported
     * as a failure of kind {@code UNSUPPORTED_CAPABILITY}.
     */
    void execute(RunRequest request, RunRecorder recorder);

    /**
     * Quality reasons the server can tell only after a completed run, with details: e.g. Ollama's
     * {@code /api/ps} showing part of the model outside VRAM ({@code VRAM_SPILL}). Called once after
     * the terminal event of a completed run; an exception here is logged and never fails the run.
     */
    default Map<RunQualityReason, String> qualityAfterRun(RunRequest request) {
        return Map.of();
    }

    /**
     * What this provider does with the request's experimental controls: for each of seed, temperature,
     * threads and context size, whether it passes the value to the server per request ({@code applied}),
     * whether the run asked for none ({@code not_applicable}), or why it cannot ({@code not_applied}, e.g.
     * llama-server takes threads only at start). A pure declaration, asked once per run; the recorder
     * checks it against what the server reports (e.g. its context size). The default says that a requested
     * control was not applied, because a provider that does not declare it cannot be trusted to.
     */
    default Map<ExperimentalControl, ControlApplication> controlsFor(RunRequest request) {
        Map<ExperimentalControl, ControlApplication> controls = new EnumMap<>(ExperimentalControl.class);
        Object[] requested = {request.seed(), request.temperature(), request.threads(), request.contextSize()};
        ExperimentalControl[] names = {ExperimentalControl.SEED, ExperimentalControl.TEMPERATURE,
            ExperimentalControl.THREADS, ExperimentalControl.CONTEXT_SIZE};
        for (int i = 0; i < names.length; i++) {
            controls.put(names[i], requested[i] == null ? ControlApplication.notApplicable("not requested")
                    : ControlApplication.notApplied(requested[i], "provider '" + id()
                            + "' does not declare how it applies " + names[i].jsonName()));
        }
        return controls;
    }

    /**
     * What the server says it serves for the model: build, model file, quant tag, context size. Read before a
     * cell's first run so that a sweep can compare the served quant with the configured one. Never throws: a server
     * that cannot say (down, an old build, an endpoint it lacks) gives {@link ServerIdentity#unknown()}, or an
     * identity with the fields it did say.
     */
    default ServerIdentity serverIdentity(String model) {
        return ServerIdentity.unknown();
    }

    /**
     * Frees the model's memory on the server, so that the next quant of a sweep starts from an empty card:
     * Ollama unloads it ({@code keep_alive: 0}); a server that holds one model per process does nothing.
     * A failure is logged by the caller and never fails a sweep.
     */
    default void unloadModel(String model) {}

    /**
     * The models the server offers.
     *
     * @throws UnsupportedCapabilityException when the provider does not declare {@link Capability#MODEL_LISTING}
     */
    default List<String> listModels() {
        throw new UnsupportedCapabilityException(id(), Capability.MODEL_LISTING);
    }

    /** Releases connections and threads; the provider is unusable afterwards. */
    @Override
    default void close() {}
}
