package dev.orket.core.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What every sampler's session does alike: the samples and the reasons, the first sample before the run, a daemon
 * thread that samples at the interval, and its stop. A sampler says how one sample is taken ({@link #sample()}, which
 * must never throw) and what the last one is ({@link #stop()}).
 */
abstract class SamplingSession implements HostSampler.Session {

    final List<HostSnapshot> samples = new ArrayList<>();
    final List<String> reasons = new ArrayList<>();
    private final Duration interval;
    private volatile boolean stopped;
    private Thread thread = new Thread(() -> { });

    /**
     * A session whose measured server's processes, found at its start, are {@code roots}.
     *
     * @param rule how they were looked for, which names the reason when none was found
     */
    SamplingSession(Duration interval, ServerProcessRule rule, Set<Long> roots) {
        this.interval = interval;
        if (roots.isEmpty()) {
            reasons.add(rule.isEmpty() ? "server_processes_unknown" : "server_processes_not_found");
        }
    }

    /** Takes one sample into {@link #samples}; called from the sampling thread and from {@link #stop()}. */
    abstract void sample();

    /** Takes the first sample (before the request is sent), then starts the sampling thread. */
    final HostSampler.Session begin() {
        sample();
        Thread sampler = new Thread(this::loop, "orket-host-sampler");
        sampler.setDaemon(true);
        thread = sampler;
        sampler.start();
        return this;
    }

    private void loop() {
        while (!stopped) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                // halt() interrupts the sleep; the last sample is taken by stop() itself.
                return;
            }
            if (!stopped) {
                sample();
            }
        }
    }

    /** Stops the sampling thread and waits for it (a second at most); the caller then takes the last sample. */
    final void halt() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
