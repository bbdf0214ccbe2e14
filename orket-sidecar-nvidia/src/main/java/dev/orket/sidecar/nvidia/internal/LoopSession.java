package dev.orket.sidecar.nvidia.internal;

import dev.orket.api.MonotonicClock;
import dev.orket.api.SidecarReading;
import dev.orket.api.spi.SidecarSession;
import dev.orket.core.host.ProcessTree;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived {@code nvidia-smi … -lms N} process read line by line on a daemon thread until
 * {@link #stop()} kills it, reaps it and returns what it printed.
 */
public final class LoopSession implements SidecarSession {

    private static final Logger LOG = LoggerFactory.getLogger(LoopSession.class);

    private final @Nullable Process process;
    private final @Nullable OutputPump pump;
    private final CsvGpuStream stream;
    private final Object lock;
    private final Duration deadline;
    private final UnaryOperator<SidecarReading> atStop;
    private @Nullable SidecarReading result;

    private LoopSession(@Nullable Process process, @Nullable OutputPump pump, CsvGpuStream stream, Object lock,
            Duration deadline, UnaryOperator<SidecarReading> atStop) {
        this.process = process;
        this.pump = pump;
        this.stream = stream;
        this.lock = lock;
        this.deadline = deadline;
        this.atStop = atStop;
    }

    /**
     * Starts {@code command} and its reader; a tool that cannot start gives a session whose reading
     * is {@code NOT_APPLICABLE}.
     *
     * @param atStop applied to the reading at stop when it has samples (the compute-apps query)
     */
    public static LoopSession start(List<String> command, List<String> queryFields, int maxSamples, long maxBytes,
            Duration deadline, MonotonicClock clock, UnaryOperator<SidecarReading> atStop) {
        CsvGpuStream stream = new CsvGpuStream(queryFields, maxSamples);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not start {}: {}", command.get(0), e.toString());
            return new LoopSession(null, null, stream, new Object(), deadline, atStop);
        }
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // nvidia-smi reads no input; a failed close of its stdin changes nothing.
        }
        long origin = clock.nanoTime();
        Object lock = new Object();
        OutputPump pump = new OutputPump(p.getInputStream(), maxBytes, NvidiaLimits.MAX_LINE_BYTES, line -> {
            long offsetMs = (clock.nanoTime() - origin) / 1_000_000L;
            synchronized (lock) {
                stream.accept(line, offsetMs);
            }
        }, "nvidia-smi-sampler");
        LoopSession session = new LoopSession(p, pump, stream, lock, deadline, atStop);
        pump.start();
        return session;
    }

    @Override
    public synchronized SidecarReading stop() {
        SidecarReading done = result;
        if (done != null) {
            return done;
        }
        Process p = process;
        OutputPump reader = pump;
        if (p == null || reader == null) {
            done = SidecarReading.notApplicable(ToolMessages.UNAVAILABLE);
            result = done;
            return done;
        }
        boolean exitedByItself = !p.isAlive();
        Integer exit = exitedByItself ? p.exitValue() : null;
        boolean sawContentBeforeStop;
        synchronized (lock) {
            sawContentBeforeStop = stream.sawContent();
        }
        if (!exitedByItself && !ProcessTree.end(p, deadline)) {
            LOG.warn("nvidia-smi sampler (pid {}) survived destroyForcibly for {}", p.pid(), deadline);
        }
        if (!reader.join(deadline)) {
            LOG.warn("nvidia-smi sampler output did not end within {}", deadline);
        }
        if (exitedByItself) {
            reader.finishTail();
        }
        synchronized (lock) {
            if (!exitedByItself && !sawContentBeforeStop) {
                done = SidecarReading.notApplicable(Outcome.TIMEOUT);
            } else {
                done = Outcome.finish(stream, exit, false, reader.truncated());
            }
        }
        if (!done.samples().isEmpty()) {
            done = atStop.apply(done);
        }
        result = done;
        return done;
    }

    /** Whether the sampler process is still running (false once {@link #stop()} returned). */
    public boolean processAlive() {
        return process != null && process.isAlive();
    }

    /** Whether the reader thread is still running (false once {@link #stop()} returned). */
    public boolean readerAlive() {
        return pump != null && pump.alive();
    }
}
