package dev.orket.simulator.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;

/**
 * Static helpers for the fault scripts of {@link Fault}.
 *
 * @since 0.1
 */
public final class Faults {

    private Faults() {}

    /**
     * A loopback URI whose port nothing listens on (a port bound and released just now), for
     * {@link Fault#REFUSE_CONNECTION}.
     */
    public static URI refusedConnectionUri() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return URI.create("http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free loopback port: " + e, e);
        }
    }

    /** The fault's script for a dialect and mode on the default answer and timeline, or empty. */
    public static java.util.Optional<FaultScript> of(Fault fault, ServerDialect dialect, boolean stream) {
        return fault.script(dialect, stream, Answer.fixture("tiny-random-llama"), ScriptTimeline.DEFAULT);
    }
}
