package dev.orket.sidecar.nvidia.internal;

import dev.orket.core.host.ProcessTree;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What one bounded run of a tool printed and how it ended.
 *
 * @param lines the output lines, stdout and stderr merged, never null
 * @param exitCode the exit status, or null when the tool did not start or was killed at the deadline
 * @param startFailed whether the tool could not be started at all (missing, not executable)
 * @param timedOut whether the tool was killed at the deadline
 * @param truncated whether output past the caps was dropped
 */
public record ToolRun(List<String> lines, @Nullable Integer exitCode, boolean startFailed, boolean timedOut,
        boolean truncated) {

    public ToolRun {
        lines = List.copyOf(lines);
    }

    /** Runs {@code command} (an argument list, never a shell line) and waits at most {@code deadline}. */
    public static ToolRun run(List<String> command, Duration deadline, long maxBytes, int maxLineBytes) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException | RuntimeException e) {
            // A missing or non-executable tool is data (NOT_APPLICABLE), not a failure of the run.
            return new ToolRun(List.of(), null, true, false, false);
        }
        closeQuietly(p);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        OutputPump pump = new OutputPump(p.getInputStream(), maxBytes, maxLineBytes, lines::add, "nvidia-smi-once");
        pump.start();
        boolean exited;
        try {
            exited = p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        int beforeDeadline = Integer.MAX_VALUE;
        if (!exited) {
            synchronized (lines) {
                beforeDeadline = lines.size();
            }
            ProcessTree.end(p, deadline);
        }
        pump.join(deadline);
        if (exited) {
            pump.finishTail();
        }
        List<String> copy;
        synchronized (lines) {
            // What a killed tool (or its wrapper) prints while dying is not its answer.
            copy = List.copyOf(lines.subList(0, Math.min(beforeDeadline, lines.size())));
        }
        return new ToolRun(copy, exited ? p.exitValue() : null, false, !exited, pump.truncated());
    }

    private static void closeQuietly(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // The tool reads no input; a failed close of its stdin changes nothing.
        }
    }
}
