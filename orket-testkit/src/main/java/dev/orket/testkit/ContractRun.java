package dev.orket.testkit;

import dev.orket.api.RunRequest;
import dev.orket.api.spi.InferenceProvider;
import dev.orket.api.spi.ProviderConfig;
import dev.orket.api.spi.WireEvent;
import dev.orket.core.telemetry.RecordingListener;
import dev.orket.core.telemetry.RunExecutor;
import dev.orket.core.telemetry.RunResult;
import dev.orket.simulator.VirtualClock;
import dev.orket.simulator.server.ScriptedInferenceServer;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One check's harness: a virtual clock at zero, a scripted server on it, the provider under test, and
 * an executor whose listener keeps the server in lock-step and counts terminal events.
 */
final class ContractRun implements AutoCloseable {

    private final VirtualClock clock = new VirtualClock();
    private final Set<Thread> threadsBefore = liveThreads();
    private final ScriptedInferenceServer server = ScriptedInferenceServer.start(clock);
    private final InferenceProvider provider;
    private final List<WireEvent> events = new CopyOnWriteArrayList<>();
    private final RunExecutor executor;
    private boolean closed;

    ContractRun(ProviderContract contract, @Nullable URI baseUrl) {
        this(contract, baseUrl, contract.adminTimeout());
    }

    /** A harness whose provider has the given admin deadline. */
    ContractRun(ProviderContract contract, @Nullable URI baseUrl, Duration adminTimeout) {
        this.provider = contract.createProvider(ProviderConfig.of(baseUrl == null ? server.baseUri() : baseUrl)
                .withAdminTimeout(adminTimeout));
        RecordingListener lockstep = server.lockstep();
        RecordingListener both = (event, nanos, state) -> {
            events.add(event);
            lockstep.recorded(event, nanos, state);
        };
        this.executor = RunExecutor.builder().clock(clock).listener(both).build();
    }

    VirtualClock clock() {
        return clock;
    }

    ScriptedInferenceServer server() {
        return server;
    }

    InferenceProvider provider() {
        return provider;
    }

    RunResult execute(RunRequest request) {
        return executor.execute(provider, request);
    }

    /** Every event the recorder accepted, in order. */
    List<WireEvent> events() {
        return List.copyOf(events);
    }

    /** How many terminal events were recorded. */
    long terminalEvents() {
        return events.stream().filter(e -> e instanceof WireEvent.Completed || e instanceof WireEvent.Failed
                || e instanceof WireEvent.Cancelled).count();
    }

    /** Closes the provider, then waits for its connections to close; false when one stayed open. */
    boolean closeProviderAndAwaitConnections(Duration timeout) {
        provider.close();
        return server.awaitNoOpenConnections(timeout);
    }

    /** Threads started since the harness was made that are still alive and not daemons, after waiting up to the timeout. */
    List<String> leakedThreads(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> leaked;
        do {
            leaked = liveThreads().stream().filter(t -> !threadsBefore.contains(t) && !t.isDaemon())
                    .map(Thread::getName).sorted().collect(Collectors.toList());
            if (leaked.isEmpty()) {
                return leaked;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return leaked;
            }
        } while (System.nanoTime() < deadline);
        return leaked;
    }

    static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        provider.close();
        server.close();
    }

    /** The terminal state the recorder reached, for messages. */
    static String describe(List<WireEvent> events) {
        return events.stream().map(e -> e.getClass().getSimpleName()).collect(Collectors.joining(", "));
    }

}
