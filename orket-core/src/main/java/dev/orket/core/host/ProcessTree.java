package dev.orket.core.host;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Ends a started process and everything it spawned, politely first and forcibly after a grace period,
 * following descendants that were re-parented when their parent died. One stop for every process Orket
 * starts: the managed llama-server and the GPU sidecar's tool.
 *
 * @since 0.1
 */
public final class ProcessTree {

    /** How often descendants are looked for again while waiting for the process to go. */
    private static final long POLL_MILLIS = 20;

    private ProcessTree() {}

    /**
     * Asks {@code process} and its descendants to stop (SIGTERM), waits up to {@code grace} while catching
     * children forked meanwhile, then kills what is left (SIGKILL) and waits up to {@code grace} again.
     * Restores the interrupt flag when interrupted (and kills at once).
     *
     * @return whether the process is dead afterwards
     */
    public static boolean end(Process process, Duration grace) {
        // Every descendant ever seen is remembered: once its parent dies it is re-parented (to init or a
        // subreaper) and no longer listed, yet it may still run, hold the GPU or keep an output pipe open.
        Set<ProcessHandle> seen = new LinkedHashSet<>();
        boolean interrupted = false;
        try {
            // Parent first: a shell whose child dies before it does reports "Terminated" on the output.
            process.descendants().forEach(seen::add);
            process.destroy();
            signal(process, seen, false);
            long end = System.nanoTime() + grace.toNanos();
            while (process.isAlive() && System.nanoTime() < end) {
                // A child forked just before the signal (a shell starting `sleep`) is caught by polling.
                signal(process, seen, false);
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                process.waitFor(Math.max(1L, Math.min(POLL_MILLIS, left)), TimeUnit.MILLISECONDS);
            }
            if (process.isAlive()) {
                process.descendants().forEach(seen::add);
                process.destroyForcibly();
                signal(process, seen, true);
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
        }
        seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !process.isAlive();
    }

    /**
     * The given processes and every living descendant of each, sorted. A given id that is not alive (or not
     * visible) is kept: the caller named it.
     */
    public static Set<Long> withDescendants(Collection<Long> roots) {
        Set<Long> tree = new TreeSet<>(roots);
        for (long root : roots) {
            Optional<ProcessHandle> handle = ProcessHandle.of(root);
            handle.ifPresent(h -> h.descendants().forEach(d -> tree.add(d.pid())));
        }
        return tree;
    }

    private static void signal(Process process, Set<ProcessHandle> seen, boolean forcibly) {
        process.descendants().forEach(seen::add);
        for (ProcessHandle h : seen) {
            if (forcibly) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        }
    }
}
