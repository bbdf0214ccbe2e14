package dev.orket.simulator.server;

/**
 * Chooses the script that answers a request, e.g. by path. Called on the connection's thread; must be
 * thread-safe when the server serves concurrent requests.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Dispatcher {

    /** The script answering the request, never null. */
    Script dispatch(RecordedRequest request);
}
