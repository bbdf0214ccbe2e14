package dev.orket.provider.llamacpp;

import dev.orket.api.OrketException;

/**
 * A managed {@code llama-server} did not become healthy: it could not be started, exited, or did
 * not answer {@code GET /health} with 200 before the deadline. The process has been stopped; the
 * message ends with the tail of its output.
 *
 * @since 0.1
 */
public final class ServerStartException extends OrketException {
    private static final long serialVersionUID = 1L;

    private final String outputTail;

    public ServerStartException(String message, String outputTail) {
        super(message + (outputTail.isEmpty() ? "" : "\n--- llama-server output (tail) ---\n" + tailOf(outputTail)));
        this.outputTail = outputTail;
    }

    /** The tail of the server's stderr and stdout, never null. */
    public String outputTail() {
        return outputTail;
    }

    private static String tailOf(String text) {
        return text.length() <= 4096 ? text : text.substring(text.length() - 4096);
    }
}
