package dev.orket.core.stream;

import dev.orket.api.FailureKind;
import dev.orket.api.spi.RunRecorder;
import dev.orket.api.spi.WireEvent;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one {@link HttpTransport} of a provider instance, with the provider's lifecycle: built on first use (so that
 * creating a provider does no I/O and starts no thread), closed once with the provider, never built again after
 * that. A run on a closed provider fails as data ({@code PROVIDER_ERROR}); a call outside a run is misuse and throws.
 * Thread-safe: a close racing a first use either sees the transport and closes it, or leaves nothing to build.
 *
 * @since 0.2
 */
public final class ProviderTransport implements AutoCloseable {

    private final String closedMessage;
    private final Supplier<HttpTransport> factory;
    private @Nullable HttpTransport transport;
    private boolean closed;

    /**
     * @param providerName the provider as messages name it, e.g. {@code llamacpp} in "the llamacpp provider is closed"
     * @param factory builds the transport on first use; called at most once
     */
    public ProviderTransport(String providerName, Supplier<HttpTransport> factory) {
        this.closedMessage = "the " + Objects.requireNonNull(providerName, "providerName")
                + " provider is closed; create a new one";
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * The transport for one run, or null once the provider is closed, after recording the run's terminal
     * {@code PROVIDER_ERROR} that says so on {@code recorder}.
     */
    public @Nullable HttpTransport forRun(RunRecorder recorder) {
        HttpTransport http = current();
        if (http == null) {
            recorder.record(new WireEvent.Failed(FailureKind.PROVIDER_ERROR, closedMessage, null));
        }
        return http;
    }

    /**
     * The transport for a call outside a run; never null.
     *
     * @throws IllegalStateException once the provider is closed
     */
    public HttpTransport forCall() {
        HttpTransport http = current();
        if (http == null) {
            throw new IllegalStateException(closedMessage);
        }
        return http;
    }

    /** Closes the transport, if one was built; later uses find the provider closed. Idempotent. */
    @Override
    public void close() {
        HttpTransport http;
        synchronized (this) {
            closed = true;
            http = transport;
            transport = null;
        }
        if (http != null) {
            http.close();
        }
    }

    private synchronized @Nullable HttpTransport current() {
        if (closed) {
            return null;
        }
        if (transport == null) {
            transport = factory.get();
        }
        return transport;
    }
}
