package dev.orket.provider.llamacpp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Runs one cell per GGUF file, each on a fresh managed {@code llama-server} that is stopped before
 * the next starts. A server that does not start is recorded in its cell, and the sweep goes on.
 *
 * <pre>{@code
 * List<QuantSweep.Cell<RunResult>> cells = QuantSweep.run(options, ggufFiles,
 *         server -> { try (var provider = server.provider()) { return executor.execute(provider, request); } });
 * }</pre>
 *
 * @since 0.1
 */
public final class QuantSweep {

    private QuantSweep() {}

    /** The work done against one server. */
    @FunctionalInterface
    public interface Work<R> {
        /** Runs the cell against a healthy server. */
        R run(ManagedLlamaServer server);
    }

    /**
     * One quant's outcome.
     *
     * @param model the GGUF file
     * @param quantTag the tag in its file name, or null
     * @param result what the work returned, or null when the server did not start
     * @param startFailure why the server did not start, or null when it did
     * @param outputTail the tail of the server's output when it stopped, never null
     */
    public record Cell<R>(Path model, @Nullable String quantTag, @Nullable R result, @Nullable String startFailure,
            String outputTail) {
        public Cell {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(outputTail, "outputTail");
        }
    }

    /** Runs the work once per model, in order, restarting the server for each. */
    public static <R> List<Cell<R>> run(ManagedLlamaServer.Options template, List<Path> models, Work<R> work) {
        List<Cell<R>> cells = new ArrayList<>(models.size());
        for (Path model : models) {
            Path name = model.getFileName();
            String tag = name == null ? null : QuantTags.fromFileName(name.toString());
            ManagedLlamaServer server;
            try {
                server = ManagedLlamaServer.start(template.withModel(model));
            } catch (ServerStartException e) {
                cells.add(new Cell<>(model, tag, null, e.getMessage(), e.outputTail()));
                continue;
            }
            R result;
            try (server) {
                result = work.run(server);
            }
            cells.add(new Cell<>(model, tag, result, null, server.stderrTail()));
        }
        return List.copyOf(cells);
    }
}
