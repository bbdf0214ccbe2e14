package dev.orket.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orket.api.ConfigurationException;
import dev.orket.api.ExecutionLane;
import dev.orket.api.PromptStyle;
import dev.orket.api.VramProfile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads a sweep config from JSON. Every error names the key path, the offending value and what was
 * expected. The Python Orket's preset names ({@code runs_per_quant}, {@code warmup_steps},
 * {@code canary_runs}, {@code canary_latency_variance_threshold}, {@code adherence_threshold},
 * {@code latency_ceiling}, {@code seed}, {@code threads}, {@code affinity_policy}) are accepted beside
 * ours ({@code docs/sweep.md} lists them side by side).
 *
 * @since 0.1
 */
public final class SweepConfigReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SweepConfigReader() {}

    /** Reads a config file. */
    public static SweepConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read sweep config " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Reads a config from JSON text; {@code source} names it in errors. */
    public static SweepConfig parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException("Sweep config " + source + " is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigurationException("Sweep config " + source + " must be a JSON object");
        }
        Node n = new Node(root, "", source);
        try {
            Node provider = n.object("provider");
            SweepConfig.ProviderSpec providerSpec = new SweepConfig.ProviderSpec(provider.text("id"),
                    provider.uri("base_url"), provider.optionalText("api_key_env"), provider.stringMap("settings"));
            if (provider.has("api_key")) {
                throw new ConfigurationException("Sweep config " + source
                        + ": provider.api_key is not accepted, so a key never sits in a file or an artifact;"
                        + " name an environment variable in provider.api_key_env instead");
            }
            SweepConfig.SidecarSpec sidecar = null;
            if (n.has("sidecar") && !n.raw("sidecar").isNull()) {
                Node s = n.object("sidecar");
                sidecar = new SweepConfig.SidecarSpec(s.text("id"),
                        s.has("command") ? s.stringList("command") : List.of("nvidia-smi"),
                        Duration.ofMillis(s.optionalLong("interval_ms", 200)), s.optionalInt("gpu_index"));
            }
            List<SweepConfig.ModelSpec> models = n.list("models", m -> new SweepConfig.ModelSpec(m.text("name"),
                    m.stringList("quants"), m.optionalText("server_model_template") == null
                            ? "{model}:{quant}" : m.text("server_model_template"), m.stringMap("gguf_files")));
            SweepConfig.ManagedServer managed = null;
            if (n.has("managed_server") && !n.raw("managed_server").isNull()) {
                Node s = n.object("managed_server");
                managed = new SweepConfig.ManagedServer(java.nio.file.Path.of(s.text("executable")),
                        s.has("args") ? s.stringList("args") : List.of(), s.optionalInt("context_size"),
                        s.optionalInt("threads"), s.optionalInt("gpu_layers"),
                        Duration.ofMillis(s.optionalLong("startup_timeout_ms", 120_000)));
            }
            List<PromptSession> sessions = n.list("sessions", s -> new PromptSession(s.text("id"), s.text("prompt"),
                    s.has("style") ? s.named("style", PromptStyle::fromJson) : PromptStyle.COMPLETION,
                    (int) s.optionalLong("max_output_tokens", 64), s.optionalText("scorer") == null
                            ? "baseline_agreement" : s.text("scorer"), s.optionalText("expected")));
            Node controls = n.has("controls") ? n.object("controls") : n;
            ExperimentalControls experimentalControls = new ExperimentalControls(controls.optionalLong("seed", 42),
                    controls.optionalInt("threads"), controls.optionalText("affinity_policy") == null
                            ? "none" : controls.text("affinity_policy"),
                    controls.optionalDouble("temperature", 0.0));
            int repetitions = (int) n.optionalLong(n.has("runs_per_quant") ? "runs_per_quant" : "repetitions", 5);
            int warmups = (int) n.optionalLong(n.has("warmup_steps") ? "warmup_steps" : "warmup_runs", 1);
            ThermalGate thermal = ThermalGate.DISABLED;
            if (n.has("thermal_gate")) {
                Node t = n.object("thermal_gate");
                thermal = new ThermalGate(t.optionalBoolean("enabled", true), t.optionalDouble("target_c", 80.0),
                        Duration.ofMillis(t.optionalLong("max_wait_ms", 60_000)),
                        Duration.ofMillis(t.optionalLong("poll_ms", 1_000)),
                        Duration.ofMillis(t.optionalLong("cooldown_ms", 0)));
            }
            SweepConfig.Preflight preflight = SweepConfig.Preflight.OFF;
            if (n.has("vram_preflight")) {
                Node p = n.object("vram_preflight");
                Map<String, Long> estimates = new LinkedHashMap<>();
                if (p.has("estimates_mib")) {
                    Node e = p.object("estimates_mib");
                    for (Iterator<String> keys = e.json.fieldNames(); keys.hasNext(); ) {
                        String key = keys.next();
                        estimates.put(key, e.optionalLong(key, 0));
                    }
                }
                preflight = new SweepConfig.Preflight(p.named("mode", PreflightMode::fromJson),
                        p.has("card_vram_mib") ? p.optionalLong("card_vram_mib", 0) : null, estimates);
            }
            Node canary = n.has("canary") ? n.object("canary") : null;
            CanaryGate canaryGate = new CanaryGate(
                    (int) (canary != null ? canary.optionalLong("runs", 10) : n.optionalLong("canary_runs", 10)),
                    canary != null ? canary.optionalDouble("latency_variance_threshold", 0.03)
                            : n.optionalDouble("canary_latency_variance_threshold", 0.03),
                    canary != null ? canary.optionalDouble("adherence_threshold", 0.95)
                            : n.optionalDouble("adherence_threshold", 0.95),
                    canary != null ? canary.optionalNullableDouble("latency_ceiling_ms")
                            : n.optionalNullableDouble("latency_ceiling"));
            return new SweepConfig(n.optionalText("sweep_id"), providerSpec, sidecar, models, sessions, repetitions,
                    warmups, experimentalControls, n.named("execution_lane", ExecutionLane::fromJson),
                    n.named("vram_profile", VramProfile::fromJson), n.optionalInt("context_size"),
                    n.optionalBoolean("stream", true), Duration.ofMillis(n.optionalLong("timeout_ms", 120_000)),
                    n.has("idle_timeout_ms") && !n.raw("idle_timeout_ms").isNull()
                            ? Duration.ofMillis(n.optionalLong("idle_timeout_ms", 0)) : null,
                    thermal, preflight, canaryGate, managed);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Sweep config " + source + ": " + e.getMessage(), e);
        }
    }

    /** A JSON object with its key path, for messages that say where. */
    private static final class Node {
        private final JsonNode json;
        private final String path;
        private final String source;

        Node(JsonNode json, String path, String source) {
            this.json = json;
            this.path = path;
            this.source = source;
        }

        boolean has(String key) {
            return json.has(key);
        }

        JsonNode raw(String key) {
            return json.get(key);
        }

        private String where(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        private ConfigurationException error(String key, String expected, @Nullable JsonNode value) {
            return new ConfigurationException("Sweep config " + source + ": " + where(key) + " must be " + expected
                    + " but was " + (value == null ? "missing" : value.toString()));
        }

        Node object(String key) {
            JsonNode value = json.get(key);
            if (value == null || !value.isObject()) {
                throw error(key, "an object", value);
            }
            return new Node(value, where(key), source);
        }

        String text(String key) {
            JsonNode value = json.get(key);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                throw error(key, "a non-empty string", value);
            }
            return value.asText();
        }

        @Nullable String optionalText(String key) {
            JsonNode value = json.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            return text(key);
        }

        URI uri(String key) {
            String text = text(key);
            try {
                URI uri = URI.create(text);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw error(key, "an absolute http(s) URL", json.get(key));
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw error(key, "an absolute http(s) URL", json.get(key));
            }
        }

        long optionalLong(String key, long defaultValue) {
            JsonNode value = json.get(key);
            if (value == null || value.isNull()) {
                return defaultValue;
            }
            if (!value.isIntegralNumber()) {
                throw error(key, "an integer", value);
            }
            return value.asLong();
        }

        @Nullable Integer optionalInt(String key) {
            JsonNode value = json.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw error(key, "an integer", value);
            }
            return value.asInt();
        }

        double optionalDouble(String key, double defaultValue) {
            Double value = optionalNullableDouble(key);
            return value == null ? defaultValue : value;
        }

        @Nullable Double optionalNullableDouble(String key) {
            JsonNode value = json.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isNumber()) {
                throw error(key, "a number", value);
            }
            return value.asDouble();
        }

        boolean optionalBoolean(String key, boolean defaultValue) {
            JsonNode value = json.get(key);
            if (value == null || value.isNull()) {
                return defaultValue;
            }
            if (!value.isBoolean()) {
                throw error(key, "true or false", value);
            }
            return value.asBoolean();
        }

        <T> T named(String key, Function<String, T> parse) {
            String text = text(key);
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("Sweep config " + source + ": " + where(key) + ": " + e.getMessage(),
                        e);
            }
        }

        List<String> stringList(String key) {
            JsonNode value = json.get(key);
            if (value == null || !value.isArray() || value.isEmpty()) {
                throw error(key, "a non-empty array of strings", value);
            }
            List<String> out = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw error(key, "a non-empty array of strings", value);
                }
                out.add(item.asText());
            }
            return out;
        }

        Map<String, String> stringMap(String key) {
            JsonNode value = json.get(key);
            if (value == null || value.isNull()) {
                return Map.of();
            }
            if (!value.isObject()) {
                throw error(key, "an object of strings", value);
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                    throw error(key + "." + entry.getKey(), "a string, number or boolean", entry.getValue());
                }
                out.put(entry.getKey(), entry.getValue().asText());
            }
            return out;
        }

        <T> List<T> list(String key, Function<Node, T> element) {
            JsonNode value = json.get(key);
            if (value == null || !value.isArray() || value.isEmpty()) {
                throw error(key, "a non-empty array of objects", value);
            }
            List<T> out = new ArrayList<>();
            int index = 0;
            for (JsonNode item : value) {
                String itemPath = where(key) + "[" + index++ + "]";
                if (!item.isObject()) {
                    throw new ConfigurationException("Sweep config " + source + ": " + itemPath
                            + " must be an object but was " + item);
                }
                out.add(element.apply(new Node(item, itemPath, source)));
            }
            return out;
        }
    }
}
