package dev.orket.core.sweep;

import dev.orket.api.ControlApplication;
import dev.orket.api.ControlStatus;
import dev.orket.api.ExperimentalControl;
import dev.orket.api.MonotonicClock;
import dev.orket.api.Readiness;
import dev.orket.api.RunRequest;
import dev.orket.api.ServerIdentity;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server of the cell being measured: opens its provider (starting a managed server), waits for it to be ready,
 * reads what it serves and refuses a quant (or, in a context sweep, a context) it does not serve, starts it again
 * when it died, and closes it when the cell ends. One cell's server is open at a time.
 */
final class CellServers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CellServers.class);
    /** Readiness reasons that waiting does not cure: the cell is blocked at once. */
    private static final Set<String> PERMANENT = Set.of("model_not_found", "unauthorized");
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final CellProvider.Opener opener;
    private final SweepConfig config;
    private final BiConsumer<SweepCell, CellProvider> onOpen;
    private final BiConsumer<SweepCell, ServerIdentity> onIdentity;
    private final MonotonicClock clock;
    private final GpuChecks.Pause pause;
    private final Consumer<SweepEvent> events;
    /**
     * What each cell's server said it serves, by the cell's key: looked up on every run, and a key is cheap to hash,
     * unlike a cell with all its runs and their prompts.
     */
    private final Map<String, ServerIdentity> identities = new HashMap<>();
    /**
     * Keys of context-sweep cells whose server has not yet confirmed the cell's context (checked after a completed
     * run).
     */
    private final java.util.Set<String> contextUnconfirmed = new java.util.HashSet<>();
    private @Nullable CellProvider open;
    private @Nullable SweepCell openCell;

    /**
     * Servers for a sweep's cells.
     *
     * @param onOpen told of every server opened (a cell's first, or a restart): its processes are resolved
     * @param onIdentity told of what a cell's server said it serves, when it says something new
     */
    CellServers(CellProvider.Opener opener, SweepConfig config, BiConsumer<SweepCell, CellProvider> onOpen,
            BiConsumer<SweepCell, ServerIdentity> onIdentity, MonotonicClock clock, GpuChecks.Pause pause,
            Consumer<SweepEvent> events) {
        this.opener = opener;
        this.config = config;
        this.onOpen = onOpen;
        this.onIdentity = onIdentity;
        this.clock = clock;
        this.pause = pause;
        this.events = events;
    }

    /** Thrown (and caught by the engine) when a cell cannot run; the message is the blocked reason. */
    static final class CellBlockedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CellBlockedException(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Makes the cell's server ready to measure: opened, ready by its probe, serving the cell's quant.
     *
     * @throws CellBlockedException naming why the cell cannot run
     */
    CellProvider start(SweepCell cell) {
        CellProvider provider;
        try {
            provider = current(cell);
        } catch (RuntimeException e) {
            throw new CellBlockedException("server_start_failed:" + e.getMessage());
        }
        awaitReady(cell, provider);
        String mismatch = quantMismatch(cell);
        if (mismatch == null) {
            mismatch = contextMismatchAtStart(cell, provider);
        }
        if (mismatch != null) {
            closeOpen();
            throw new CellBlockedException(mismatch);
        }
        return provider;
    }

    /**
     * In a context sweep, why the cell must not run because its server runs another context:
     * {@code context_mismatch:<asked>!=<served>}. A server that does not say its context yet (Ollama says it once the
     * model is loaded) is asked again after the cell's first completed run ({@link #contextMismatchAfterRun}), and so
     * is one whose provider sets the context per request ({@code num_ctx}): what it says before the first run is the
     * context of the model's previous load.
     */
    private @Nullable String contextMismatchAtStart(SweepCell cell, CellProvider provider) {
        Integer asked = cell.context();
        contextUnconfirmed.remove(cell.key());
        if (asked == null) {
            return null;
        }
        Integer served = identity(cell).contextSize();
        if (asked.equals(served)) {
            return null;
        }
        if (served == null || setsContextPerRequest(cell, provider)) {
            contextUnconfirmed.add(cell.key());
            return null;
        }
        return contextMismatch(asked, served);
    }

    /**
     * After a completed run of a context-sweep cell whose context is not yet confirmed, what the server now says:
     * null once it confirms the cell's context, {@code context_mismatch:<asked>!=<served>} when it runs another, and
     * {@code context_mismatch:<asked>!=unknown} when it still does not say (a context sweep needs a server that says
     * which context it runs).
     */
    @Nullable String contextMismatchAfterRun(SweepCell cell) {
        Integer asked = cell.context();
        if (asked == null || !contextUnconfirmed.contains(cell.key())) {
            return null;
        }
        ServerIdentity known = identities.get(cell.key());
        ServerIdentity identity = known != null && asked.equals(known.contextSize()) ? known : identify(cell);
        Integer served = identity.contextSize();
        if (asked.equals(served)) {
            contextUnconfirmed.remove(cell.key());
            return null;
        }
        return contextMismatch(asked, served);
    }

    private static String contextMismatch(int asked, @Nullable Integer served) {
        return "context_mismatch:" + asked + "!=" + (served == null ? "unknown" : served.toString());
    }

    /** Whether the provider passes the context size with each request (Ollama's num_ctx) rather than at start. */
    private static boolean setsContextPerRequest(SweepCell cell, CellProvider provider) {
        try {
            RunRequest probe = RunRequest.builder("context-check/" + cell.key(), cell.serverModel(), "")
                    .contextSize(cell.context()).build();
            ControlApplication control = provider.provider().controlsFor(probe).get(ExperimentalControl.CONTEXT_SIZE);
            return control != null && control.status() == ControlStatus.APPLIED;
        } catch (RuntimeException e) {
            LOG.warn("provider could not say how it applies the context size: {}", e.toString());
            return false;
        }
    }

    /** The cell's provider, opening it (and closing the previous cell's) when the cell changes. */
    CellProvider current(SweepCell cell) {
        if (open != null && cell.equals(openCell)) {
            return open;
        }
        closeOpen();
        // A new server for the cell (its first, or a restart after it died) says again what it serves.
        identities.remove(cell.key());
        CellProvider opened = opener.open(cell);
        open = opened;
        openCell = cell;
        onOpen.accept(cell, opened);
        return opened;
    }

    /**
     * Starts the cell's server again after it died.
     *
     * @throws CellBlockedException when it cannot start again or then serves another quant
     */
    CellProvider restart(SweepCell cell) {
        closeOpen();
        return start(cell);
    }

    /** What the cell's server said it serves, or unknown before it was asked. */
    ServerIdentity identity(SweepCell cell) {
        return identities.getOrDefault(cell.key(), ServerIdentity.unknown());
    }

    /** Asks again what the server serves when it did not yet say its context (Ollama says it once the model loaded). */
    void refreshIdentityIfIncomplete(SweepCell cell) {
        ServerIdentity known = identities.get(cell.key());
        if (known != null && known.contextSize() == null) {
            identify(cell);
        }
    }

    /** Frees the cell's model before the next quant loads; a failure only costs a warning. */
    void unload(SweepCell cell) {
        try {
            current(cell).provider().unloadModel(cell.serverModel());
        } catch (RuntimeException e) {
            LOG.warn("could not unload {}: {}", cell.serverModel(), e.toString());
            events.accept(new SweepEvent.Warning("unload_failed", "could not unload " + cell.serverModel() + ": "
                    + e.getMessage()));
        }
    }

    /** Closes the open cell's provider, which stops a managed server. */
    void closeOpen() {
        if (open != null) {
            try {
                open.close();
            } catch (RuntimeException e) {
                LOG.warn("could not close the provider of {}: {}", openCell, e.toString());
            }
            open = null;
            openCell = null;
        }
    }

    @Override
    public void close() {
        closeOpen();
    }

    /**
     * Waits, with backoff, until the provider's probe says ready, at most {@code readiness_timeout_ms}.
     *
     * @throws CellBlockedException with the probe's reasons when it never does
     */
    private void awaitReady(SweepCell cell, CellProvider provider) {
        long deadline = clock.nanoTime() + config.resilience().readinessTimeout().toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            Readiness readiness;
            try {
                readiness = provider.provider().probe(cell.serverModel());
            } catch (RuntimeException e) {
                // The SPI says a probe never throws for a server that is down; one that does is not ready.
                readiness = Readiness.blocked("probe_failed", e.toString());
            }
            if (readiness.ready()) {
                return;
            }
            boolean permanent = readiness.reasons().stream().anyMatch(PERMANENT::contains);
            long left = deadline - clock.nanoTime();
            if (permanent || left <= 0) {
                closeOpen();
                throw new CellBlockedException("not_ready:" + String.join(",", readiness.reasons())
                        + (readiness.detail().isEmpty() ? "" : ": " + readiness.detail())
                        + (permanent ? "" : " (waited " + config.resilience().readinessTimeout().toMillis() + " ms)"));
            }
            Duration wait = Duration.ofNanos(Math.min(backoff.toNanos(), left));
            if (!pause.pause(wait)) {
                closeOpen();
                throw new CellBlockedException("not_ready:" + String.join(",", readiness.reasons())
                        + " (the sweep was stopped while waiting)");
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * Reads what the cell's server serves (once per server start) and says why the cell must not run:
     * {@code quant_mismatch:<configured>!=<served>} when it serves another quant, null when it serves the cell's
     * quant or cannot say (then runs record {@code quant_tag_verified: null}).
     */
    private @Nullable String quantMismatch(SweepCell cell) {
        ServerIdentity known = identities.get(cell.key());
        ServerIdentity identity = known != null ? known : identify(cell);
        if (Boolean.FALSE.equals(identity.quantTagVerified(cell.quant()))) {
            return "quant_mismatch:" + cell.quant() + "!=" + identity.servedQuantTag();
        }
        return null;
    }

    private ServerIdentity identify(SweepCell cell) {
        ServerIdentity identity;
        try {
            identity = current(cell).provider().serverIdentity(cell.serverModel());
        } catch (RuntimeException e) {
            // The SPI says serverIdentity never throws; a provider that does still only loses its identity.
            LOG.warn("provider could not say what it serves for {}: {}", cell.serverModel(), e.toString());
            identity = ServerIdentity.unknown();
        }
        if (!identity.equals(identities.put(cell.key(), identity))) {
            onIdentity.accept(cell, identity);
        }
        return identity;
    }

    /** Joins a server's output tail to a blocked reason, keeping its last 2,000 characters. */
    static String withTail(String reason, String tail) {
        return tail.isBlank() ? reason : reason + "; output tail:\n"
                + (tail.length() <= 2000 ? tail : tail.substring(tail.length() - 2000));
    }
}
