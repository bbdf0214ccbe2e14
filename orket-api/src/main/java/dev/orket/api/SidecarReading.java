package dev.orket.api;

import java.util.List;
import java.util.Objects;

/**
 * What a GPU sidecar observed over one run: its samples, and how well they parsed.
 *
 * @param samples the samples in the order they were taken, never null
 * @param parseStatus the parse status, a pure function of the sidecar's input
 * @param parseErrors sorted, distinct error codes such as {@code missing:power_draw_w}
 * @since 0.1
 */
public record SidecarReading(List<GpuSample> samples, SidecarParseStatus parseStatus, List<String> parseErrors) {

    public SidecarReading {
        samples = List.copyOf(samples);
        Objects.requireNonNull(parseStatus, "parseStatus");
        parseErrors = parseErrors.stream().distinct().sorted().toList();
    }

    /** No data, with the reason (e.g. {@code sidecar_disabled}, {@code nvidia_smi_unavailable}). */
    public static SidecarReading notApplicable(String reason) {
        return new SidecarReading(List.of(), SidecarParseStatus.NOT_APPLICABLE, List.of(reason));
    }
}
