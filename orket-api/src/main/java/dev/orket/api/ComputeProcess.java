package dev.orket.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A process that holds GPU memory, as {@code nvidia-smi --query-compute-apps} reports it.
 *
 * @param gpuUuid the GPU the process runs on, or null when unknown
 * @param pid the process id
 * @param processName the executable, never null (may be empty)
 * @param usedMemoryMib GPU memory the process holds in MiB, or null when not reported
 * @since 0.1
 */
public record ComputeProcess(@Nullable String gpuUuid, long pid, String processName, @Nullable Long usedMemoryMib) {

    public ComputeProcess {
        Objects.requireNonNull(processName, "processName");
    }
}
