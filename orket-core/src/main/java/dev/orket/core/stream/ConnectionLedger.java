package dev.orket.core.stream;

/**
 * What the transport knows about its HTTP client's connection pool, so that it reports a connect time only
 * when the request certainly opens a new connection. The JDK client says nothing about its pool; it parks a
 * connection only after a response body ended normally without {@code Connection: close}, so an exchange
 * that starts while none can be parked and none is in flight certainly connects. Every other start may reuse
 * a parked connection and is reported as reused: absent, never a connect time that was not measured.
 */
final class ConnectionLedger {

    private int inFlight;
    private int maybeParked;

    /** An exchange starts; returns whether it certainly opens a new connection. */
    synchronized boolean begin() {
        boolean fresh = inFlight == 0 && maybeParked == 0;
        if (maybeParked > 0) {
            // It may take the parked connection (or the client dropped that one as closed by the server).
            maybeParked--;
        }
        inFlight++;
        return fresh;
    }

    /** An exchange ended; {@code mayHaveParked} when its connection may have gone back to the pool. */
    synchronized void end(boolean mayHaveParked) {
        inFlight--;
        if (mayHaveParked) {
            maybeParked++;
        }
    }
}
