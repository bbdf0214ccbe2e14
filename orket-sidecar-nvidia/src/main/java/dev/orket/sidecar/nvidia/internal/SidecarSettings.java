package dev.orket.sidecar.nvidia.internal;

import dev.orket.api.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The nvidia-smi sidecar's settings, read and checked from {@code SidecarConfig.settings()}.
 *
 * @param enabled {@code enabled}: {@code false} turns the sidecar off ({@code NOT_APPLICABLE}, {@code sidecar_disabled})
 * @param gpuSelector {@code gpu_index}: passed as {@code -i}, e.g. {@code 0} or {@code 0,2}; null for every GPU
 * @param queryFields {@code query_fields}: the comma-separated {@code --query-gpu} list
 * @param computeApps {@code compute_apps}: {@code false} skips the compute-apps query at stop
 * @param maxSamples {@code max_samples}: samples kept per session before {@code sidecar_output_truncated}
 */
public record SidecarSettings(boolean enabled, @Nullable String gpuSelector, List<String> queryFields,
        boolean computeApps, int maxSamples) {

    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.]+");
    private static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9:.,-]+");
    private static final List<String> KEYS = List.of("enabled", "gpu_index", "query_fields", "compute_apps", "max_samples");

    public SidecarSettings {
        queryFields = List.copyOf(queryFields);
    }

    /** Reads the settings; throws {@link ConfigurationException} naming the key for a bad value. */
    public static SidecarSettings from(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigurationException("Unknown nvidia-smi sidecar setting '" + key + "'; expected one of "
                        + KEYS + ". See docs/sidecars/nvidia-smi.md.");
            }
        }
        boolean enabled = bool(settings, "enabled");
        boolean computeApps = bool(settings, "compute_apps");
        String selector = settings.get("gpu_index");
        if (selector != null && !SELECTOR.matcher(selector).matches()) {
            throw new ConfigurationException("Setting gpu_index is '" + selector
                    + "'; expected GPU indexes, UUIDs or PCI bus ids separated by commas, e.g. 0,2.");
        }
        List<String> fields = QueryField.DEFAULT_QUERY;
        String raw = settings.get("query_fields");
        if (raw != null) {
            fields = new ArrayList<>();
            for (String f : raw.split(",", -1)) {
                String t = f.strip();
                if (!FIELD.matcher(t).matches()) {
                    throw new ConfigurationException("Setting query_fields has field '" + t
                            + "'; expected nvidia-smi field names such as memory.used, separated by commas.");
                }
                fields.add(t);
            }
        }
        int maxSamples = 100_000;
        String max = settings.get("max_samples");
        if (max != null) {
            try {
                maxSamples = Integer.parseInt(max.strip());
            } catch (NumberFormatException e) {
                maxSamples = -1;
            }
            if (maxSamples < 1) {
                throw new ConfigurationException("Setting max_samples is '" + max + "'; expected a positive integer.");
            }
        }
        return new SidecarSettings(enabled, selector, fields, computeApps, maxSamples);
    }

    private static boolean bool(Map<String, String> settings, String key) {
        String v = settings.getOrDefault(key, "true").strip();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigurationException("Setting " + key + " is '" + v + "'; expected true or false.");
    }
}
