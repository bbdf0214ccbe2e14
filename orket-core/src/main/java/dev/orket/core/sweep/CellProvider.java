package dev.orket.core.sweep;

import dev.orket.api.spi.InferenceProvider;
import dev.orket.core.host.MeasuredServer;
import java.util.Set;

/**
 * The provider one cell runs on, when each quant has a server of its own (a managed llama-server started
 * per GGUF file). Closed when the cell ends, which stops that server.
 *
 * @since 0.1
 */
public interface CellProvider extends AutoCloseable {

    /** The provider talking to this cell's server. */
    InferenceProvider provider();

    /** The server's process ids, which the GPU sidecar must not count as foreign. */
    Set<Long> serverProcessIds();

    /**
     * What is known of this cell's server: its processes (by default {@link #serverProcessIds()} and their
     * descendants) and the experimental controls applied when it started (threads, context size, affinity).
     */
    default MeasuredServer measuredServer() {
        return MeasuredServer.ofPids(serverProcessIds());
    }

    /**
     * Whether the cell's server is still running. A managed server that died (crashed, killed) is started again
     * by the sweep before the cell's next run, up to {@code managed_server.max_restarts}; a server the sweep does
     * not manage is always taken as running.
     */
    default boolean alive() {
        return true;
    }

    /** The last lines of the server's output, for a blocked cell's reason; empty when there are none. */
    default String outputTail() {
        return "";
    }

    /** Stops the cell's server; never throws for a server that is already gone. */
    @Override
    void close();

    /**
     * Opens the provider of a cell.
     *
     * @since 0.1
     */
    @FunctionalInterface
    interface Opener {

        /**
         * Starts what the cell needs.
         *
         * @throws RuntimeException when the cell's server cannot start; the sweep records the cell as blocked
         */
        CellProvider open(SweepCell cell);
    }
}
