package dev.orket.sidecar.nvidia.internal;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Ends a started tool and everything it spawned, politely first and forcibly after a deadline. */
public final class ProcessTree {

    /** How often descendants are looked for again while waiting for the tool to go. */
    private static final long POLL_MILLIS = 20;

    private ProcessTree() {}

    /**
     * Destroys {@code process} and its descendants, waits up to {@code deadline}, then destroys them
     * forcibly and waits again.
     *
     * @return whether the process is dead afterwards
     */
    public static boolean end(Process process, Duration deadline) {
        // Every descendant ever seen is remembered: once its parent dies it is re-parented and no longer
        // listed, yet it may still hold the output pipe open and keep the reader blocked.
        Set<ProcessHandle> seen = new LinkedHashSet<>();
        boolean interrupted = false;
        try {
            // Parent first: a shell whose child dies before it does reports "Terminated" on the output.
            process.descendants().forEach(seen::add);
            process.destroy();
            destroyDescendants(process, seen, false);
            long end = System.nanoTime() + deadline.toNanos();
            // A child forked just before the signal (a shell starting `sleep`) is caught by polling.
            while (process.isAlive() && System.nanoTime() < end) {
                destroyDescendants(process, seen, false);
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                process.waitFor(Math.max(1L, Math.min(POLL_MILLIS, left)), TimeUnit.MILLISECONDS);
            }
            if (process.isAlive()) {
                process.descendants().forEach(seen::add);
                process.destroyForcibly();
                destroyDescendants(process, seen, true);
                process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
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

    private static void destroyDescendants(Process process, Set<ProcessHandle> seen, boolean forcibly) {
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
