package dev.orket.api.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a GPU sidecar samples.
 *
 * @param command the tool and its leading arguments as a list, never a shell string (e.g. {@code ["nvidia-smi"]})
 * @param sampleInterval time between background samples
 * @param deadline the longest a one-shot sample or a stop may take before the tool is killed
 * @param settings sidecar-specific settings by name
 * @since 0.1
 */
public record SidecarConfig(List<String> command, Duration sampleInterval, Duration deadline, Map<String, String> settings) {

    public SidecarConfig {
        command = List.copyOf(command);
        Objects.requireNonNull(sampleInterval, "sampleInterval");
        Objects.requireNonNull(deadline, "deadline");
        settings = Map.copyOf(settings);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must name the tool");
        }
        if (sampleInterval.isNegative() || sampleInterval.isZero()) {
            throw new IllegalArgumentException("sampleInterval must be positive but was " + sampleInterval);
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive but was " + deadline);
        }
    }

    /** Defaults: the given tool, 200 ms interval, 5 s deadline. */
    public static SidecarConfig of(String tool) {
        return new SidecarConfig(List.of(tool), Duration.ofMillis(200), Duration.ofSeconds(5), Map.of());
    }
}
