package dev.orket.sidecar.nvidia;

import dev.orket.api.ComputeProcess;
import java.util.List;

/**
 * The processes one {@code nvidia-smi --query-compute-apps} output listed.
 *
 * @param processes one entry per process per GPU, in output order, never null
 * @param errors sorted, distinct error codes, empty when every row parsed
 * @since 0.1
 */
public record ComputeApps(List<ComputeProcess> processes, List<String> errors) {

    public ComputeApps {
        processes = List.copyOf(processes);
        errors = errors.stream().distinct().sorted().toList();
    }
}
